// Pure logic of the transformer and ensemble workspaces (no GL, no libtorch): token labels and the
// induction answer of spec §7's sequences, histogram binning of the final max s, the summary CSV, κ ranges, and
// the run labels (partial n of N, previous run).
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "app/gui/ensemble/stats.hpp"
#include "app/gui/transformer/labels.hpp"

namespace polarlab::gui {
namespace {

// [BOS, m1..m4, q] with q = m2 = 7: the answer is m3 = 9.
const std::vector<std::int64_t> kInduction = {0, 12, 7, 9, 30, 7};

TEST(TokenLabels, InductionRolesOnTheAxes) {
  const SequenceLayout s{true, 50, 4};
  std::vector<std::string> got;
  for (int t = 0; t < 6; ++t) got.push_back(token_axis_label(s, kInduction, t));
  EXPECT_EQ(got, (std::vector<std::string>{"BOS", "m1", "m2", "m3", "m4", "q"}));
  EXPECT_EQ(token_hover_label(s, kInduction, 0), "BOS");
  EXPECT_EQ(token_hover_label(s, kInduction, 3), "m3 = 9");
  EXPECT_EQ(token_hover_label(s, kInduction, 5), "q = 7");
  EXPECT_EQ(token_axis_label(s, kInduction, 6), "");
  EXPECT_EQ(anchor_position(s, 6), 0);
}

TEST(TokenLabels, ShiftedQueryNamesTheContentToken) {
  const SequenceLayout s{true, 50, 4};
  const std::vector<std::int64_t> seq = {0, 12, 7, 9, 30, 57};  // q = 7 + V
  EXPECT_EQ(token_hover_label(s, seq, 5), "q = 57 (7 + V)");
  const InductionAnswer a = induction_answer(s, seq);
  EXPECT_EQ(a.r, 2);
  EXPECT_EQ(a.target, 9);
}

TEST(TokenLabels, ClassificationShowsTokensLabelsAndCls) {
  const SequenceLayout s{false, 41, 4};  // groups of 10: label g owns 1+10g … 10+10g
  const std::vector<std::int64_t> seq = {23, 11, 20, 0};
  EXPECT_EQ(token_axis_label(s, seq, 0), "23");
  EXPECT_EQ(token_axis_label(s, seq, 3), "CLS");
  EXPECT_EQ(token_hover_label(s, seq, 0), "23 (label 2)");
  EXPECT_EQ(token_hover_label(s, seq, 1), "11 (label 1)");
  EXPECT_EQ(token_hover_label(s, seq, 2), "20 (label 1)");
  EXPECT_EQ(anchor_position(s, 4), 3);
}

TEST(InductionAnswer, FollowsTheCopiedToken) {
  const SequenceLayout s{true, 50, 4};
  EXPECT_EQ(induction_answer(s, kInduction).r, 2);
  EXPECT_EQ(induction_answer(s, kInduction).target, 9);
  // q = m4 (the last content token): the answer is q itself.
  const std::vector<std::int64_t> last = {0, 12, 7, 9, 30, 30};
  EXPECT_EQ(induction_answer(s, last).r, 4);
  EXPECT_EQ(induction_answer(s, last).target, 30);
  // A query that copies nothing is not an induction sequence.
  EXPECT_EQ(induction_answer(s, {0, 12, 7, 9, 30, 44}).r, 0);
}

TEST(HeadScoreText, TwoDecimals) {
  EXPECT_EQ(head_score_text(true, 0.934), "sink 0.93");
  EXPECT_EQ(head_score_text(false, 0.5), "conc. 0.50");
}

TEST(Histogram, BinEdgesAndClamping) {
  EXPECT_EQ(histogram_bin(0.0, 20, 0.0, 1.0), 0);
  EXPECT_EQ(histogram_bin(0.049, 20, 0.0, 1.0), 0);
  EXPECT_EQ(histogram_bin(0.05, 20, 0.0, 1.0), 1);
  EXPECT_EQ(histogram_bin(0.95, 20, 0.0, 1.0), 19);
  EXPECT_EQ(histogram_bin(1.0, 20, 0.0, 1.0), 19);  // the upper edge belongs to the last bin
  EXPECT_EQ(histogram_bin(-3.0, 20, 0.0, 1.0), 0);
  EXPECT_EQ(histogram_bin(7.0, 20, 0.0, 1.0), 19);
  EXPECT_EQ(histogram_bin(0.5, 0, 0.0, 1.0), -1);
}

EnsembleMember member(double kappa, double max_s, bool ok = true) {
  EnsembleMember m;
  m.kappa = kappa;
  m.max_s = max_s;
  m.ok = ok;
  return m;
}

TEST(Histogram, FractionsPerKappaOfTheFinishedRuns) {
  const std::vector<EnsembleMember> ms = {member(1, 0.12), member(1, 0.14), member(1, 0.97), member(1, 0.5, false),
                                          member(4, 0.99), member(4, 1.0)};
  const MaxSHistogram h = histogram_max_s(ms, 10);
  ASSERT_EQ(h.kappas, (std::vector<double>{1, 4}));
  EXPECT_EQ(h.ok, (std::vector<int>{3, 2}));
  ASSERT_EQ(h.fraction.size(), 2u);
  EXPECT_DOUBLE_EQ(h.fraction[0][1], 2.0 / 3.0);  // 0.12 and 0.14 in [0.1, 0.2)
  EXPECT_DOUBLE_EQ(h.fraction[0][9], 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(h.fraction[0][5], 0.0);        // the failed run is left out
  EXPECT_DOUBLE_EQ(h.fraction[1][9], 1.0);
  for (const auto& row : h.fraction) {
    double sum = 0;
    for (double f : row) sum += f;
    EXPECT_NEAR(sum, 1.0, 1e-12);
  }
}

// A κ none of whose members finished ok (e.g. all cancelled) has no distribution: NaN (masked), not 0 %.
TEST(Histogram, KappaWithNoFinishedRunHasNoDistribution) {
  EnsembleMember unrun = member(9, 0.0, false);
  const MaxSHistogram h = histogram_max_s({member(1, 0.5), unrun, unrun}, 10);
  ASSERT_EQ(h.kappas, (std::vector<double>{1, 9}));
  EXPECT_EQ(h.ok, (std::vector<int>{1, 0}));
  EXPECT_DOUBLE_EQ(h.fraction[0][5], 1.0);
  for (double f : h.fraction[1]) EXPECT_TRUE(std::isnan(f)) << f;
}

EnsembleSummary kappa_row(int count, int failed, int planned) {
  EnsembleSummary s;
  s.count = count;
  s.failed = failed;
  s.planned = planned;
  s.unfinished = planned - count - failed;
  return s;
}

// The cancelled run: 3000 per κ over 10 κ, 1817 ran. The labels say so instead of "30000 runs".
TEST(EnsembleLabels, CancelledRunReadsAsPartialNOfN) {
  EnsembleResult r;
  r.members.resize(30000);
  r.finished = 1817;
  r.seconds = 4.48;
  EXPECT_EQ(ensemble_runs_text(r), "partial: 1817 of 30000 runs");
  EXPECT_EQ(ensemble_result_caption("fig3, 3000 runs × 10 κ", r, false),
            "fig3, 3000 runs × 10 κ   partial: 1817 of 30000 runs in 4.48 s");
  EXPECT_EQ(kappa_runs_text(kappa_row(1500, 2, 3000)), "1502 of 3000");  // failures ran, so they finished
  EXPECT_EQ(kappa_runs_text(kappa_row(0, 0, 3000)), "0 of 3000");
  EXPECT_EQ(ensemble_value_text(std::nan("")), "–");  // no member finished: no value, not 0.000
  EXPECT_EQ(ensemble_value_text(0.0), "0.000");
  EXPECT_EQ(ensemble_value_text(0.25), "0.250");
}

TEST(EnsembleLabels, CompleteRunAndPreviousRun) {
  EnsembleResult r;
  r.members.resize(30000);
  r.finished = 30000;
  r.seconds = 12.3;
  EXPECT_EQ(ensemble_runs_text(r), "30000 runs");
  EXPECT_EQ(kappa_runs_text(kappa_row(2998, 2, 3000)), "3000");
  // While a newer run is in progress, the old result keeps its own count and says it is the previous run.
  EXPECT_EQ(ensemble_result_caption("fig3, 3000 runs × 10 κ", r, true),
            "previous run: fig3, 3000 runs × 10 κ   30000 runs in 12.3 s");
}

TEST(EnsembleCsv, OneRowPerKappaWithTheCliColumns) {
  EnsembleSummary a;
  a.kappa = 1;
  a.count = 100;
  a.failed = 2;
  a.p_polarized = 0.25;
  a.p_predicted_winner = 0.5;
  a.max_s_mean = 0.6;
  a.max_s_q10 = 0.2;
  a.max_s_q50 = 0.55;
  a.max_s_q90 = 0.95;
  const std::string csv = ensemble_summary_csv({a});
  std::istringstream in(csv);
  std::string header, row, extra;
  std::getline(in, header);
  std::getline(in, row);
  EXPECT_EQ(header, "kappa,count,failed,p_polarized,p_predicted_winner,max_s_mean,max_s_q10,max_s_q50,max_s_q90");
  EXPECT_EQ(row, "1,100,2,0.25,0.5,0.6,0.2,0.55,0.95");
  EXPECT_FALSE(std::getline(in, extra));
}

TEST(KappaRange, EvenlySpacedAndRefusedWithTheReason) {
  EXPECT_EQ(parse_kappa_range("1:10:4"), (std::vector<double>{1, 4, 7, 10}));
  EXPECT_EQ(parse_kappa_range("2:2:1"), (std::vector<double>{2}));
  for (const char* bad : {"1:10", "1:10:0", "a:b:c", "1:10:3x", "0:10:3", "1;10;3"}) {
    try {
      parse_kappa_range(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("a:b:n"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace polarlab::gui
