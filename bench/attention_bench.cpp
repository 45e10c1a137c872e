// Throughput of 'attention stats' (core/attention: memory map, decode, per-head reduction) from the page cache,
// beside a baseline that only reads (sums) the same bytes through the same map in the same run, and the peak
// resident memory (the bound is 512 MB whatever the file size).
// Usage: attention_bench [--gb 2] [--dtype f16|bf16|f32] [--format npy|safetensors] [--keys 256] [--reps 3]
//                        [--dense] [--dir DIR] [--keep]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "bench/bench_cli.hpp"
#include "core/attention/mapped_file.hpp"
#include "core/attention/model_scan.hpp"

namespace pa = polarlab::attention;

namespace {

double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

std::string encode_row(const std::vector<float>& row, pa::DType t) {
  std::string out;
  for (float f : row) {
    std::uint32_t u;
    std::memcpy(&u, &f, 4);
    if (t == pa::DType::f32) out.append(reinterpret_cast<const char*>(&f), 4);
    else {
      std::uint16_t h;
      if (t == pa::DType::bf16) h = static_cast<std::uint16_t>(u >> 16);
      else {  // f16 by truncation; values below 2^-14 flushed to zero (the bench needs bytes, not exact values)
        const int e = static_cast<int>((u >> 23) & 0xff) - 127 + 15;
        h = e <= 0 ? 0 : static_cast<std::uint16_t>(e << 10 | ((u >> 13) & 0x3ff));
      }
      out.append(reinterpret_cast<const char*>(&h), 2);
    }
  }
  return out;
}

// A causal (or, --dense, bidirectional) softmax-like tensor: layers × heads × samples × keys × keys, written in 8 MB pieces.
void write_tensor(const std::string& path, const std::string& format, pa::DType t, std::uint64_t layers,
                  std::uint64_t heads, std::uint64_t samples, std::uint64_t keys, bool dense) {
  const std::uint64_t bytes = layers * heads * samples * keys * keys * pa::dtype_size(t);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  const std::string shape = std::to_string(layers) + ", " + std::to_string(heads) + ", " + std::to_string(samples) +
                            ", " + std::to_string(keys) + ", " + std::to_string(keys);
  if (format == "npy") {
    std::string dict = "{'descr': '" + std::string(t == pa::DType::f16 ? "<f2" : "<f4") +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
    dict.append((64 - (10 + dict.size() + 1) % 64) % 64, ' ');
    dict += '\n';
    f << "\x93NUMPY" << '\x01' << '\x00' << static_cast<char>(dict.size() & 0xff) << static_cast<char>(dict.size() >> 8)
      << dict;
  } else {
    const std::string dt = t == pa::DType::f16 ? "F16" : t == pa::DType::bf16 ? "BF16" : "F32";
    std::string header = "{\"attention\":{\"dtype\":\"" + dt + "\",\"shape\":[" + shape +
                         "],\"data_offsets\":[0," + std::to_string(bytes) + "]}}";
    header.append((8 - header.size() % 8) % 8, ' ');
    const std::uint64_t n = header.size();
    f.write(reinterpret_cast<const char*>(&n), 8);
    f << header;
  }
  // A few hundred distinct q×k maps, repeated: generation stays cheap, the reader sees real rows.
  std::mt19937 rng(7);
  std::exponential_distribution<float> logits(1.0f);
  std::vector<std::string> maps(64);
  for (auto& m : maps) {
    for (std::uint64_t q = 0; q < keys; ++q) {
      std::vector<float> row(keys, 0.0f);
      float sum = 0;
      for (std::uint64_t k = 0; k <= (dense ? keys - 1 : q); ++k) sum += row[k] = std::exp(4.0f * logits(rng));
      for (float& v : row) v /= sum;
      m += encode_row(row, t);
    }
  }
  std::string piece;
  for (std::uint64_t i = 0, n = layers * heads * samples; i < n; ++i) {
    piece += maps[i % maps.size()];
    if (piece.size() >= (8u << 20) || i + 1 == n) f << piece, piece.clear();
  }
  if (!f) throw std::runtime_error("cannot write " + path);
}

// The baseline: the same bytes summed as 64-bit words through the same kind of map, pages released likewise.
std::uint64_t sum_bytes(const std::string& path) {
  const pa::MappedFile m(path);
  std::uint64_t s = 0;
  constexpr std::size_t kChunk = 8u << 20;
  for (std::size_t off = 0; off < m.size(); off += kChunk) {
    const std::size_t n = std::min(kChunk, m.size() - off);
    const auto* w = reinterpret_cast<const unsigned char*>(m.data() + off);
    std::uint64_t part = 0;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::uint64_t v;
      std::memcpy(&v, w + i, 8);
      part += v;
    }
    s += part;
    m.release(off, n);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Throughput of attention stats from the page cache, against just reading the same bytes",
               "attention_bench"};
  double gb = 2;
  std::string dtype = "f16", format = "npy", dir = std::filesystem::temp_directory_path().string();
  std::uint64_t keys = 256;
  int reps = 3;
  bool keep = false, dense = false;
  app.add_option("--gb", gb, "Tensor size in GB (default 2)")->check(polarlab::bench::real_in(0.01, 200.0));
  app.add_option("--dtype", dtype, "f16, bf16 or f32")->check(CLI::IsMember({"f16", "bf16", "f32"}));
  app.add_option("--format", format, "npy or safetensors")->check(CLI::IsMember({"npy", "safetensors"}));
  app.add_option("--keys", keys, "Sequence length (q = k)")->check(polarlab::bench::integer_in(2, 8192));
  app.add_option("--reps", reps, "Timed passes of each (median)")->check(polarlab::bench::integer_in(1, 100));
  app.add_option("--dir", dir, "Folder for the generated file");
  app.add_flag("--keep", keep, "Keep the generated file");
  app.add_flag("--dense", dense, "Every key weighted (bidirectional attention); default: causal rows");
  if (const int rc = polarlab::bench::parse(app, argc, argv); rc >= 0) return rc;
  return polarlab::bench::run_main("attention_bench", [&] {
    if (format == "npy" && dtype == "bf16") throw polarlab::ConfigError("--dtype", "npy has no bfloat16");
    polarlab::checked::check_writable_folder(dir, "--dir");  // before gigabytes are generated
    const pa::DType t = dtype == "f16" ? pa::DType::f16 : dtype == "bf16" ? pa::DType::bf16 : pa::DType::f32;
    const std::uint64_t map_bytes = keys * keys * pa::dtype_size(t);
    const std::uint64_t layers = 4, heads = 8;
    const std::uint64_t samples = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(gb * 1e9 / map_bytes / 32));
    const std::string path = dir + "/polarlab-attention-bench." + format;
    double t0 = now();
    write_tensor(path, format, t, layers, heads, samples, keys, dense);
    const double bytes = static_cast<double>(std::filesystem::file_size(path));
    std::printf("file %s: %.2f GB, %s, %llu layers x %llu heads x %llu samples x %llu x %llu (written in %.1f s)\n",
                path.c_str(), bytes / 1e9, dtype.c_str(), (unsigned long long)layers, (unsigned long long)heads,
                (unsigned long long)samples, (unsigned long long)keys, (unsigned long long)keys, now() - t0);
    volatile std::uint64_t sink = sum_bytes(path);  // warms the page cache
    std::vector<double> base, scan, base_cpu, scan_cpu;  // wall and CPU seconds (CPU: immune to other load)
    double mean_sparsity = 0;
    for (int r = 0; r < reps; ++r) {
      t0 = now();
      double c0 = cpu_seconds();
      sink = sink + sum_bytes(path);
      base.push_back(now() - t0);
      base_cpu.push_back(cpu_seconds() - c0);
      t0 = now();
      c0 = cpu_seconds();
      const pa::ModelStats m = pa::scan_model("bench", {path}, {});
      scan.push_back(now() - t0);
      scan_cpu.push_back(cpu_seconds() - c0);
      mean_sparsity = m.head(0, 0).sparsity;
    }
    auto median = [](std::vector<double> v) {
      std::sort(v.begin(), v.end());
      return v[v.size() / 2];
    };
    const double b = bytes / 1e9 / median(base), s = bytes / 1e9 / median(scan);
    const double bc = bytes / 1e9 / median(base_cpu), sc = bytes / 1e9 / median(scan_cpu);
    std::printf("                      wall        CPU time\n");
    std::printf("read (sum) baseline   %6.2f GB/s %6.2f GB/s\n", b, bc);
    std::printf("attention stats       %6.2f GB/s %6.2f GB/s  (%.3f x the baseline, wall; head 0 sparsity %.4f)\n", s,
                sc, s / b, mean_sparsity);
    std::printf("peak resident memory %6.1f MB (bound 512 MB)\n", peak_rss_mb());
    if (!keep) std::filesystem::remove(path);
    return 0;
  });
}
