#include "core/map/map.hpp"

#include <gtest/gtest.h>

#include "tests/core/test_util.hpp"

using namespace polarlab;

namespace {
Vec logits() {
  Vec a(6);
  a << 0.7, 1.3, 0.2, 2.1, 0.9, 1.6;  // positive, so every normalized map is defined
  return a;
}
}  // namespace

class EveryMap : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryMap, VjpMatchesCentralFiniteDifferences) {
  const MapKind kind = *parse_map(GetParam());
  const Vec a = logits();
  Vec g(6);
  g << 0.3, -1.2, 0.5, 2.0, -0.7, 0.1;
  Vec s;
  map_apply(kind, a, s);
  Vec vjp;
  map_vjp(kind, a, s, g, vjp);
  const Vec fd = test::finite_difference(
      [&](const Vec& x) {
        Vec sx;
        map_apply(kind, x, sx);
        return g.dot(sx);
      },
      a);
  EXPECT_LT(test::rel_error(vjp, fd), 1e-6) << "vjp " << vjp.transpose() << "\nfd  " << fd.transpose();
}

TEST_P(EveryMap, NormalizedMapsSumToOne) {
  const MapKind kind = *parse_map(GetParam());
  Vec s;
  map_apply(kind, logits(), s);
  if (is_normalized(kind)) EXPECT_NEAR(s.sum(), 1.0, 1e-9);
  else EXPECT_GT(std::abs(s.sum() - 1.0), 1e-3);  // sigmoid/relu do not normalize
}

INSTANTIATE_TEST_SUITE_P(Maps, EveryMap,
                         ::testing::Values("softmax", "sigmoid", "relu", "l1", "sum", "l2", "relu_norm"));

TEST(Softmax, StableForHugeLogits) {
  Vec a(3);
  a << 1000.0, 999.0, -1000.0;
  Vec s;
  softmax(a, s);
  ASSERT_TRUE(s.allFinite());
  EXPECT_NEAR(s(0), 1.0 / (1.0 + std::exp(-1.0)), 1e-15);
  EXPECT_EQ(s(2), 0.0);
}

TEST(NormalizedMap, VanishingDenominatorIsAClearError) {
  Vec a(3);
  a << -1.0, -2.0, -0.5;  // relu_norm: every f(a_i) = 0
  Vec s;
  try {
    map_apply(MapKind::relu_norm, a, s);
    FAIL() << "expected NumericalError";
  } catch (const NumericalError& e) {
    EXPECT_NE(std::string(e.what()).find("denominator"), std::string::npos);
  }
  Vec b(2);
  b << 1.0, -1.0;  // sum map: Σ a = 0
  EXPECT_THROW(map_apply(MapKind::sum, b, s), NumericalError);
}

TEST(PotentialCoordinate, DerivativeIsOneOverFPrime) {
  // G′ = 1/f′ (Appendix D.2), checked by finite differences at a = 0.8.
  const double a = 0.8, h = 1e-6;
  auto dG = [&](MapKind k) { return (potential_coordinate(k, a + h) - potential_coordinate(k, a - h)) / (2 * h); };
  EXPECT_NEAR(dG(MapKind::softmax), std::exp(-a), 1e-8);
  EXPECT_NEAR(dG(MapKind::l2), 1.0 / (2 * a), 1e-8);
  EXPECT_NEAR(dG(MapKind::sum), 1.0, 1e-8);
  EXPECT_NEAR(dG(MapKind::l1), 1.0, 1e-8);
  EXPECT_TRUE(std::isnan(potential_coordinate(MapKind::sigmoid, a)));
}
