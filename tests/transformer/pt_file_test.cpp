// .pt attention files (core/transformer/pt_file.hpp): what torch.save writes (here torch::pickle_save, the same
// format) read through the plugin into a float32 .npy, and `attention stats` giving the .pt the scores of the
// same tensor saved as .npy.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include <torch/serialize.h>

#include "core/transformer/pt_file.hpp"
#include "core/transformer/run_files.hpp"
#include "core/transformer/torch_api.hpp"
#include "core/types.hpp"
#include "tests/temp_dir.hpp"
#include "tests/slurp.hpp"

namespace tf = polarlab::transformer;
using polarlab::test::TempDir;

namespace {

void save_pt(const c10::IValue& v, const std::filesystem::path& p) {
  const std::vector<char> bytes = torch::pickle_save(v);
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

using polarlab::test::slurp;

// Attention-like weights: softmax rows over random logits, layer,head,sample,q,k = 2,2,3,4,4.
at::Tensor attention(int64_t seed) {
  torch::manual_seed(static_cast<uint64_t>(seed));
  return torch::softmax(torch::randn({2, 2, 3, 4, 4}) * 3, -1);
}

// The .npy's shape line and its float32 values.
std::pair<std::string, std::vector<float>> read_npy(const std::string& path) {
  const std::string raw = slurp(path);
  const std::size_t len = static_cast<unsigned char>(raw[8]) | (static_cast<unsigned char>(raw[9]) << 8);
  const std::string header = raw.substr(10, len);
  std::vector<float> v((raw.size() - 10 - len) / 4);
  std::memcpy(v.data(), raw.data() + 10 + len, v.size() * 4);
  return {header.substr(header.find("'shape'")), v};
}

}  // namespace

TEST(PtFile, ATensorBecomesTheSameFloat32Npy) {
  const TempDir tmp("pt_tensor");
  const at::Tensor t = attention(1);
  for (const auto dtype : {torch::kFloat32, torch::kFloat16, torch::kFloat64}) {
    save_pt(t.to(dtype), tmp.sub("a.pt"));
    const std::string npy = tf::pt_to_npy(tmp.sub("a.pt").string(), "", tmp.sub("out").string());
    EXPECT_EQ(npy, tmp.sub("out/a.npy").string());
    const auto [shape, v] = read_npy(npy);
    EXPECT_EQ(shape.rfind("'shape': (2, 2, 3, 4, 4), }", 0), 0u) << shape;
    const at::Tensor want = t.to(dtype).to(torch::kFloat32).contiguous();
    ASSERT_EQ(v.size(), static_cast<std::size_t>(want.numel()));
    for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(v[i], want.data_ptr<float>()[i]) << i;
  }
}

TEST(PtFile, DictsPickTheKeyAndListsStackTheLayers) {
  const TempDir tmp("pt_dict");
  c10::Dict<std::string, at::Tensor> d;
  d.insert("attention", attention(1));
  d.insert("other", attention(2).slice(0, 0, 1));
  save_pt(d, tmp.sub("d.pt"));
  EXPECT_EQ(read_npy(tf::pt_to_npy(tmp.sub("d.pt").string(), "", tmp.sub("a").string())).first.rfind("'shape': (2, 2, 3", 0), 0u);
  EXPECT_EQ(read_npy(tf::pt_to_npy(tmp.sub("d.pt").string(), "other", tmp.sub("b").string())).first.rfind("'shape': (1, 2, 3", 0), 0u);
  try {
    tf::pt_to_npy(tmp.sub("d.pt").string(), "nope", tmp.sub("c").string());
    FAIL() << "a missing key must be refused";
  } catch (const polarlab::ConfigError& e) {
    EXPECT_EQ(e.field, "--key");
    EXPECT_NE(std::string(e.what()).find("tensors: attention, other"), std::string::npos) << e.what();
  }
  // torch.save(outputs.attentions): a tuple of per-layer [sample, head, q, k] tensors.
  const at::Tensor layers = attention(3);
  save_pt(c10::ivalue::Tuple::create({layers[0], layers[1]}), tmp.sub("t.pt"));
  const auto [shape, v] = read_npy(tf::pt_to_npy(tmp.sub("t.pt").string(), "", tmp.sub("t").string()));
  EXPECT_EQ(shape.rfind("'shape': (2, 2, 3, 4, 4)", 0), 0u) << shape;
  EXPECT_EQ(v[v.size() - 1], layers.contiguous().data_ptr<float>()[layers.numel() - 1]);
}

TEST(PtFile, BadFilesAreConfigErrorsNamingTheFile) {
  const TempDir tmp("pt_bad");
  std::ofstream(tmp.sub("junk.pt")) << "not a pickle";
  save_pt(torch::ones({2, 2}, torch::kInt64), tmp.sub("int.pt"));
  save_pt(c10::IValue(std::string("text")), tmp.sub("str.pt"));
  for (const auto& [name, field, words] : {std::tuple{"junk.pt", "FILE", "not a file torch.save wrote"},
                                          std::tuple{"int.pt", "dtype", "expected float16, bfloat16, float32 or float64"},
                                          std::tuple{"str.pt", "FILE", "a tensor, a dict of tensors"}}) {
    try {
      tf::pt_to_npy(tmp.sub(name).string(), "", tmp.sub("o").string());
      FAIL() << name;
    } catch (const polarlab::ConfigError& e) {
      EXPECT_EQ(e.field, field) << e.what();
      const std::string what = e.what();
      EXPECT_NE(what.find(name), std::string::npos) << what;
      EXPECT_NE(what.find(words), std::string::npos) << what;
    }
  }
}

TEST(PtFile, AttentionStatsScoresAPtAsTheSameNpy) {
  const TempDir tmp("pt_stats");
  const at::Tensor t = attention(4).contiguous();
  save_pt(t, tmp.sub("m.pt"));
  {
    std::ofstream npy(tmp.sub("m.npy"), std::ios::binary);
    tf::write_npy_f32(npy, {2, 2, 3, 4, 4}, t.data_ptr<float>(), static_cast<std::size_t>(t.numel()));
  }
  for (const char* f : {"m.pt", "m.npy"}) {
    const std::string cmd = std::string(POLARLAB_CLI) + " attention stats " + tmp.sub(f).string() + " --out " +
                            tmp.sub(std::string("out_") + f).string() + " > /dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  }
  const std::string a = slurp(tmp.sub("out_m.pt/heads.csv")), b = slurp(tmp.sub("out_m.npy/heads.csv"));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);  // same label (the stem m), same scores
}
