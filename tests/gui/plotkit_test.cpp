// core/plotkit: the one tick algorithm, number formats in both notations, colours and colormaps, shared by
// the screen (app/widgets) and the figures (core/figure).
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "core/plotkit/color.hpp"
#include "core/plotkit/format.hpp"
#include "core/plotkit/scale.hpp"
#include "core/plotkit/ticks.hpp"

using namespace polarlab::plotkit;

namespace {
std::vector<std::string> labels(const std::vector<Tick>& ticks) {
  std::vector<std::string> out;
  for (const auto& t : ticks)
    if (!t.label.empty()) out.push_back(t.label);
  return out;
}
}  // namespace

TEST(PlotkitTicks, SameValuesInBothNotationsOnlyTheSpellingDiffers) {
  for (auto [lo, hi, target] : {std::tuple{-1.3, 2.7, 5}, std::tuple{-3e-5, 7e-5, 4}, std::tuple{0.0, 4e5, 5}}) {
    const auto m = linear_ticks(lo, hi, target, Notation::markup), p = linear_ticks(lo, hi, target, Notation::plain);
    ASSERT_EQ(m.size(), p.size());
    for (std::size_t i = 0; i < m.size(); ++i) EXPECT_EQ(m[i].value, p[i].value);
  }
  const auto p = linear_ticks(-1.0, 1.0, 4, Notation::plain);
  EXPECT_EQ(labels(p), (std::vector<std::string>{"-1.0", "-0.5", "0", "0.5", "1.0"}));
  const auto m = linear_ticks(-1.0, 1.0, 4, Notation::markup);
  EXPECT_EQ(m.front().label, "\xE2\x88\x92" "1.0");
}

TEST(PlotkitTicks, BoundsOnTheCount) {
  // Closest to the target may give more ticks than there is room for: at_most takes coarser steps.
  const auto free = linear_ticks(0.0, 1.3, TickCount{4, 0, 0});
  const auto capped = linear_ticks(0.0, 1.3, TickCount{4, 0, 4});
  EXPECT_GT(free.size(), 4u);
  EXPECT_LE(capped.size(), 4u);
  EXPECT_GE(capped.size(), 2u);
  // A short axis: at_least takes finer steps until two ticks fit.
  EXPECT_EQ(linear_ticks(-0.32, 0.41, TickCount{1, 0, 0}).size(), 1u);
  EXPECT_GE(linear_ticks(-0.32, 0.41, TickCount{1, 2, 2}).size(), 2u);
  EXPECT_DOUBLE_EQ(finer_step(5.0), 2.5);
  EXPECT_DOUBLE_EQ(finer_step(2.5), 2.0);
  EXPECT_DOUBLE_EQ(finer_step(0.1), 0.05);
  EXPECT_DOUBLE_EQ(coarser_step(2.0), 2.5);
  EXPECT_DOUBLE_EQ(coarser_step(5e-3), 1e-2);
}

TEST(PlotkitTicks, DecadeLabelsCarryTheirExponent) {
  const auto t = log_ticks(1e-3, 1e2, 10, Notation::plain);
  for (const auto& x : t)
    if (x.major && std::fabs(x.value - 1e-3) < 1e-15) {
      EXPECT_EQ(x.label, "10^-3");
      EXPECT_EQ(x.mantissa, "10");
      EXPECT_EQ(x.exponent, "-3");
    }
  EXPECT_EQ(log_ticks(1e-3, 1e2, 10, Notation::markup).front().label, "10^{\xE2\x88\x92" "3}");
}

TEST(PlotkitFormat, Numbers) {
  EXPECT_EQ(format_number(0.25, Notation::plain), "0.25");
  EXPECT_EQ(format_number(1.5e-5, Notation::plain), "1.5e-05");
  EXPECT_EQ(format_number(1.5e-5, Notation::markup), "1.5\xC3\x97" "10^{\xE2\x88\x92" "5}");
  EXPECT_EQ(format_number(123456.0, Notation::plain, 6), "123456");
  EXPECT_EQ(format_number(9.9996e5, Notation::markup), "10^{6}");  // rounds up to the next decade
  EXPECT_EQ(format_number(-2.0, Notation::plain), "-2");
  EXPECT_EQ(format_number(std::nan(""), Notation::plain), "nan");
  EXPECT_EQ(format_tick(2e5, 1e5, Notation::plain), "2e+05");
  EXPECT_EQ(format_power(-2, Notation::plain), "10^-2");
}

TEST(PlotkitScale, PaddedLimitsIgnoreUnusableValues) {
  double lo = 0, hi = 0;
  ASSERT_TRUE(padded_limits({NAN, 1.0, 3.0}, Scale::linear, lo, hi, 0.0));
  EXPECT_DOUBLE_EQ(lo, 1.0);
  EXPECT_DOUBLE_EQ(hi, 3.0);
  lo = -1, hi = 100;
  pad_range(Scale::log, lo, hi, 0.0);  // a non-positive end on a log axis becomes a decade below the other
  EXPECT_DOUBLE_EQ(lo, 10.0);
  EXPECT_DOUBLE_EQ(hi, 100.0);
  EXPECT_NEAR(from_axis_space(Scale::log, axis_space(Scale::log, 42.0)), 42.0, 1e-12);
}

TEST(PlotkitColor, CoordinateColoursDoNotDependOnTheCount) {
  EXPECT_EQ(to_rgb8(coordinate_color(0)), (Rgb8{31, 119, 180}));     // tab10 blue
  EXPECT_EQ(to_rgb8(coordinate_color(10)), (Rgb8{174, 199, 232}));   // its tab20 companion
  std::set<unsigned> seen;
  for (int j = 0; j < 64; ++j) {
    const Rgb8 c = to_rgb8(coordinate_color(j));
    seen.insert(static_cast<unsigned>(c.r) << 16 | static_cast<unsigned>(c.g) << 8 | c.b);
  }
  EXPECT_EQ(seen.size(), 64u);
}

TEST(PlotkitColor, Colormaps) {
  EXPECT_EQ(to_rgb8(viridis(0.0)), (Rgb8{68, 1, 84}));
  EXPECT_EQ(to_rgb8(viridis(1.0)), (Rgb8{253, 231, 37}));
  EXPECT_EQ(viridis(-1.0), viridis(0.0));
  EXPECT_EQ(viridis(NAN), viridis(0.0));
  EXPECT_EQ(to_rgb8(cool_warm(0.5)), (Rgb8{221, 221, 221}));
  EXPECT_EQ(to_rgb8(cool_warm(0.0)), (Rgb8{59, 76, 192}));
  EXPECT_EQ(map_color(Colormap::diverging, 1.0), cool_warm(1.0));
}
