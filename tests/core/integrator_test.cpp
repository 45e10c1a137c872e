// GD tracks the flow as η → 0; the flow's error shrinks with its tolerance.
#include <gtest/gtest.h>

#include "core/dynamics/dopri5.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/job/job.hpp"

using namespace polarlab;

namespace {
Vec final_theta(const ExperimentConfig& c) {
  Runner r(c);
  while (!r.done()) r.advance(Budget{});
  EXPECT_EQ(r.status().state, RunState::finished);
  return r.theta();
}
}  // namespace

TEST(Dopri5, ExponentialDecayIsExactToTolerance) {
  Vec y0(2);
  y0 << 1.0, 2.0;
  Dopri5 s([](double, const Vec& y, Vec& dy) { dy = -y; }, 0.0, y0, {.rtol = 1e-10, .atol = 1e-12});
  while (s.t() < 5.0) s.step(5.0);
  EXPECT_NEAR(s.y()(0), std::exp(-5.0), 1e-9);
  EXPECT_NEAR(s.y()(1), 2 * std::exp(-5.0), 2e-9);
  Vec mid;
  s.dense(0.5 * (s.t_prev() + s.t()), mid);
  EXPECT_NEAR(mid(0), std::exp(-0.5 * (s.t_prev() + s.t())), 1e-8);
}

TEST(Dopri5, StepSizeGrowsOnLogarithmicDynamics) {
  // y' = 1/(1 + t): the solution is log(1 + t); steps must grow roughly like t.
  Vec y0 = Vec::Zero(1);
  Dopri5 s([](double t, const Vec&, Vec& dy) { dy(0) = 1.0 / (1.0 + t); }, 0.0, y0, {.rtol = 1e-8, .atol = 1e-10});
  while (s.t() < 1e6) s.step(1e6);
  EXPECT_NEAR(s.y()(0), std::log1p(1e6), 1e-6);
  EXPECT_LT(s.accepted(), 2000);
}

TEST(GradientDescent, TracksTheFlowAsTheLearningRateShrinks) {
  const double T = 20.0;
  ExperimentConfig flow = resolve_preset("fig2", {{"method", "flow"}, {"t_end", T}, {"rtol", 1e-12}, {"atol", 1e-14}});
  const Vec reference = final_theta(flow);
  double previous = 1e9;
  for (double lr : {0.1, 0.01, 0.001}) {
    ExperimentConfig gd = resolve_preset("fig2", {{"lr", lr}, {"steps", static_cast<long long>(std::llround(T / lr))}});
    const double err = (final_theta(gd) - reference).norm();
    EXPECT_LT(err, previous / 5.0) << "lr = " << lr;  // first order: 10× smaller η, ~10× smaller error
    previous = err;
  }
  EXPECT_LT(previous, 1e-3);
}

TEST(Flow, ErrorShrinksWithTolerance) {
  const double T = 1e4;
  const Vec reference =
      final_theta(resolve_preset("fig2", {{"method", "flow"}, {"t_end", T}, {"rtol", 1e-13}, {"atol", 1e-15}}));
  double previous = 1e9;
  for (double tol : {1e-5, 1e-7, 1e-9}) {
    const Vec th = final_theta(resolve_preset("fig2", {{"method", "flow"}, {"t_end", T}, {"rtol", tol}, {"atol", tol * 1e-2}}));
    const double err = (th - reference).norm();
    EXPECT_LT(err, previous) << "tol = " << tol;
    previous = err;
  }
  EXPECT_LT(previous, 1e-6);
}

TEST(Runner, PauseAndResumeGiveTheSameTrajectory) {
  for (const char* method : {"gd", "flow"}) {
    const ExperimentConfig c = resolve_preset("fig2", {{"method", method}, {"steps", 20000}, {"t_end", 1e4}});
    Runner whole(c);
    while (!whole.done()) whole.advance(Budget{});
    Runner pieces(c);
    while (!pieces.done()) pieces.advance(Budget{.max_steps = 7});
    ASSERT_EQ(whole.records().size(), pieces.records().size()) << method;
    for (std::size_t k = 0; k < whole.records().size(); ++k)
      ASSERT_EQ(whole.records()[k].s, pieces.records()[k].s) << method << " record " << k;
  }
}

TEST(Runner, ReportsItsProgressAndEndToAJob) {
  // GD: steps of the planned steps; the state is left to the driver until the run ends.
  Runner gd(resolve_preset("fig2", {{"steps", 1000}, {"records", 20}}));
  JobControl job;
  gd.advance(Budget{.max_steps = 250});
  gd.report(job);
  EXPECT_EQ(job.done(), 250);
  EXPECT_EQ(job.total(), 1000);
  EXPECT_EQ(job.state(), JobState::preparing);
  while (!gd.done()) gd.advance(Budget{});
  gd.report(job);
  EXPECT_EQ(job.state(), JobState::finished);
  EXPECT_DOUBLE_EQ(job.fraction(), 1.0);

  // The flow: its logarithmic progress.
  Runner flow(resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e3}}));
  JobControl flow_job;
  flow.advance(Budget{.max_steps = 20});
  flow.report(flow_job);
  EXPECT_GT(flow_job.fraction(), 0.0);
  EXPECT_NEAR(flow_job.fraction(), flow.progress(), 1e-6);

  // A failed run is a failed job, with the run's message as its error.
  Runner bad(resolve_preset("fig13", {{"loss", "square"}, {"lr", 1e3}, {"steps", 100000}}));
  JobControl bad_job;
  while (!bad.done()) bad.advance(Budget{});
  bad.report(bad_job);
  ASSERT_EQ(bad.status().state, RunState::failed);
  EXPECT_EQ(bad_job.state(), JobState::failed);
  EXPECT_EQ(bad_job.error(), bad.status().message);
  EXPECT_LT(bad_job.fraction(), 1.0);
}
