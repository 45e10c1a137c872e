// The screen's axes: plotkit's ticks with the screen's bounds on their count and ASCII labels (decade ticks and
// their labels, nice linear ticks), and polyline simplification. Decimation: decimation_cache_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "app/widgets/axis.hpp"

using namespace polarlab::widgets;

namespace {
std::vector<double> major_values(const std::vector<Tick>& ticks) {
  std::vector<double> v;
  for (const auto& t : ticks)
    if (t.major) v.push_back(t.value);
  return v;
}
}  // namespace

TEST(LogTicks, DecadesInsideTheRangeWithPowerLabels) {
  const auto ticks = log_ticks(0.5, 2e4, 10);
  EXPECT_EQ(major_values(ticks), (std::vector<double>{1, 10, 100, 1000, 10000}));
  for (const auto& t : ticks)
    if (t.value == 1000) {
      EXPECT_EQ(t.label, "10^3");
      EXPECT_EQ(t.mantissa, "10");
      EXPECT_EQ(t.exponent, "3");
    }
  EXPECT_FALSE(ticks.front().major);  // 0.5 … 0.9 are minor ticks below the first decade
}

TEST(LogTicks, NegativeExponentsAndMinorTicks) {
  const auto ticks = log_ticks(1e-3, 1e-1, 10);
  EXPECT_EQ(major_values(ticks), (std::vector<double>{1e-3, 1e-2, 1e-1}));
  EXPECT_EQ(ticks.front().label, "10^-3");
  int minors = 0;
  for (const auto& t : ticks) minors += !t.major;
  EXPECT_EQ(minors, 16);  // 2..9 in each of the two decades
  for (std::size_t i = 1; i < ticks.size(); ++i) EXPECT_LT(ticks[i - 1].value, ticks[i].value);
}

TEST(LogTicks, ManyDecadesAreThinnedToTheBudget) {
  const auto ticks = log_ticks(1e-10, 1e10, 5);
  const auto major = major_values(ticks);
  EXPECT_LE(major.size(), 6u);
  EXPECT_GE(major.size(), 3u);
  // Every labelled tick is still an exact decade, evenly spaced in exponent.
  const double step = std::log10(major[1]) - std::log10(major[0]);
  for (std::size_t i = 1; i < major.size(); ++i)
    EXPECT_NEAR(std::log10(major[i]) - std::log10(major[i - 1]), step, 1e-9);
}

TEST(LogTicks, LessThanADecadeStillHasLabels) {
  // The figures' rule (plotkit): ticks at 2..7, the mantissas 2 and 5 labelled as plain numbers.
  const auto ticks = log_ticks(2.0, 7.0, 6);
  ASSERT_GE(ticks.size(), 3u);
  std::vector<std::string> labels;
  for (const auto& t : ticks) {
    EXPECT_GE(t.value, 2.0);
    EXPECT_LE(t.value, 7.0);
    if (!t.label.empty()) labels.push_back(t.label);
  }
  EXPECT_EQ(labels, (std::vector<std::string>{"2", "5"}));
  // Around 1 the decade reads "1", beside "2" and "5".
  labels.clear();
  for (const auto& t : log_ticks(0.9, 6.5, 6))
    if (!t.label.empty()) labels.push_back(t.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"1", "2", "5"}));
}

// Lecture scene 2's bound panel: the ratio and the bound stay within 0.4 % of 1 over the scene's first seconds, and
// the log axis read "1" alone, so a 0.4 % fall looked like a decade. A range narrower than any two m·10^k gets
// nice linear values (placed on the log axis), at least two of them, all distinct and inside the range.
TEST(LogTicks, ARangeWithinAFewPercentGetsAtLeastTwoDistinctLabels) {
  for (const auto& [lo, hi] : {std::pair{0.996, 1.0002}, std::pair{0.9999, 1.00001}, std::pair{3.1, 3.4},
                               std::pair{1e-7, 1.05e-7}}) {
    std::vector<std::string> labels;
    for (const auto& t : log_ticks(lo, hi, 5)) {
      EXPECT_GE(t.value, lo * (1 - 1e-9));
      EXPECT_LE(t.value, hi * (1 + 1e-9));
      if (!t.label.empty()) labels.push_back(t.label);
    }
    EXPECT_GE(labels.size(), 2u) << lo << " .. " << hi;
    std::vector<std::string> unique = labels;
    std::sort(unique.begin(), unique.end());
    EXPECT_EQ(std::unique(unique.begin(), unique.end()), unique.end()) << lo << " .. " << hi << ": a label repeats";
  }
}

TEST(LogTicks, InvalidRangesGiveNoTicks) {
  EXPECT_TRUE(log_ticks(0.0, 10.0, 5).empty());
  EXPECT_TRUE(log_ticks(-1.0, 10.0, 5).empty());
  EXPECT_TRUE(log_ticks(10.0, 1.0, 5).empty());
}

TEST(LinearTicks, NiceStepsAndExactLabels) {
  const auto ticks = linear_ticks(0.0, 1.0, 6);
  ASSERT_EQ(ticks.size(), 6u);
  for (std::size_t i = 0; i < ticks.size(); ++i) EXPECT_NEAR(ticks[i].value, 0.2 * i, 1e-12);
  std::vector<std::string> labels;
  for (const auto& t : ticks) labels.push_back(t.label);
  // As in the figures: as many decimals as the step needs, on every label but zero.
  EXPECT_EQ(labels, (std::vector<std::string>{"0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
}

TEST(LinearTicks, StepIsOneTwoTwoAndAHalfOrFiveTimesAPowerOfTen) {
  for (double hi : {0.37, 3.3, 17.0, 123.0, 9e4}) {
    const auto ticks = linear_ticks(-hi / 3, hi, 7);
    ASSERT_GE(ticks.size(), 2u) << hi;
    EXPECT_LE(ticks.size(), 7u) << hi;  // never more than the room allows
    const double step = ticks[1].value - ticks[0].value;
    const double mant = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    EXPECT_TRUE(std::fabs(mant - 1) < 1e-6 || std::fabs(mant - 2) < 1e-6 || std::fabs(mant - 2.5) < 1e-6 ||
                std::fabs(mant - 5) < 1e-6)
        << step;
    for (const auto& t : ticks) {
      EXPECT_GE(t.value, -hi / 3 - 1e-9);
      EXPECT_LE(t.value, hi + 1e-9);
    }
  }
}

TEST(LinearTicks, AShortAxisStillGetsTwoLabels) {
  // Lecture-size fonts leave room for two ticks: a nice step of the whole span would label only one value.
  for (const auto& [lo, hi] : {std::pair{-0.32, 0.41}, std::pair{0.049, 0.0512}, std::pair{-3.0, 7.0}, std::pair{0.9, 1.7}}) {
    const auto ticks = linear_ticks(lo, hi, 2);
    EXPECT_GE(ticks.size(), 2u) << lo << ".." << hi;
    EXPECT_LE(ticks.size(), 5u) << lo << ".." << hi;
    for (const auto& t : ticks) {
      EXPECT_GE(t.value, lo - 1e-12);
      EXPECT_LE(t.value, hi + 1e-12);
    }
  }
}

TEST(LinearTicks, ZeroIsWrittenAsZeroAndNegativeLabelsKeepTheirSign) {
  const auto ticks = linear_ticks(-1.0, 1.0, 5);
  bool zero = false;
  for (const auto& t : ticks) {
    if (t.value == 0.0) {
      zero = true;
      EXPECT_EQ(t.label, "0");
    }
    if (t.value < 0) EXPECT_EQ(t.label[0], '-');
  }
  EXPECT_TRUE(zero);
}

TEST(FormatNumber, CompactForms) {
  EXPECT_EQ(format_number(0.25), "0.25");
  EXPECT_EQ(format_number(3000), "3000");
  EXPECT_EQ(format_number(1.5e-5), "1.5e-05");
  EXPECT_EQ(format_tick(2.5, 0.25), "2.50");  // the decimals of the step, as the figures write it
  EXPECT_EQ(format_tick(-2e5, 1e5), "-2e+05");
  EXPECT_EQ(format_tick(0.3000000000000004, 0.1), "0.3");
}

TEST(AxisMap, LogAxisIsLinearInTheExponent) {
  AxisMap m{Scale::log, 1.0, 1e4};
  EXPECT_NEAR(m.forward(100.0), 0.5, 1e-12);
  EXPECT_NEAR(m.inverse(0.25), 10.0, 1e-9);
  EXPECT_TRUE(std::isnan(m.forward(0.0)));
  AxisMap l{Scale::linear, -2.0, 2.0};
  EXPECT_NEAR(l.forward(1.0), 0.75, 1e-12);
}

TEST(PadRange, EmptyAndDegenerateRangesBecomeUsable) {
  double lo = 3.0, hi = 3.0;
  pad_range(Scale::linear, lo, hi, 0.05);
  EXPECT_LT(lo, 3.0);
  EXPECT_GT(hi, 3.0);
  lo = 5.0, hi = 5.0;
  pad_range(Scale::log, lo, hi, 0.0);
  EXPECT_GT(lo, 0.0);
  EXPECT_LT(lo, 5.0);
  EXPECT_GT(hi, 5.0);
}

TEST(Simplify, StraightLineKeepsItsEnds) {
  std::vector<float> xy;
  for (int i = 0; i < 1000; ++i) xy.push_back(i * 0.5f), xy.push_back(i * 0.25f + 3.0f);
  EXPECT_EQ(simplify_polyline(xy.data(), 1000, 0.25f), 2u);
  EXPECT_FLOAT_EQ(xy[2], 999 * 0.5f);
}

TEST(Simplify, CurveStaysWithinTolerance) {
  const int n = 4000;
  std::vector<float> orig;
  for (int i = 0; i < n; ++i) orig.push_back(i * 0.25f), orig.push_back(100.0f * std::sin(i * 0.004f));
  std::vector<float> xy = orig;
  const std::size_t m = simplify_polyline(xy.data(), n, 0.25f);
  EXPECT_LT(m, static_cast<std::size_t>(n) / 4);
  EXPECT_GT(m, 10u);
  // Each original point lies within the tolerance of the simplified polyline (x is monotone here).
  std::size_t seg = 0;
  for (int i = 0; i < n; ++i) {
    const float px = orig[2 * i], py = orig[2 * i + 1];
    while (seg + 2 < m && xy[2 * (seg + 1)] < px) ++seg;
    const float ax = xy[2 * seg], ay = xy[2 * seg + 1], bx = xy[2 * seg + 2], by = xy[2 * seg + 3];
    const float dx = bx - ax, dy = by - ay;
    const float dist = std::fabs((px - ax) * dy - (py - ay) * dx) / std::sqrt(dx * dx + dy * dy);
    EXPECT_LE(dist, 0.26f) << i;
  }
}
