// The paper's theorems as properties of integrated trajectories (spec §5).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"

using namespace polarlab;

namespace {
std::vector<Record> run_to_end(const ExperimentConfig& cfg) {
  Runner r(cfg);
  while (!r.done()) r.advance(Budget{});
  EXPECT_EQ(r.status().state, RunState::finished) << r.status().message;
  return r.records();
}

ExperimentConfig fig2_flow(double t_end) {
  ExperimentConfig c = resolve_preset("fig2", {{"method", "flow"}, {"t_end", t_end}, {"records", 400}});
  return c;
}
}  // namespace

TEST(Theorem32, OrderOfUKeptAndLogitsTakeTheSameOrder) {
  const auto recs = run_to_end(fig2_flow(1e6));
  const Vec& u0 = recs.front().u;
  for (std::size_t k = 1; k < recs.size(); ++k) {
    const Record& r = recs[k];
    for (Index i = 0; i < u0.size(); ++i)
      for (Index j = 0; j < u0.size(); ++j) {
        if (u0(i) <= u0(j)) continue;
        ASSERT_GT(r.u(i), r.u(j)) << "u order broken at t = " << r.t;
        ASSERT_GT(r.a(i), r.a(j)) << "a order differs from u(0) order at t = " << r.t;
        ASSERT_GT(r.s(i), r.s(j));
      }
  }
}

TEST(Theorem32, RepulsionGapsOfUGrow) {
  const auto recs = run_to_end(fig2_flow(1e5));
  for (std::size_t k = 1; k < recs.size(); ++k)
    for (Index i = 0; i + 1 < recs[k].u.size(); ++i)
      for (Index j = i + 1; j < recs[k].u.size(); ++j) {
        const double before = std::abs(recs[k - 1].u(i) - recs[k - 1].u(j));
        const double now = std::abs(recs[k].u(i) - recs[k].u(j));
        ASSERT_GE(now, before - 1e-12) << "gap (" << i << "," << j << ") shrank at t = " << recs[k].t;
      }
}

TEST(Theorem32, LyapunovPotentialsNonNegativeAndNonDecreasing) {
  const auto recs = run_to_end(fig2_flow(1e6));
  Mat prev = lyapunov_potential(MapKind::softmax, recs.front().a, recs.front().u);
  EXPECT_NEAR(prev.cwiseAbs().maxCoeff(), 0.0, 1e-15);  // a(0) = 0
  for (std::size_t k = 1; k < recs.size(); ++k) {
    const Mat phi = lyapunov_potential(MapKind::softmax, recs[k].a, recs[k].u);
    ASSERT_GE(phi.minCoeff(), 0.0) << "Φ < 0 at t = " << recs[k].t;
    ASSERT_GE((phi - prev).minCoeff(), -1e-9 * (1 + phi.cwiseAbs().maxCoeff())) << "Φ decreased at t = " << recs[k].t;
    prev = phi;
  }
  EXPECT_GT(prev.maxCoeff(), 0.0);
}

TEST(Theorem33, BoundHoldsAtEveryRecordAndLossVanishes) {
  const auto recs = run_to_end(fig2_flow(1e6));
  for (const Record& r : recs) ASSERT_LE(r.ratio, r.bound + 1e-12) << "3.3(b) violated at t = " << r.t;
  for (std::size_t k = 1; k < recs.size(); ++k) ASSERT_LE(recs[k].loss, recs[k - 1].loss + 1e-15);
  EXPECT_LT(recs.back().loss, 1e-5);
  EXPECT_EQ(recs.back().winner, 6);  // argmax u(0)
  EXPECT_GT(recs.back().max_s, 0.98);
}

TEST(Theorem33, PolarizationIntegralGrowsLikeLogT) {
  const auto recs = run_to_end(fig2_flow(1e8));
  auto integral_at = [&](double t) {
    for (const Record& r : recs)
      if (std::abs(r.t - t) <= 1e-9 * t) return r.gamma_integral;
    ADD_FAILURE() << "no record at t = " << t;
    return 0.0;
  };
  // ∫γ = Θ(log t): late decades add a nearly constant amount (γ ≈ c/t).
  const double d6 = integral_at(1e6) - integral_at(1e5);
  const double d7 = integral_at(1e7) - integral_at(1e6);
  const double d8 = integral_at(1e8) - integral_at(1e7);
  EXPECT_GT(d6, 0.5);
  EXPECT_NEAR(d7 / d6, 1.0, 0.1);
  EXPECT_NEAR(d8 / d7, 1.0, 0.05);
}

TEST(Theorem33, NormalizedMapsKeepScoresOnTheSimplex) {
  for (const char* map : {"softmax", "l1", "l2", "relu_norm"}) {
    const auto recs = run_to_end(resolve_preset("fig13", {{"map", map}, {"loss", "logistic"}, {"steps", 2000}}));
    for (const Record& r : recs) ASSERT_NEAR(r.s.sum(), 1.0, 1e-8) << map << " at step " << r.step;
  }
}

TEST(Lemma35, SquareLossUnderAssumption34KeepsVRankOne) {
  ExperimentConfig c;
  c.loss = LossKind::square;
  c.loss_scale = 0.5;
  c.d = c.p = 6;
  c.init.kind = polarlab::InitKind::assumption_3_4;
  c.init.a_scale = 0.5;
  c.method = Method::flow;
  c.t_end = 1e4;
  c.records = 200;
  Runner r(c);
  while (!r.done()) r.advance(Budget{});
  ASSERT_EQ(r.status().state, RunState::finished) << r.status().message;
  const Vec beta_star = r.experiment().model->loss().beta_star();
  for (const Record& rec : r.records()) {
    if (rec.t == 0.0) continue;
    ASSERT_LT(rec.singular_values(1), 1e-9 * rec.singular_values(0)) << "V not rank one at t = " << rec.t;
  }
  // V = β* uᵀ / ‖β*‖² at the end.
  const Parameters prm = r.experiment().model->unpack(r.theta());
  const Vec u = prm.V.transpose() * beta_star;
  EXPECT_LT((prm.V - beta_star * u.transpose() / beta_star.squaredNorm()).norm(), 1e-9);
  // ∫γ stays bounded: the last two decades add almost nothing.
  const auto& recs = r.records();
  EXPECT_LT(recs.back().gamma_integral - recs[recs.size() * 3 / 4].gamma_integral, 1e-3);
  // Polarization is partial: the scores stay far from one-hot.
  EXPECT_LT(recs.back().max_s, 0.9);
}

TEST(Regression, PolarizationGrowsWithConditionNumber) {
  double previous = 0.0;
  for (double kappa : {1.0, 3.0, 5.0}) {
    const auto recs = run_to_end(resolve_preset("fig3", {{"kappa", kappa}, {"steps", 100000}}));
    const double entropy_drop = std::log(20.0) - recs.back().entropy;
    EXPECT_GT(entropy_drop, previous) << "kappa = " << kappa;
    previous = entropy_drop;
  }
}

TEST(SinkModel, EveryRowConvergesToTheSinkToken) {
  const auto recs = run_to_end(resolve_preset("sink", {{"method", "flow"}, {"t_end", 1e8}, {"records", 100}}));
  const Mat& A = recs.back().attention;
  for (Index t = 0; t < A.rows(); ++t) {
    Index argmax = -1;
    A.row(t).maxCoeff(&argmax);
    EXPECT_EQ(argmax, 0) << "row " << t;  // token 0 has the largest u(0) (order_by_u0)
    EXPECT_GT(A(t, 0), 0.9) << "row " << t;
  }
  for (std::size_t k = 1; k < recs.size(); ++k) ASSERT_GE(recs[k].s(0), recs[k - 1].s(0) - 1e-12);
}

TEST(SinkModel, CausalMaskZeroesFutureKeys) {
  const auto recs = run_to_end(resolve_preset("sink", {{"causal", true}, {"steps", 2000}}));
  const Mat& A = recs.back().attention;
  for (Index t = 0; t < A.rows(); ++t) {
    EXPECT_NEAR(A.row(t).sum(), 1.0, 1e-12);
    for (Index j = t + 1; j < A.cols(); ++j) EXPECT_EQ(A(t, j), 0.0);
  }
  EXPECT_EQ(A(0, 0), 1.0);  // the first query sees only token 0
}

// The live lab's Φ pairs (History) come from lyapunov_potential_pair: each entry equals the matrix's, for every map
// with a potential, so a plot of a few pairs at p = 4096 needs no 4096² matrix per record.
TEST(LyapunovPotential, OnePairEqualsTheMatrixEntry) {
  std::mt19937 rng(5);
  std::normal_distribution<double> g;
  const Index p = 7;
  Vec a(p), u(p);
  for (Index i = 0; i < p; ++i) a(i) = 0.5 + std::abs(g(rng)), u(i) = g(rng);
  for (MapKind m : {MapKind::softmax, MapKind::sum, MapKind::relu_norm, MapKind::l1, MapKind::l2}) {
    const Mat phi = lyapunov_potential(m, a, u);
    for (Index i = 0; i < p; ++i)
      for (Index j = 0; j < p; ++j) EXPECT_EQ(lyapunov_potential_pair(m, a, u, i, j), phi(i, j)) << map_name(m);
  }
}
