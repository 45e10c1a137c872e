// Every format and dtype, both layouts, 4-D files, shards and masked/invalid rows give the hand-computed
// per-head scores of reference_tensor.hpp; bad files are rejected with the file, the field and what was expected.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "core/attention/input_error.hpp"
#include "core/attention/model_scan.hpp"
#include "core/attention/sample_maps.hpp"
#include "core/attention/tensor_file.hpp"
#include "tests/attention/attention_files.hpp"
#include "tests/attention/reference_tensor.hpp"
#include "tests/temp_dir.hpp"

using namespace polarlab;
using namespace polarlab::attention;
using polarlab::test::Reference;
using polarlab::test::TempDir;

namespace {

enum class Format { npy, npz_stored, npz_deflated, safetensors };

std::string format_name(Format f) {
  switch (f) {
    case Format::npy: return "npy";
    case Format::npz_stored: return "npz_stored";
    case Format::npz_deflated: return "npz_deflated";
    default: return "safetensors";
  }
}

std::string extension(Format f) {
  return f == Format::npy ? ".npy" : f == Format::safetensors ? ".safetensors" : ".npz";
}

// The values in one file of the given format under key "attention" (npz also holds a decoy tensor).
std::string file_bytes(Format f, const std::vector<double>& v, DType t, const std::vector<std::uint64_t>& shape) {
  using namespace polarlab::test;
  switch (f) {
    case Format::npy: return npy_of(v, t, shape);
    case Format::npz_stored:
    case Format::npz_deflated:
      return zip_of({{"tokens.npy", npy_of({1, 2, 3}, DType::f64, {3})}, {"attention.npy", npy_of(v, t, shape)}},
                    f == Format::npz_deflated);
    default:
      return safetensors_of({{"attention", v, t, shape}, {"logits", {0.5, 1.5}, DType::f32, {2}}});
  }
}

void expect_reference(const ModelStats& m, const Reference& ref, bool sink2 = false) {
  ASSERT_EQ(m.layers, ref.L);
  ASSERT_EQ(m.heads, ref.H);
  ASSERT_EQ(m.samples, ref.S);
  for (std::uint64_t l = 0; l < ref.L; ++l)
    for (std::uint64_t h = 0; h < ref.H; ++h) {
      std::uint64_t rows = 0;
      const auto e = ref.expected(l, h, &rows);
      const HeadStats s = m.head(l, h);
      SCOPED_TRACE("layer " + std::to_string(l) + " head " + std::to_string(h));
      EXPECT_EQ(s.rows, rows);
      EXPECT_NEAR(s.sparsity, e.sparsity, 1e-7);
      EXPECT_NEAR(s.sink, sink2 ? e.sink2 : e.sink, 1e-7);
      EXPECT_NEAR(s.entropy, e.entropy, 1e-6);
      EXPECT_NEAR(s.argmax_sink_share, sink2 ? e.argmax_sink2 : e.argmax_sink, 1e-12);
    }
  const HeadAccumulator t = m.total();
  EXPECT_EQ(t.masked_rows, 1u);
  EXPECT_EQ(t.invalid_rows, 0u);
  EXPECT_EQ(t.rows, ref.L * ref.H * ref.S * ref.Q - 1);
}

using Case = std::tuple<Format, DType, Layout>;

class EveryFormat : public ::testing::TestWithParam<Case> {};

TEST_P(EveryFormat, GivesTheHandComputedScoresOfEveryHead) {
  const auto [format, dtype, layout] = GetParam();
  const TempDir tmp("att-format");
  const Reference ref;
  const std::string path = (tmp.path / ("a" + extension(format))).string();
  test::write_bytes(path, file_bytes(format, ref.values(layout), dtype, ref.shape(layout)));
  ScanOptions opt;
  opt.layout = layout;
  expect_reference(scan_model("m", {path}, opt), ref);
  opt.sink_key = 2;
  expect_reference(scan_model("m", {path}, opt), ref, true);
}

std::vector<Case> every_case() {
  std::vector<Case> c;
  for (Layout l : {Layout::layer_head_sample, Layout::layer_sample_head}) {
    for (Format f : {Format::npy, Format::npz_stored, Format::npz_deflated})
      for (DType t : {DType::f16, DType::f32, DType::f64}) c.emplace_back(f, t, l);
    for (DType t : {DType::f16, DType::bf16, DType::f32, DType::f64}) c.emplace_back(Format::safetensors, t, l);
  }
  return c;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  const Format f = std::get<0>(info.param);
  const DType t = std::get<1>(info.param);
  const Layout l = std::get<2>(info.param);
  return format_name(f) + "_" + dtype_name(t) + (l == Layout::layer_head_sample ? "_lhs" : "_lsh");
}

INSTANTIATE_TEST_SUITE_P(Attention, EveryFormat, ::testing::ValuesIn(every_case()), case_name);

TEST(AttentionZip, Zip64RecordsAndExtraFieldsAreRead) {
  const TempDir tmp("att-zip64");
  const Reference ref;
  for (bool deflated : {false, true}) {
    const std::string p = (tmp.path / "z.npz").string();
    test::write_bytes(p, test::zip_of({{"tokens.npy", test::npy_of({1, 2}, DType::f32, {2})},
                                       {"attention.npy", test::npy_of(ref.values(Layout::layer_head_sample), DType::f16,
                                                                      ref.shape(Layout::layer_head_sample))}},
                                      deflated, true));
    EXPECT_EQ(TensorFile(p).entries().size(), 2u);
    expect_reference(scan_model("m", {p}, {}), ref);
  }
}

TEST(AttentionShards, AlongSamplesEqualTheWholeTensor) {
  const TempDir tmp("att-shards");
  const Reference ref;
  for (Layout layout : {Layout::layer_head_sample, Layout::layer_sample_head}) {
    const std::string a = (tmp.path / "s0.npy").string(), b = (tmp.path / "s1.safetensors").string();
    // Shard 0 as float32 .npy, shard 1 as bf16 .safetensors: a shard's format and dtype are its own.
    test::write_bytes(a, test::npy_of(ref.values(layout, 0, 1), DType::f32, ref.shape(layout, 1)));
    test::write_bytes(b, test::safetensors_of({{"attention", ref.values(layout, 1, 2), DType::bf16, ref.shape(layout, 1)}}));
    ScanOptions opt;
    opt.layout = layout;
    expect_reference(scan_model("m", {a, b}, opt), ref);
  }
}

TEST(AttentionShards, FourDimensionalFilesAreOneSampleEach) {
  const TempDir tmp("att-4d");
  const Reference ref;
  std::vector<std::string> files;
  for (std::uint64_t s = 0; s < ref.S; ++s) {
    files.push_back((tmp.path / ("sample" + std::to_string(s) + ".npy")).string());
    test::write_bytes(files.back(), test::npy_of(ref.values(Layout::layer_head_sample, s, s + 1), DType::f16,
                                                 {ref.L, ref.H, ref.Q, ref.K}));
  }
  const ModelStats m = scan_model("m", files, {});
  expect_reference(m, ref);
  EXPECT_EQ(m.samples, 2u);
}

TEST(AttentionShards, OneFilePerLayer) {
  const TempDir tmp("att-layers");
  const Reference ref;
  std::vector<std::string> files;
  for (std::uint64_t l = 0; l < ref.L; ++l) {
    files.push_back((tmp.path / ("layer" + std::to_string(l) + ".npz")).string());
    test::write_bytes(files.back(), test::zip_of({{"attention.npy", test::npy_of(ref.values(Layout::layer_head_sample, 0, 2, l, l + 1),
                                                                                 DType::f32, ref.shape(Layout::layer_head_sample, 2, 1))}},
                                                 true));
  }
  ScanOptions opt;
  opt.shards = ShardAxis::layer;
  expect_reference(scan_model("m", files, opt), ref);
}

TEST(AttentionShards, DisagreeingShapesNameTheShardAndBothShapes) {
  const TempDir tmp("att-disagree");
  const std::string a = (tmp.path / "a.npy").string(), b = (tmp.path / "b.npy").string();
  test::write_bytes(a, test::npy_of(std::vector<double>(2 * 3 * 1 * 2 * 4, 0.25), DType::f32, {2, 3, 1, 2, 4}));
  test::write_bytes(b, test::npy_of(std::vector<double>(2 * 4 * 1 * 2 * 4, 0.25), DType::f32, {2, 4, 1, 2, 4}));
  try {
    scan_model("m", {a, b}, {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.file, b);
    EXPECT_EQ(e.field, "shape");
    EXPECT_NE(std::string(e.what()).find("heads 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("heads 4"), std::string::npos) << e.what();
  }
}

TEST(AttentionRows, NanAndNegativeWeightsAreCountedAndTheHeadIsScoredOnTheValidRows) {
  const TempDir tmp("att-nan");
  // One layer, one head, one sample, four queries of three keys.
  const std::vector<double> v = {0.5, 0.5, 0,          // valid: sparsity .5, sink .5, H = ln2, argmax 0
                                 NAN, 0.5, 0.5,        // 1 NaN weight: left out
                                 -0.25, 1.0, 0.25,     // 1 negative weight: left out
                                 0, 0, 1};             // valid: sparsity 1, sink 0, H = 0, argmax 2
  for (DType t : {DType::f16, DType::f32, DType::f64}) {
    const std::string p = (tmp.path / "x.npy").string();
    test::write_bytes(p, test::npy_of(v, t, {1, 1, 4, 3}));
    const ModelStats m = scan_model("m", {p}, {});
    const HeadStats s = m.head(0, 0);
    EXPECT_EQ(s.rows, 2u);
    EXPECT_DOUBLE_EQ(s.sparsity, 0.75);
    // The sink score of the one sample over all rows meets the NaN: the sample is left out, counted.
    EXPECT_TRUE(std::isnan(s.sink));
    EXPECT_EQ(s.sink_samples, 0u);
    EXPECT_NEAR(s.entropy, 0.5 * std::log(2.0), 1e-7);
    EXPECT_DOUBLE_EQ(s.argmax_sink_share, 0.5);
    const HeadAccumulator a = m.total();
    EXPECT_EQ(a.sink_samples_skipped, 1u);
    EXPECT_EQ(a.invalid_rows, 2u);
    EXPECT_EQ(a.nonfinite_weights, 1u);
    EXPECT_EQ(a.negative_weights, 1u);
    EXPECT_EQ(a.masked_rows, 0u);
    // Rows without the NaN are scored, negative weights counted as train counts them: rows 2..3 give
    // (−.25 + 0) / (1 + 1 + 1e-9); row 0 alone .5 / (1 + 1e-9).
    ScanOptions opt;
    opt.rows = parse_sink_rows("2:3");
    EXPECT_NEAR(scan_model("m", {p}, opt).head(0, 0).sink, -0.125, 1e-9);
    opt.rows = parse_sink_rows("0:0");
    EXPECT_NEAR(scan_model("m", {p}, opt).head(0, 0).sink, 0.5, 1e-9);
  }
}

TEST(AttentionRows, AHeadWithOnlyMaskedRowsHasNoScore) {
  const TempDir tmp("att-masked");
  const std::string p = (tmp.path / "x.npy").string();
  test::write_bytes(p, test::npy_of({0, 0, 0, 0, 1, 0}, DType::f32, {1, 2, 1, 3}));
  const ModelStats m = scan_model("m", {p}, {});
  EXPECT_EQ(m.head(0, 0).rows, 0u);
  EXPECT_TRUE(std::isnan(m.head(0, 0).sparsity));
  EXPECT_DOUBLE_EQ(m.head(0, 1).sparsity, 1.0);
  EXPECT_EQ(m.total().masked_rows, 1u);
}

// Each bad file: the error names the file, the field, and the expectation.
struct Bad {
  std::string name, bytes, field, expected_fragment;
};

TEST(AttentionBadInput, IsRejectedWithFileFieldAndExpectation) {
  const TempDir tmp("att-bad");
  using namespace polarlab::test;
  const std::string good_npy = npy_of(std::vector<double>(1 * 1 * 1 * 2 * 2, 0.5), DType::f32, {1, 1, 1, 2, 2});
  const std::string good_st = safetensors_of({{"attention", std::vector<double>(4, 0.5), DType::f16, {1, 1, 2, 2}}});
  const std::string good_npz = zip_of({{"attention.npy", good_npy}}, true);
  std::vector<Bad> cases = {
      {"rank3.npy", npy_of({0.5, 0.5}, DType::f32, {1, 1, 2}), "shape", "rank 5"},
      {"int.npy", npy_bytes(std::string(16, '\0'), "<i4", {1, 1, 2, 2}), "descr", "float16, float32 or float64"},
      {"big_endian.npy", npy_bytes(std::string(16, '\0'), ">f4", {1, 1, 2, 2}), "descr", "little-endian"},
      {"fortran.npy", [&] {
         std::string s = good_npy;
         s.replace(s.find("False"), 5, "True ");
         return s;
       }(), "fortran_order", "False"},
      {"truncated.npy", good_npy.substr(0, good_npy.size() - 3), "data", "truncated"},
      {"header_cut.npy", good_npy.substr(0, 40), "header", "truncated"},
      {"int.safetensors", safetensors_of({{"attention", {}, DType::f32, {0}}}).replace(0, 0, ""), "", ""},
      {"truncated.safetensors", good_st.substr(0, good_st.size() - 1), "attention.data_offsets", "truncated"},
      {"json.safetensors", std::string("\x05\0\0\0\0\0\0\0{bad}", 13), "header", "JSON"},
      {"truncated.npz", good_npz.substr(0, good_npz.size() - 30), "zip", "end-of-central-directory"},
      {"nokey.npz", zip_of({{"scores.npy", good_npy}, {"other.npy", good_npy}}, false), "--key", "scores, other"},
      {"text.npy", "hello, not numpy", "magic", ".npy"},
  };
  // Unknown safetensors dtype: I8.
  {
    std::string s = good_st;
    s.replace(s.find("\"F16\""), 5, "\"I8\" ");
    cases[6] = {"int.safetensors", s, "attention.dtype", "F16, BF16, F32 or F64, not I8"};
  }
  for (const Bad& b : cases) {
    const std::string p = (tmp.path / b.name).string();
    write_bytes(p, b.bytes);
    try {
      scan_model("m", {p}, {});
      ADD_FAILURE() << b.name << ": accepted";
    } catch (const InputError& e) {
      EXPECT_NE(e.file.find(b.name), std::string::npos) << b.name << ": " << e.what();
      EXPECT_EQ(e.field, b.field) << b.name << ": " << e.what();
      EXPECT_NE(std::string(e.what()).find(b.expected_fragment), std::string::npos) << b.name << ": " << e.what();
    }
  }
}

TEST(AttentionBadInput, MissingKeyAndSinkKeyOutsideTheRow) {
  const TempDir tmp("att-key");
  const std::string p = (tmp.path / "x.safetensors").string();
  test::write_bytes(p, test::safetensors_of({{"attention", std::vector<double>(4, 0.5), DType::f32, {1, 1, 2, 2}}}));
  ScanOptions opt;
  opt.key = "attn";
  try {
    scan_model("m", {p}, opt);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field, "--key");
    EXPECT_NE(std::string(e.what()).find("the file holds: attention"), std::string::npos) << e.what();
  }
  opt.key = "";
  opt.sink_key = 2;
  try {
    scan_model("m", {p}, opt);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.field, "--sink-key");
  }
}

TEST(AttentionSampleMaps, OneSampleOfEveryHeadInBothLayoutsAndPooled) {
  const TempDir tmp("att-maps");
  const Reference ref;
  for (Layout layout : {Layout::layer_head_sample, Layout::layer_sample_head}) {
    const std::string p = (tmp.path / "a.safetensors").string();
    test::write_bytes(p, test::safetensors_of({{"attention", ref.values(layout), DType::f16, ref.shape(layout)}}));
    const SampleMaps full = read_sample_maps(p, "", layout, 1);
    ASSERT_EQ(full.rows, 2);
    ASSERT_EQ(full.cols, 4);
    for (std::uint64_t l = 0; l < ref.L; ++l)
      for (std::uint64_t h = 0; h < ref.H; ++h)
        for (int i = 0; i < 2; ++i)
          for (int j = 0; j < 4; ++j) EXPECT_EQ(full.at(l, h, i, j), ref.value(l, h, 1, i, j)) << l << h << i << j;
    // Pooled to 2×2: each cell the mean of the two keys it covers.
    const SampleMaps pooled = read_sample_maps(p, "", layout, 0, 2);
    ASSERT_EQ(pooled.rows, 2);
    ASSERT_EQ(pooled.cols, 2);
    const double want = (ref.value(1, 2, 0, 0, 2) + ref.value(1, 2, 0, 0, 3)) / 2;
    EXPECT_FLOAT_EQ(pooled.at(1, 2, 0, 1), static_cast<float>(want));
  }
  const std::string p = (tmp.path / "a.safetensors").string();
  EXPECT_THROW(read_sample_maps(p, "", Layout::layer_sample_head, 2), InputError);
}

TEST(AttentionDType, HalfDecodingCoversSubnormalsInfinityAndNan) {
  EXPECT_EQ(half_to_float(0x3c00), 1.0f);
  EXPECT_EQ(half_to_float(0x0001), 0x1p-24f);  // smallest subnormal
  EXPECT_EQ(half_to_float(0x03ff), 1023 * 0x1p-24f);
  EXPECT_EQ(half_to_float(0x7bff), 65504.0f);
  EXPECT_EQ(half_to_float(0xc000), -2.0f);
  EXPECT_TRUE(std::isinf(half_to_float(0x7c00)));
  EXPECT_TRUE(std::isnan(half_to_float(0x7e00)));
  EXPECT_EQ(bf16_to_float(0x3f80), 1.0f);
  for (std::uint32_t h = 0; h < 0x7c00; ++h)  // every finite half round-trips through the test encoder
    ASSERT_EQ(test::float_to_half(half_to_float(static_cast<std::uint16_t>(h))), h) << h;
}

}  // namespace
