#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "app/widgets/colormap.hpp"

using namespace polarlab::widgets;

TEST(Colormap, ViridisEndsAndMonotoneLightness) {
  EXPECT_EQ(colormap(Colormap::viridis, 0.0), (Rgb{68, 1, 84}));
  EXPECT_EQ(colormap(Colormap::viridis, 1.0), (Rgb{253, 231, 37}));
  auto luma = [](Rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; };
  double prev = -1;
  for (int k = 0; k <= 100; ++k) {
    const double l = luma(colormap(Colormap::viridis, k / 100.0));
    EXPECT_GT(l, prev - 1e-9);
    prev = l;
  }
}

TEST(Colormap, DivergingIsNeutralInTheMiddleAndMaskedIsDistinct) {
  const Rgb mid = colormap(Colormap::diverging, 0.5);
  EXPECT_EQ(mid.r, mid.g);
  EXPECT_LT(colormap(Colormap::diverging, 0.0).r, colormap(Colormap::diverging, 0.0).b);  // blue end
  EXPECT_GT(colormap(Colormap::diverging, 1.0).r, colormap(Colormap::diverging, 1.0).b);  // red end
  EXPECT_EQ(colormap(Colormap::viridis, std::nan("")), kMaskedColor);
  EXPECT_EQ(colormap(Colormap::viridis, -3.0), colormap(Colormap::viridis, 0.0));  // clamped
}

TEST(SeriesColors, Tab10ThenTab20CompanionsThenDistinctHues) {
  EXPECT_EQ(series_color(0), (Rgb{31, 119, 180}));
  EXPECT_EQ(series_color(9), (Rgb{23, 190, 207}));
  EXPECT_EQ(series_color(10), (Rgb{174, 199, 232}));
  EXPECT_EQ(series_color(19), (Rgb{158, 218, 229}));
}

TEST(SeriesColors, DistinctForManyCoordinates) {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 64; ++i) seen.insert(pack(series_color(i)));
  EXPECT_EQ(seen.size(), 64u);
  EXPECT_EQ(pack(Rgb{1, 2, 3}, 4), 0x04030201u);
}
