// Tick placement and label formatting of the figure renderer.
#include <gtest/gtest.h>

#include <cmath>

#include "core/figure/text.hpp"
#include "core/figure/ticks.hpp"

using namespace polarlab::figure;

namespace {
std::vector<Tick> majors(const std::vector<Tick>& t) {
  std::vector<Tick> m;
  for (const auto& x : t)
    if (x.major) m.push_back(x);
  return m;
}
}  // namespace

TEST(FigureTicks, LogDecadesFromOneHundredthToAMillion) {
  const auto t = log_ticks(1e-2, 1e6);
  const auto m = majors(t);
  ASSERT_EQ(m.size(), 9u);
  for (int k = -2; k <= 6; ++k) {
    EXPECT_NEAR(std::log10(m[static_cast<std::size_t>(k + 2)].value), k, 1e-12);
    EXPECT_EQ(plain_text(m[static_cast<std::size_t>(k + 2)].label), plain_text(format_log_label(k)));
  }
  EXPECT_EQ(plain_text(m.front().label), "10⁻²");
  EXPECT_EQ(plain_text(m.back().label), "10⁶");
  EXPECT_EQ(m.front().label, "10^{\xE2\x88\x92" "2}");  // a real minus sign
  // Minor ticks: 2..9 in each of the 8 decades, unlabelled.
  EXPECT_EQ(t.size() - m.size(), 8u * 8u);
  int in_first = 0;
  for (const auto& x : t)
    if (!x.major) {
      EXPECT_TRUE(x.label.empty());
      if (x.value > 1e-2 && x.value < 1e-1) {
        ++in_first;
        const double mant = x.value / 1e-2;
        EXPECT_NEAR(mant, std::round(mant), 1e-9);
        EXPECT_GE(std::round(mant), 2);
        EXPECT_LE(std::round(mant), 9);
      }
    }
  EXPECT_EQ(in_first, 8);
  for (std::size_t i = 1; i < t.size(); ++i) EXPECT_LT(t[i - 1].value, t[i].value);
}

TEST(FigureTicks, LogMinorsOnlyInsideTheRange) {
  const auto t = log_ticks(3e-3, 4e2);
  for (const auto& x : t) {
    EXPECT_GE(x.value, 3e-3 * (1 - 1e-12));
    EXPECT_LE(x.value, 4e2 * (1 + 1e-12));
  }
  EXPECT_EQ(majors(t).size(), 5u);  // 1e-2 .. 1e2
}

TEST(FigureTicks, ManyDecadesLabelEveryOtherOne) {
  const auto m = majors(log_ticks(1e-12, 1e12, 8));
  ASSERT_FALSE(m.empty());
  EXPECT_LE(m.size(), 9u);
  EXPECT_GE(m.size(), 5u);
  for (const auto& x : m) EXPECT_FALSE(x.label.empty());
}

TEST(FigureTicks, LessThanADecadeStillHasLabels) {
  const auto t = log_ticks(0.15, 0.8);
  int labelled = 0;
  for (const auto& x : t) labelled += !x.label.empty();
  EXPECT_GE(labelled, 2);
  // Within a decade or so of 1 the labels are plain numbers: "1", "2", "5".
  std::vector<std::string> labels;
  for (const auto& x : log_ticks(0.9, 6.5))
    if (!x.label.empty()) labels.push_back(x.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"1", "2", "5"}));
}

TEST(FigureTicks, LinearNiceNumbers) {
  EXPECT_DOUBLE_EQ(nice_step(0, 1, 5), 0.2);
  EXPECT_DOUBLE_EQ(nice_step(0, 10, 5), 2.0);
  EXPECT_DOUBLE_EQ(nice_step(0, 1, 4), 0.25);
  EXPECT_DOUBLE_EQ(nice_step(0, 100, 2), 50.0);
  EXPECT_DOUBLE_EQ(nice_step(-3, 3, 6), 1.0);
  const auto t = linear_ticks(-0.03, 1.03, 5);
  ASSERT_EQ(t.size(), 6u);
  const char* want[] = {"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"};
  for (std::size_t i = 0; i < t.size(); ++i) {
    EXPECT_NEAR(t[i].value, 0.2 * static_cast<double>(i), 1e-15);
    EXPECT_TRUE(t[i].major);
  }
  // Zero reads "0", the rest with as many decimals as the step needs.
  EXPECT_EQ(t[0].label, "0");
  for (std::size_t i = 1; i < t.size(); ++i) EXPECT_EQ(t[i].label, want[i]);
}

TEST(FigureTicks, LinearLabels) {
  EXPECT_EQ(format_linear_label(-1.0, 0.5), "\xE2\x88\x92" "1.0");
  EXPECT_EQ(format_linear_label(0.25, 0.25), "0.25");
  EXPECT_EQ(format_linear_label(2.5, 2.5), "2.5");
  EXPECT_EQ(format_linear_label(25, 25), "25");
  EXPECT_EQ(format_linear_label(40, 20), "40");
  EXPECT_EQ(format_linear_label(1e-17, 0.1), "0");
  EXPECT_EQ(format_linear_label(2e5, 1e5), "2\xC3\x97" "10^{5}");
  EXPECT_EQ(plain_text(format_linear_label(3e-5, 1e-5)), "3×10⁻⁵");
  const auto t = linear_ticks(-12, 7, 4);
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t.front().label, "\xE2\x88\x92" "10");
  EXPECT_EQ(t.back().label, "5");
}

TEST(FigureTicks, NoDriftOverManyTicks) {
  const auto t = linear_ticks(0, 3, 30);
  ASSERT_GE(t.size(), 30u);
  EXPECT_EQ(t.back().label, "3.0");
}

TEST(FigureTicks, PaddedLimits) {
  double lo, hi;
  ASSERT_TRUE(padded_limits({0.0, 1.0}, Scale::linear, lo, hi));
  EXPECT_DOUBLE_EQ(lo, -0.05);
  EXPECT_DOUBLE_EQ(hi, 1.05);
  ASSERT_TRUE(padded_limits({0.0, 1e-2, 1e2}, Scale::log, lo, hi));  // zero ignored on a log axis
  EXPECT_NEAR(std::log10(lo), -2.2, 1e-12);
  EXPECT_NEAR(std::log10(hi), 2.2, 1e-12);
  EXPECT_FALSE(padded_limits({0.0, -1.0}, Scale::log, lo, hi));
  ASSERT_TRUE(padded_limits({3.0, 3.0}, Scale::linear, lo, hi));
  EXPECT_LT(lo, 3.0);
  EXPECT_GT(hi, 3.0);
}

TEST(FigureTicks, CompactNumbers) {
  EXPECT_EQ(format_number(1), "1");
  EXPECT_EQ(format_number(0.05), "0.05");
  EXPECT_EQ(plain_text(format_number(1e-3)), "0.001");
  EXPECT_EQ(plain_text(format_number(1e6)), "10⁶");
  EXPECT_EQ(plain_text(format_number(2.5e7)), "2.5×10⁷");
  EXPECT_EQ(plain_text(format_number(14910.3)), "1.49×10⁴");
  EXPECT_EQ(format_number(444.5), "444.5");
}
