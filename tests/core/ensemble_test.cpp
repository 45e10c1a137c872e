#include "core/ensemble/ensemble.hpp"

#include <atomic>
#include <cmath>

#include <gtest/gtest.h>

#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"

using namespace polarlab;

TEST(Ensemble, EveryLogisticRunPicksArgmaxU0AndThreadsDoNotChangeResults) {
  const ExperimentConfig base = resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e4}});
  EnsembleOptions one{.count = 200, .threads = 1};
  EnsembleOptions two{.count = 200, .threads = 2};
  const EnsembleResult a = run_ensemble(base, one), b = run_ensemble(base, two);
  ASSERT_EQ(a.summaries.size(), 1u);
  // Theorem 3.2: the order of s follows u(0) for every t > 0, so the winner is always argmax u(0).
  EXPECT_EQ(a.summaries[0].p_predicted_winner, 1.0);
  EXPECT_EQ(a.summaries[0].count, 200);
  for (std::size_t i = 0; i < a.members.size(); ++i) {
    EXPECT_EQ(a.members[i].max_s, b.members[i].max_s) << i;
    EXPECT_EQ(a.members[i].seed, i);
  }
}

TEST(Ensemble, RegressionPolarizesMoreAtLargerKappa) {
  const ExperimentConfig base = resolve_preset("fig3", {{"method", "flow"}});
  const EnsembleResult r = run_ensemble(base, {.count = 40, .kappas = {1.0, 5.0}});
  ASSERT_EQ(r.summaries.size(), 2u);
  EXPECT_LT(r.summaries[0].max_s_q50, r.summaries[1].max_s_q50);
}

TEST(Ensemble, ImpossibleKappaIsRefusedUpFront) {
  const ExperimentConfig base = resolve_preset("fig3", {{"method", "flow"}});
  EXPECT_THROW(run_ensemble(base, {.count = 2, .kappas = {0.5}}), ConfigError);
}

// A cancelled ensemble: what finished is summarized per κ, what never ran is neither counted nor failed, and a
// κ none of whose members ran has no value (NaN), not probability 0 and median 0.
TEST(Ensemble, CancelledRunSummarizesOnlyTheMembersThatFinished) {
  const ExperimentConfig base = resolve_preset("fig3", {{"method", "flow"}});
  const EnsembleOptions opt{.count = 4, .kappas = {1.0, 5.0, 9.0}, .threads = 1};
  JobControl job;
  // One thread takes members in order, so cancelling after the 6th leaves κ = 1 whole, κ = 5 half, κ = 9 unrun.
  const EnsembleResult r = run_ensemble(base, opt, &job, [&](std::size_t done, std::size_t) {
    if (done == 6) job.request_cancel();
  });
  EXPECT_EQ(job.state(), JobState::cancelled);
  EXPECT_EQ(job.done(), 6);
  EXPECT_EQ(job.total(), 12);
  ASSERT_EQ(r.members.size(), 12u);
  EXPECT_EQ(r.finished, 6u);
  EXPECT_FALSE(r.complete());
  for (std::size_t i = 0; i < r.members.size(); ++i) EXPECT_EQ(r.members[i].done, i < 6) << i;
  ASSERT_EQ(r.summaries.size(), 3u);
  const EnsembleSummary &k1 = r.summaries[0], &k5 = r.summaries[1], &k9 = r.summaries[2];
  EXPECT_EQ(k1.count, 4);
  EXPECT_EQ(k1.unfinished, 0);
  EXPECT_EQ(k5.count, 2);
  EXPECT_EQ(k5.failed, 0);  // the two that never ran are not failures
  EXPECT_EQ(k5.unfinished, 2);
  EXPECT_EQ(k5.planned, 4);
  EXPECT_EQ(k5.finished(), 2);
  EXPECT_EQ(k9.count, 0);
  EXPECT_EQ(k9.failed, 0);
  EXPECT_EQ(k9.unfinished, 4);
  EXPECT_TRUE(std::isnan(k9.p_polarized));
  EXPECT_TRUE(std::isnan(k9.p_predicted_winner));
  EXPECT_TRUE(std::isnan(k9.max_s_q50));
  EXPECT_TRUE(std::isnan(k9.max_s_mean));

  // κ = 5's statistics are those of its two finished seeds, as the same seeds give in a complete run.
  const EnsembleResult two = run_ensemble(base, {.count = 2, .kappas = {5.0}, .threads = 1});
  ASSERT_EQ(two.summaries.size(), 1u);
  EXPECT_EQ(k5.max_s_q50, two.summaries[0].max_s_q50);
  EXPECT_EQ(k5.p_polarized, two.summaries[0].p_polarized);
  EXPECT_EQ(k5.p_predicted_winner, two.summaries[0].p_predicted_winner);
}

TEST(Ensemble, CompleteRunHasEveryMemberFinished) {
  const ExperimentConfig base = resolve_preset("fig3", {{"method", "flow"}});
  const EnsembleResult r = run_ensemble(base, {.count = 3, .kappas = {1.0, 4.0}, .threads = 2});
  EXPECT_EQ(r.finished, 6u);
  EXPECT_TRUE(r.complete());
  for (const EnsembleSummary& s : r.summaries) {
    EXPECT_EQ(s.planned, 3);
    EXPECT_EQ(s.unfinished, 0);
    EXPECT_EQ(s.count, 3);
    EXPECT_TRUE(std::isfinite(s.p_polarized) && std::isfinite(s.max_s_q50));
  }
}

// Found by the GUI monkey: Cancel (or closing the window) waited for the members in flight to end, and a member
// with a large step count typed in ran for minutes. A member now sees the cancel between slices of its run.
TEST(Ensemble, ACancelReachesAMemberInFlight) {
  ExperimentConfig c = polarlab::resolve_preset("fig2");
  c.steps = 1000000000000LL;  // days of GD
  polarlab::EnsembleMember m;
  m.kappa = c.kappa;
  m.seed = 1;
  JobControl job;
  job.request_cancel();
  EXPECT_FALSE(polarlab::run_member(m, c, &job));
  EXPECT_FALSE(m.done);
}

TEST(Ensemble, AMemberRunInSlicesEndsWhereTheCliRunEnds) {
  ExperimentConfig c = polarlab::resolve_preset("fig2");
  c.steps = 20000;
  polarlab::EnsembleMember m;
  m.kappa = c.kappa;
  m.seed = 7;
  ASSERT_TRUE(polarlab::run_member(m, c));
  ExperimentConfig one = c;
  one.seed = 7;
  one.records = 2;
  polarlab::Runner r(one);
  r.advance(polarlab::Budget{});
  ASSERT_TRUE(r.done());
  EXPECT_EQ(m.max_s, r.records().back().max_s);  // bit for bit
  EXPECT_EQ(m.loss, r.records().back().loss);
}
