// The value–softmax model's hot paths (fused softmax + logistic kernel, negative_grad, gd_steps) against the
// plain map/loss composition written out here, finite differences, and gradient_descent_step.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>

#include "core/dynamics/dopri5.hpp"
#include "core/model/gradient_descent.hpp"
#include "core/experiment/experiment.hpp"
#include "tests/core/test_util.hpp"

using namespace polarlab;

namespace {
// The fused kernel promises the same bits as Eigen's 2-wide packet order; other builds promise rounding.
constexpr bool kBitExact =
    Eigen::internal::packet_traits<double>::Vectorizable && Eigen::internal::packet_traits<double>::size == 2;

ExperimentConfig config(Index d, Index p, LossKind loss, MapKind map, std::uint32_t seed) {
  ExperimentConfig c;
  c.d = d;
  c.p = p;
  c.loss = loss;
  c.map = map;
  c.seed = seed;
  c.init.kind = polarlab::InitKind::gaussian;
  c.init.v_scale = 0.5;
  c.init.a_mean = 1.0;  // positive logits keep l1/l2/relu_norm/sum away from their kinks
  c.init.a_scale = 0.3;
  return c;
}

// L and ∇L by the textbook composition σ → β = Vσ(a) → ℓ(β), with the products Eigen picks for each size.
double reference_loss_grad(Model& model, const Vec& theta, Index d, Index p, Vec& grad, double& gamma) {
  Eigen::Map<const Mat> V(theta.data(), d, p);
  const Vec a = theta.tail(p);
  Vec s;
  map_apply(model.map(), a, s);
  const bool small = d * p <= 1024;
  const Vec beta = small ? Vec(V.lazyProduct(s)) : Vec(V * s);
  Vec g;
  const double l = model.loss().value_grad(beta, g);
  gamma = model.loss().gamma(g);
  grad.resize(d * p + p);
  Eigen::Map<Mat>(grad.data(), d, p) = g * s.transpose();
  const Vec h = small ? Vec(V.transpose().lazyProduct(g)) : Vec(V.transpose() * g);
  Vec ga;
  map_vjp(model.map(), a, s, h, ga);
  grad.tail(p) = ga;
  return l;
}

Vec perturbed(const Experiment& ex, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> n(0.0, 0.1);
  Vec theta = ex.theta0;
  for (Index i = 0; i < theta.size(); ++i) theta(i) += n(rng);
  return theta;
}

void expect_same(const Vec& got, const Vec& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  if (kBitExact) {
    for (Index i = 0; i < got.size(); ++i) ASSERT_EQ(got(i), want(i)) << what << " entry " << i;
  } else {
    EXPECT_LT(test::rel_error(got, want), 1e-13) << what;
  }
}

const Index kShapes[][2] = {{1, 1}, {1, 3}, {2, 2}, {3, 5}, {5, 3}, {8, 8}, {7, 9}, {16, 16}, {12, 31},
                            {33, 32}, {40, 33}, {64, 17}};
}  // namespace

TEST(FastPath, SoftmaxLogisticKernelMatchesTheComposition) {
  std::uint32_t seed = 1;
  for (const auto& shape : kShapes) {
    const Index d = shape[0], p = shape[1];
    Experiment ex = build_experiment(config(d, p, LossKind::logistic, MapKind::softmax, seed++));
    const Vec theta = perturbed(ex, seed);
    Vec grad, want;
    double gamma = 0.0, want_gamma = 0.0;
    const double l = ex.model->loss_grad(theta, grad, gamma);
    const double want_l = reference_loss_grad(*ex.model, theta, d, p, want, want_gamma);
    const std::string what = "d = " + std::to_string(d) + ", p = " + std::to_string(p);
    expect_same(grad, want, what);
    if (kBitExact) {
      EXPECT_EQ(l, want_l) << what;
      EXPECT_EQ(gamma, want_gamma) << what;
    } else {
      EXPECT_NEAR(l, want_l, 1e-13 * std::abs(want_l)) << what;
      EXPECT_NEAR(gamma, want_gamma, 1e-13) << what;
    }
  }
}

TEST(FastPath, GradientMatchesFiniteDifferencesForRandomShapes) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 6; ++trial) {
    const Index d = 1 + static_cast<Index>(rng() % 20), p = 1 + static_cast<Index>(rng() % 20);
    Experiment ex = build_experiment(config(d, p, LossKind::logistic, MapKind::softmax, 100 + trial));
    const Vec theta = perturbed(ex, 200 + trial);
    Vec grad;
    double gamma = 0.0;
    ex.model->loss_grad(theta, grad, gamma);
    const Vec fd = test::finite_difference(
        [&](const Vec& th) {
          Vec g;
          double gm;
          return ex.model->loss_grad(th, g, gm);
        },
        theta);
    EXPECT_LT(test::rel_error(grad, fd), 1e-6) << "d = " << d << ", p = " << p;
    // Logistic loss: −∇ℓ = γ β*, so γ ∈ (0, 1).
    EXPECT_GT(gamma, 0.0);
    EXPECT_LT(gamma, 1.0);
  }
}

TEST(FastPath, NegativeGradIsMinusLossGradForEveryMapAndLoss) {
  for (const auto loss : {LossKind::logistic, LossKind::square, LossKind::cross_entropy}) {
    for (const auto& name : map_names()) {
      for (const auto& shape : {std::array<Index, 2>{8, 8}, std::array<Index, 2>{5, 7}}) {
        Experiment ex = build_experiment(config(shape[0], shape[1], loss, *parse_map(name), 11));
        const Vec theta = perturbed(ex, 12);
        Vec grad, out(theta.size());
        double gamma = 0.0, gamma2 = 0.0;
        ex.model->loss_grad(theta, grad, gamma);
        ex.model->negative_grad(theta.data(), out.data(), gamma2);
        expect_same(out, -grad, loss_name(loss) + " " + name);
        EXPECT_EQ(gamma, gamma2);
      }
    }
  }
}

TEST(FastPath, GdStepsRepeatGradientDescentStepBitForBit) {
  for (const auto loss : {LossKind::logistic, LossKind::square, LossKind::cross_entropy}) {
    for (const auto& name : {"softmax", "l2", "sigmoid"}) {
      for (const auto& shape : {std::array<Index, 2>{8, 8}, std::array<Index, 2>{3, 6}, std::array<Index, 2>{40, 33}}) {
        Experiment ex = build_experiment(config(shape[0], shape[1], loss, *parse_map(name), 21));
        const double lr = 0.05;
        Vec a = ex.theta0, b = ex.theta0, grad_a(a.size()), grad_b(b.size());
        double gi_a = 0.0, gi_b = 0.0;
        std::int64_t done = 0;
        ex.model->gd_steps(a, grad_a, lr, 200, gi_a, done);
        for (int k = 0; k < 200; ++k) gi_b += lr * gradient_descent_step(*ex.model, b, grad_b, lr).gamma;
        EXPECT_EQ(done, 200);
        const std::string what = loss_name(loss) + " " + name + " d = " + std::to_string(shape[0]);
        for (Index i = 0; i < a.size(); ++i) ASSERT_EQ(a(i), b(i)) << what << " entry " << i;
        EXPECT_EQ(gi_a, gi_b) << what;
      }
    }
  }
}

TEST(FastPath, GdStepsStopBeforeANonFiniteUpdate) {
  Experiment ex = build_experiment(config(8, 8, LossKind::logistic, MapKind::softmax, 5));
  Vec theta = ex.theta0, grad(theta.size());
  theta(3) = std::numeric_limits<double>::quiet_NaN();  // V_{3,0}: the margin becomes NaN
  const Vec before = theta;
  double gi = 0.0;
  std::int64_t done = 0;
  try {
    ex.model->gd_steps(theta, grad, 0.1, 10, gi, done);
    FAIL() << "expected NumericalError";
  } catch (const NumericalError& e) {
    EXPECT_NE(std::string(e.what()).find("loss is not finite"), std::string::npos) << e.what();
  }
  EXPECT_EQ(done, 0);
  EXPECT_EQ(gi, 0.0);
  for (Index i = 0; i < theta.size(); ++i)
    if (i != 3) EXPECT_EQ(theta(i), before(i)) << "entry " << i;
}

TEST(FastPath, FlowOnTheRawRightHandSideMatchesTheCopyingOne) {
  // The runner's right-hand side (negative_grad on y's storage) against loss_grad on a copy, through a
  // whole adaptive integration: the same accepted steps and the same final state.
  Experiment ex = build_experiment(config(8, 8, LossKind::logistic, MapKind::softmax, 9));
  const Index n = ex.model->num_params();
  Model* m = ex.model.get();
  Vec y0(n + 1);
  y0.head(n) = ex.theta0;
  y0(n) = 0.0;
  Dopri5 fast(
      [m, n](double, const Vec& y, Vec& dy) {
        double g = 0.0;
        m->negative_grad(y.data(), dy.data(), g);
        dy(n) = g;
      },
      0.0, y0, {});
  Dopri5 copy(
      [m, n](double, const Vec& y, Vec& dy) {
        Vec th = y.head(n), grad;
        double g = 0.0;
        m->loss_grad(th, grad, g);
        dy.head(n) = -grad;
        dy(n) = g;
      },
      0.0, y0, {});
  while (fast.t() < 1e4) fast.step(1e4);
  while (copy.t() < 1e4) copy.step(1e4);
  EXPECT_EQ(fast.accepted(), copy.accepted());
  for (Index i = 0; i <= n; ++i) ASSERT_EQ(fast.y()(i), copy.y()(i)) << "entry " << i;
}
