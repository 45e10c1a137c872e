// heads.csv, summary.json and Figure 7's histogram from a hand-scored tensor.
#include <gtest/gtest.h>

#include "core/attention/report.hpp"
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
#include "core/attention/sparsity_figure.hpp"
#endif
#include "tests/attention/attention_files.hpp"
#include "tests/temp_dir.hpp"

using namespace polarlab;
using namespace polarlab::attention;

namespace {

// One layer, two heads, one sample, two queries of two keys: head 0 rows (1, 0), (.5, .5); head 1 all masked.
ModelStats two_heads(const test::TempDir& tmp) {
  const std::string p = (tmp.path / "m.npy").string();
  test::write_bytes(p, test::npy_of({1, 0, 0.5, 0.5, 0, 0, 0, 0}, DType::f32, {1, 2, 2, 2}));
  return scan_model("my,model", {p}, {});
}

TEST(AttentionReport, QuantilesInterpolateLikeNumpy) {
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(quantile({4, 1, 3, 2}, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(quantile({4, 1, NAN, 3, 2}, 1), 4);
  EXPECT_TRUE(std::isnan(quantile({NAN}, 0.5)));
}

TEST(AttentionReport, HeadsCsvHasTheDocumentedColumnsAndHandScores) {
  const test::TempDir tmp("att-report");
  const ModelStats m = two_heads(tmp);
  // Head 0: sparsity (1 + .5)/2 = .75; sink (1 + .5)/(2 + 1e-9) over rows 0:1 of the one sample; entropy
  // (0 + ln2)/2; argmax on key 0 in both rows. Head 1: masked, no score (no sink sample).
  EXPECT_NEAR(m.head(0, 0).entropy, std::log(2.0) / 2, 1e-8);
  char entropy[32];
  std::snprintf(entropy, sizeof entropy, "%.9g", m.head(0, 0).entropy);
  EXPECT_EQ(heads_csv({m}),
            std::string("model,layer,head,sparsity,sink,entropy,argmax_sink_share,rows,sink_rows,sink_samples\n") +
                "\"my,model\",0,0,0.75,0.75," + entropy + ",1,2,0:1,1\n" + "\"my,model\",0,1,nan,nan,nan,nan,0,0:1,0\n");
}

TEST(AttentionReport, SummaryCountsRowsFilesAndSkippedRows) {
  const test::TempDir tmp("att-summary");
  const ModelStats m = two_heads(tmp);
  const auto j = summary_json({m}, {});
  ASSERT_EQ(j["models"].size(), 1u);
  const auto& s = j["models"][0];
  EXPECT_EQ(s["model"], "my,model");
  EXPECT_EQ(s["heads"], 2);
  EXPECT_EQ(s["heads_without_rows"], 1);
  EXPECT_EQ(s["rows"], 2);
  EXPECT_EQ(s["rows_skipped"]["masked"], 2);
  EXPECT_EQ(s["rows_skipped"]["invalid"], 0);
  EXPECT_EQ(s["files"].size(), 1u);
  EXPECT_EQ(s["shape"]["samples"], 1);
  EXPECT_DOUBLE_EQ(s["sparsity"]["mean"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(s["sparsity"]["median"].get<double>(), 0.75);
  EXPECT_EQ(s["sink_heads"], 0);
  EXPECT_EQ(s["sink_rows"]["rows"], "all");
  EXPECT_EQ(s["sink_rows"]["first"], 0);
  EXPECT_EQ(s["sink_rows"]["last"], 1);
  EXPECT_EQ(s["sink_samples"], 1);
  EXPECT_EQ(j["sink_rows"], "all");
  EXPECT_DOUBLE_EQ(j["sink_threshold"].get<double>(), 0.9);
  EXPECT_EQ(j["layout"], "layer,head,sample,q,k");
}

#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
TEST(AttentionFigure, HistogramIsTheShareOfHeadsPerBin) {
  const auto h = sparsity_histogram({0.26, 0.74, 0.76, 1.0, NAN});
  ASSERT_EQ(h.size(), 20u);
  EXPECT_DOUBLE_EQ(h[5], 0.25);   // 0.26 in [0.25, 0.30)
  EXPECT_DOUBLE_EQ(h[14], 0.25);  // 0.74
  EXPECT_DOUBLE_EQ(h[15], 0.25);  // 0.76
  EXPECT_DOUBLE_EQ(h[19], 0.25);  // 1.0 in the last bin
}

TEST(AttentionFigure, OneOutlinePerModel) {
  const test::TempDir tmp("att-fig");
  const ModelStats m = two_heads(tmp);
  const auto f = sparsity_figure({m, m});
  ASSERT_EQ(f.panels.size(), 1u);
  EXPECT_EQ(f.panels[0].series.size(), 2u);
  EXPECT_EQ(f.name, "fig7");
}
#endif

}  // namespace
