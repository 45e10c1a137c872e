#include "core/ensemble/ensemble.hpp"

#include <gtest/gtest.h>

#include "core/experiment/presets.hpp"

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
