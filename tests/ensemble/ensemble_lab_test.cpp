// The ensemble workspace's run life cycle with the real engine: the result on screen and its label always
// belong together, and a cancelled run is shown as what finished, labelled partial.
#include <cmath>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "app/gui/ensemble/state.hpp"
#include "tests/gui/executor.hpp"

using namespace polarlab;
using namespace polarlab::gui;

namespace {

// The job host of the tests' runs: the thread executor, or the inline one (POLARLAB_EXECUTOR=inline; wait()
// then runs the members on the test's thread).
JobHost& host() {
  static JobHost h(polarlab::test::executor_from_env());
  return h;
}

EnsembleState small_lab() {
  EnsembleState lab;
  lab.preset = "fig3";
  lab.count = 2;
  std::snprintf(lab.kappa_range, sizeof lab.kappa_range, "%s", "1:4:2");
  lab.threads = 1;
  return lab;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST(EnsembleState, ANewRunNeverRelabelsThePreviousResult) {
  EnsembleState lab = small_lab();
  ASSERT_TRUE(lab.start(host())) << lab.refused;
  lab.worker->wait();
  EXPECT_TRUE(lab.poll());
  ASSERT_TRUE(lab.result);
  const auto first = lab.result;
  EXPECT_EQ(lab.ran, "fig3, 2 runs × 2 κ");
  EXPECT_FALSE(lab.shows_previous());
  EXPECT_TRUE(starts_with(ensemble_result_caption(lab.ran, *lab.result, lab.shows_previous()),
                          "fig3, 2 runs × 2 κ   4 runs in "));

  // A run far too long to end during this test: until its result arrives, the first one stays on screen with
  // its own count and threshold, marked as the previous run.
  lab.count = 1'000'000;
  lab.threshold = 0.5;
  ASSERT_TRUE(lab.start(host())) << lab.refused;
  lab.poll();
  EXPECT_EQ(lab.result, first);
  EXPECT_EQ(lab.ran, "fig3, 2 runs × 2 κ");
  EXPECT_EQ(lab.ran_threshold, 0.9);
  EXPECT_TRUE(lab.shows_previous());
  EXPECT_TRUE(starts_with(ensemble_result_caption(lab.ran, *lab.result, lab.shows_previous()),
                          "previous run: fig3, 2 runs × 2 κ   4 runs in "));

  // Cancelled: what finished replaces it, labelled as the new run and as partial.
  lab.worker->cancel();
  lab.worker->wait();
  EXPECT_TRUE(lab.poll());
  ASSERT_TRUE(lab.result);
  ASSERT_NE(lab.result, first);
  EXPECT_FALSE(lab.result->complete());
  EXPECT_EQ(lab.ran, "fig3, 1000000 runs × 2 κ");
  EXPECT_EQ(lab.ran_threshold, 0.5);
  EXPECT_FALSE(lab.shows_previous());
  const std::string partial = "partial: " + std::to_string(lab.result->finished) + " of 2000000 runs";
  EXPECT_TRUE(starts_with(ensemble_result_caption(lab.ran, *lab.result, lab.shows_previous()),
                          "fig3, 1000000 runs × 2 κ   " + partial + " in "));
  // The members that never ran are neither results nor failures.
  int counted = 0;
  for (const EnsembleSummary& s : lab.result->summaries) {
    EXPECT_EQ(s.failed, 0);
    EXPECT_EQ(s.planned, 1'000'000);
    counted += s.finished();
    if (s.count == 0) EXPECT_TRUE(std::isnan(s.p_polarized) && std::isnan(s.max_s_q50));
  }
  EXPECT_EQ(static_cast<std::size_t>(counted), lab.result->finished);
  // κ = 4 never started on one thread (κ = 1 has a million members first): no histogram level, not 0 %.
  ASSERT_EQ(lab.histogram.kappas.size(), 2u);
  EXPECT_EQ(lab.histogram.ok[1], 0);
  EXPECT_TRUE(std::isnan(lab.histogram.fraction[1][0]));
}

// An ended run's result is taken over with its own label even when the next run starts before a poll.
TEST(EnsembleState, StartingAgainKeepsTheEndedRunsResultWithItsLabel) {
  EnsembleState lab = small_lab();
  ASSERT_TRUE(lab.start(host())) << lab.refused;
  lab.worker->wait();
  lab.count = 1'000'000;
  ASSERT_TRUE(lab.start(host())) << lab.refused;
  ASSERT_TRUE(lab.result);
  EXPECT_TRUE(lab.result->complete());
  EXPECT_EQ(lab.result->members.size(), 4u);
  EXPECT_EQ(lab.ran, "fig3, 2 runs × 2 κ");
  EXPECT_TRUE(lab.shows_previous());
  lab.worker->cancel();
}
