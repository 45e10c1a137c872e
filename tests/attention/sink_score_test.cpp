// The one sink score (core/observe/sink_score.hpp) against a hand-computed example, for the rows paper, all and
// A:B: the dense function (train's) and the streamed scan (`attention stats`), whole, in pieces and in shards.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/attention/input_error.hpp"
#include "core/attention/model_scan.hpp"
#include "core/observe/sink_score.hpp"
#include "tests/attention/attention_files.hpp"
#include "tests/temp_dir.hpp"

using namespace polarlab;
using namespace polarlab::attention;

namespace {

// Two samples of 5 queries × 5 keys (causal-like rows, dyadic weights: exact in float16 too).
// Sample A's weight on key 0 by row: 1, .5, .25, .125, 0; sample B's: 1, .5, .5, .5, .25. Every row sums to 1.
const std::vector<double> kTwoSamples = {
    // A
    1, 0, 0, 0, 0,  //
    .5, .5, 0, 0, 0,  //
    .25, .25, .5, 0, 0,  //
    .125, .375, .25, .25, 0,  //
    0, .25, .25, .25, .25,  //
    // B
    1, 0, 0, 0, 0,  //
    .5, .5, 0, 0, 0,  //
    .5, .25, .25, 0, 0,  //
    .5, .25, .125, .125, 0,  //
    .25, .25, .25, .125, .125,  //
};
// Per sample Σ rows a[q][0] / (rows' total + 1e-9), then the mean of the two samples:
//   paper (rows 1..T−3 = 1..2): A (.5 + .25) / 2 = .375, B (.5 + .5) / 2 = .5            → .4375
//   all (rows 0..4):            A 1.875 / 5 = .375,      B 2.75 / 5 = .55                → .4625
//   3:4:                        A (.125 + 0) / 2 = .0625, B (.5 + .25) / 2 = .375        → .21875
// (a mean of per-row shares over rows 1..2 would agree here only because every row sums to 1; see below.)
struct Case {
  const char* rows;
  double expected;
};
const Case kCases[] = {{"paper", 0.4375}, {"all", 0.4625}, {"3:4", 0.21875}};

SinkRows rows_of(const std::string& name, std::uint64_t q) { return resolve_sink_rows(parse_sink_rows(name), q, "x"); }

TEST(SinkScore, DenseFunctionMatchesTheHandComputedExample) {
  std::vector<float> f(kTwoSamples.begin(), kTwoSamples.end());
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.rows);
    EXPECT_NEAR(polarlab::sink_score(f.data(), 2, 5, 5, rows_of(c.rows, 5), 0), c.expected, 1e-9);
    EXPECT_NEAR(polarlab::sink_score(kTwoSamples.data(), 2, 5, 5, rows_of(c.rows, 5), 0), c.expected, 1e-9);
  }
  EXPECT_EQ(paper_sink_rows(12).first, 1u);  // the induction task's T = 12: rows 1..9 (spec §7)
  EXPECT_EQ(paper_sink_rows(12).last, 9u);
}

TEST(SinkScore, IsARatioOfSumsPerSampleNotAMeanOfRowShares) {
  // One sample, rows 0..1: (1, 1) sums to 2 (unnormalised), (0, 1) to 1. Ratio of sums: 1 / 3; a mean of the
  // rows' shares would give (.5 + 0) / 2 = .25.
  const std::vector<double> a = {1, 1, 0, 1};
  EXPECT_NEAR(polarlab::sink_score(a.data(), 1, 2, 2, {0, 1}, 0), 1.0 / 3.0, 1e-9);
  const test::TempDir tmp("sink-ratio");
  const std::string p = (tmp.path / "a.npy").string();
  test::write_bytes(p, test::npy_of(a, test::DType::f32, {1, 1, 1, 2, 2}));
  EXPECT_NEAR(scan_model("m", {p}, {}).head(0, 0).sink, 1.0 / 3.0, 1e-9);
}

TEST(SinkScore, StreamedScanEqualsTheDenseFunctionForEveryRowsChoice) {
  const test::TempDir tmp("sink-scan");
  const std::string whole = (tmp.path / "whole.npy").string(), s0 = (tmp.path / "s0.npy").string(),
                    s1 = (tmp.path / "s1.npy").string();
  for (test::DType t : {test::DType::f16, test::DType::f32, test::DType::f64}) {
    test::write_bytes(whole, test::npy_of(kTwoSamples, t, {1, 1, 2, 5, 5}));
    // The same samples as two shards along samples.
    test::write_bytes(s0, test::npy_of({kTwoSamples.begin(), kTwoSamples.begin() + 25}, t, {1, 1, 1, 5, 5}));
    test::write_bytes(s1, test::npy_of({kTwoSamples.begin() + 25, kTwoSamples.end()}, t, {1, 1, 1, 5, 5}));
    for (const Case& c : kCases) {
      SCOPED_TRACE(std::string(c.rows) + " dtype " + std::to_string(static_cast<int>(t)));
      ScanOptions opt;
      opt.rows = parse_sink_rows(c.rows);
      const ModelStats m = scan_model("m", {whole}, opt);
      EXPECT_NEAR(m.head(0, 0).sink, c.expected, 1e-9);
      EXPECT_EQ(m.head(0, 0).sink_samples, 2u);
      EXPECT_EQ(m.sink_rows.str(), rows_of(c.rows, 5).str());
      EXPECT_NEAR(scan_model("m", {s0, s1}, opt).head(0, 0).sink, c.expected, 1e-9);
    }
  }
}

TEST(SinkScore, RowsArrivingInPiecesGiveTheSameScore) {
  // reduce_rows as the scan calls it when a file's pieces split a sample's map: row by row.
  std::vector<float> f(kTwoSamples.begin(), kTwoSamples.end());
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.rows);
    const SinkRows rows = rows_of(c.rows, 5);
    HeadAccumulator acc;
    SampleSink sample;
    for (std::uint64_t s = 0; s < 2; ++s) {
      for (std::uint64_t q = 0; q < 5; ++q)
        reduce_rows(reinterpret_cast<const std::byte*>(f.data() + (s * 5 + q) * 5), DType::f32, 1, 5, 0, acc, q, rows,
                    sample);
      finish_sample(acc, sample);
    }
    EXPECT_NEAR(finish(acc).sink, c.expected, 1e-9);
  }
}

TEST(SinkScore, RowsFlagIsParsedStrictlyAndMustFitTheQueries) {
  for (const char* bad : {"", "paper2", "1", "5:2", "a:b", "-1:3", "1:2:3", ":3", "2:", "1.5:3", " 1:3"}) {
    SCOPED_TRACE(bad);
    try {
      parse_sink_rows(bad);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.field, "--rows");
      EXPECT_NE(std::string(e.what()).find("all, paper, or A:B"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(parse_sink_rows("2:7").name(), "2:7");
  EXPECT_EQ(parse_sink_rows("paper").name(), "paper");
  try {
    resolve_sink_rows(parse_sink_rows("paper"), 3, "f.npy");
    ADD_FAILURE() << "paper rows of 3 queries accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(e.field, "--rows");
    EXPECT_NE(std::string(e.what()).find("f.npy"), std::string::npos) << e.what();
  }
  EXPECT_THROW(resolve_sink_rows(parse_sink_rows("0:5"), 5, "f.npy"), InputError);
  EXPECT_EQ(resolve_sink_rows(parse_sink_rows("0:4"), 5, "f.npy").last, 4u);
}

TEST(SinkScore, MaskedSamplesAreLeftOut) {
  // Sample 0 all zero (padding), sample 1 rows (1, 0), (.5, .5): only sample 1 is scored, .75.
  const std::vector<double> a = {0, 0, 0, 0, 1, 0, .5, .5};
  EXPECT_NEAR(polarlab::sink_score(a.data(), 2, 2, 2, {0, 1}, 0), 0.75, 1e-9);
  const test::TempDir tmp("sink-masked");
  const std::string p = (tmp.path / "a.npy").string();
  test::write_bytes(p, test::npy_of(a, test::DType::f32, {1, 1, 2, 2, 2}));
  const HeadStats s = scan_model("m", {p}, {}).head(0, 0);
  EXPECT_NEAR(s.sink, 0.75, 1e-9);
  EXPECT_EQ(s.sink_samples, 1u);
}

}  // namespace
