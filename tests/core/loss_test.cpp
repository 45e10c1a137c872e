#include "core/loss/loss.hpp"

#include <gtest/gtest.h>

#include "tests/core/test_util.hpp"

using namespace polarlab;

namespace {
Vec vec(std::initializer_list<double> v) {
  Vec out(static_cast<Index>(v.size()));
  Index i = 0;
  for (double x : v) out(i++) = x;
  return out;
}

void expect_gradient_matches(const Loss& loss, const Vec& beta) {
  Vec g;
  const double l = loss.value_grad(beta, g);
  EXPECT_NEAR(l, loss.value(beta), 1e-14);
  const Vec fd = test::finite_difference([&](const Vec& b) { return loss.value(b); }, beta);
  EXPECT_LT(test::rel_error(g, fd), 1e-6) << "grad " << g.transpose() << "\nfd   " << fd.transpose();
}
}  // namespace

TEST(LogisticLoss, GradientMatchesFiniteDifferences) {
  auto loss = make_logistic_loss(vec({0.6, -0.8, 0.0}));
  expect_gradient_matches(*loss, vec({0.3, 0.1, -2.0}));
  expect_gradient_matches(*loss, vec({-3.0, 2.0, 1.0}));
}

TEST(LogisticLoss, StableFarBeyondMarginThirty) {
  auto loss = make_logistic_loss(vec({1.0, 0.0}));
  Vec g;
  // Margin 800: exp(800) overflows a double, the loss is e^{-800} ≈ 0 but must not be NaN.
  EXPECT_EQ(loss->value_grad(vec({800.0, 0.0}), g), std::exp(-800.0));
  EXPECT_TRUE(g.allFinite());
  // Margin 40: ℓ ≈ e^{-40}, where log(1 + e^{-40}) computed naively would be exactly 0.
  EXPECT_NEAR(loss->value(vec({40.0, 0.0})) / std::exp(-40.0), 1.0, 1e-12);
  // Margin −800: ℓ ≈ 800, γ ≈ 1.
  EXPECT_NEAR(loss->value_grad(vec({-800.0, 0.0}), g), 800.0, 1e-9);
  EXPECT_NEAR(loss->gamma(g), 1.0, 1e-12);
}

TEST(LogisticLoss, GammaIsTheSigmoidOfMinusTheMargin) {
  auto loss = make_logistic_loss(vec({0.6, 0.8}));
  Vec g;
  const Vec beta = vec({1.0, 2.0});
  loss->value_grad(beta, g);
  EXPECT_NEAR(loss->gamma(g), 1.0 / (1.0 + std::exp(0.6 + 1.6)), 1e-15);
}

TEST(SquareLoss, GradientWithAndWithoutDesign) {
  auto plain = make_square_loss(vec({1.0, -2.0, 0.5}), Mat(), 0.5);
  expect_gradient_matches(*plain, vec({0.2, 0.4, -1.0}));
  Mat X(4, 3);
  X << 1, 2, 0, 0, 1, 1, 3, 0, 1, 1, 1, 1;
  auto design = make_square_loss(vec({1.0, 0.0, 2.0, -1.0}), X, 1.0);
  expect_gradient_matches(*design, vec({0.2, 0.4, -1.0}));
  // β* is the least-squares minimizer: the gradient vanishes there.
  Vec g;
  design->value_grad(design->beta_star(), g);
  EXPECT_LT(g.norm(), 1e-10);
}

TEST(SquareLoss, ScaleIsExposed) {
  auto half = make_square_loss(vec({1.0}), Mat(), 0.5);
  auto one = make_square_loss(vec({1.0}), Mat(), 1.0);
  EXPECT_DOUBLE_EQ(half->value(vec({3.0})), 2.0);
  EXPECT_DOUBLE_EQ(one->value(vec({3.0})), 4.0);
}

TEST(CrossEntropyLoss, GradientAndMinimum) {
  const Vec p = vec({0.5, 0.3, 0.2});
  auto loss = make_cross_entropy_loss(p, 0.0);
  expect_gradient_matches(*loss, vec({0.1, -0.4, 0.9}));
  // Minimum is the entropy H(p*), reached at β = log p* + const.
  const double H = -(p.array() * p.array().log()).sum();
  EXPECT_NEAR(loss->value(p.array().log().matrix()), H, 1e-12);
  auto with_eps = make_cross_entropy_loss(p, 1e-15);
  expect_gradient_matches(*with_eps, vec({2.0, -1.0, 0.0}));
}
