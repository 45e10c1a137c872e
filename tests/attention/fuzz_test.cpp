// Mutated attention files (flipped bytes, cuts, overwritten header fields, garbage) never crash the readers:
// each is either read, with scores in range, or rejected with an InputError/ConfigError.
// POLARLAB_FUZZ_COUNT sets the number of files (CI: 2,000; the full run: 10,000, also under ASan).
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "core/attention/input_error.hpp"
#include "core/attention/model_scan.hpp"
#include "tests/attention/attention_files.hpp"
#include "tests/attention/reference_tensor.hpp"
#include "tests/temp_dir.hpp"

using namespace polarlab;
using namespace polarlab::attention;

namespace {

int fuzz_count(int ci_default) {
  const char* env = std::getenv("POLARLAB_FUZZ_COUNT");
  return env ? std::max(1, std::atoi(env)) : ci_default;
}

std::string mutate(std::string s, std::mt19937& rng) {
  auto pos = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  const int edits = 1 + static_cast<int>(rng() % 4);
  for (int e = 0; e < edits; ++e) {
    switch (rng() % 7) {
      case 0:  // flip a byte
        if (!s.empty()) s[pos(s.size())] ^= static_cast<char>(1 + rng() % 255);
        break;
      case 1:  // cut
        s.resize(pos(s.size() + 1));
        break;
      case 2:  // a byte of the first 128 (the headers) set to a boundary value
        if (!s.empty()) s[pos(std::min<std::size_t>(s.size(), 128))] = "\x00\xff\x7f\x80\x01 ,:'()[]{}\"9-"[rng() % 18];
        break;
      case 3:  // a digit run in the header made huge
        if (auto i = s.find_first_of("0123456789", pos(std::min<std::size_t>(s.size(), 200))); i != std::string::npos)
          s.insert(i, std::to_string(rng()) + std::to_string(rng()));
        break;
      case 4:  // overwrite a run with random bytes
        for (std::size_t i = pos(s.size()), n = 1 + rng() % 16; i < s.size() && n > 0; ++i, --n)
          s[i] = static_cast<char>(rng());
        break;
      case 5:  // bytes appended or inserted
        s.insert(pos(s.size() + 1), std::string(1 + rng() % 8, static_cast<char>(rng())));
        break;
      default:  // a 32-bit field near the end (zip directory, sizes, offsets) set to an extreme
        if (s.size() >= 8) {
          const std::size_t i = s.size() - 4 - pos(std::min<std::size_t>(s.size() - 4, 120));
          const std::uint32_t v = rng() % 2 ? 0xffffffffu : static_cast<std::uint32_t>(rng());
          std::memcpy(&s[i], &v, 4);
        }
    }
  }
  return s;
}

TEST(AttentionFuzz, MutatedFilesAreReadOrRejectedNeverCrash) {
  using namespace polarlab::test;
  const Reference ref;
  const auto v = ref.values(Layout::layer_head_sample);
  const auto shape = ref.shape(Layout::layer_head_sample);
  const std::vector<std::pair<std::string, std::string>> seeds = {
      {".npy", npy_of(v, DType::f16, shape)},
      {".npy", npy_of(v, DType::f64, {ref.L * ref.H, ref.S, ref.Q, ref.K})},
      {".npz", zip_of({{"attention.npy", npy_of(v, DType::f32, shape)}}, false)},
      {".npz", zip_of({{"x.npy", npy_of({1}, DType::f32, {1})}, {"attention.npy", npy_of(v, DType::f16, shape)}}, true)},
      {".safetensors", safetensors_of({{"attention", v, DType::bf16, shape}})},
      {".safetensors", safetensors_of({{"a", {1, 2}, DType::f32, {2}}, {"attention", v, DType::f32, shape}})},
  };
  const test::TempDir tmp("att-fuzz");
  std::mt19937 rng(20260518);
  const int n = fuzz_count(2000);
  int accepted = 0, rejected = 0;
  for (int i = 0; i < n; ++i) {
    const auto& [ext, seed] = seeds[static_cast<std::size_t>(i) % seeds.size()];
    const std::string path = (tmp.path / ("f" + std::to_string(i % 7) + ext)).string();
    write_bytes(path, mutate(seed, rng));
    ScanOptions opt;
    opt.layout = rng() % 2 ? Layout::layer_head_sample : Layout::layer_sample_head;
    try {
      const ModelStats m = scan_model("m", {path}, opt);
      ++accepted;
      for (const auto& a : m.acc) {
        const HeadStats s = finish(a);
        if (s.rows == 0) continue;
        ASSERT_GE(s.sparsity, 0.0) << i;
        ASSERT_LE(s.sparsity, 1.0 + 1e-6) << i;
        if (a.negative_weights == 0 && !std::isnan(s.sink)) {  // negative weights may take it out of [0, 1]
          ASSERT_GE(s.sink, 0.0) << i;
          ASSERT_LE(s.sink, 1.0 + 1e-6) << i;
        }
        ASSERT_GE(s.entropy, 0.0) << i;
        ASSERT_LE(s.entropy, std::log(static_cast<double>(m.k)) + 1e-4) << i;
      }
    } catch (const InputError& e) {
      ++rejected;
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    } catch (const ConfigError&) {
      ++rejected;
    }
  }
  // Both outcomes happen: the mutations neither all break nor all spare the files.
  EXPECT_GT(accepted, n / 20);
  EXPECT_GT(rejected, n / 5);
  std::printf("%d mutated files: %d read, %d rejected\n", n, accepted, rejected);
}

}  // namespace
