// The screen and an exported figure give every coordinate the same colour (issue 15: they differed beyond
// ten coordinates): widgets::series_color (the GUI's coord_color) against figure::coordinate_color.
#include <gtest/gtest.h>

#include <cmath>

#include "app/widgets/colormap.hpp"
#include "core/figure/plot.hpp"

namespace {
std::uint8_t byte(double x) { return static_cast<std::uint8_t>(std::lround(x * 255)); }
}  // namespace

TEST(ScreenAndFigure, EqualCoordinateColoursForTwentyCoordinates) {
  const int p = 20;
  for (int j = 0; j < p; ++j) {
    const polarlab::widgets::Rgb screen = polarlab::widgets::series_color(j);
    const polarlab::figure::Color fig = polarlab::figure::coordinate_color(j);
    EXPECT_EQ(screen.r, byte(fig.r)) << j;
    EXPECT_EQ(screen.g, byte(fig.g)) << j;
    EXPECT_EQ(screen.b, byte(fig.b)) << j;
    EXPECT_EQ(fig.a, 1.0);
  }
}

TEST(ScreenAndFigure, EqualViridis) {
  for (int k = 0; k <= 64; ++k) {
    const double x = k / 64.0;
    const polarlab::widgets::Rgb screen = polarlab::widgets::colormap(polarlab::widgets::Colormap::viridis, x);
    const polarlab::figure::Color fig = polarlab::figure::viridis(x);
    EXPECT_EQ(screen.r, byte(fig.r)) << x;
    EXPECT_EQ(screen.g, byte(fig.g)) << x;
    EXPECT_EQ(screen.b, byte(fig.b)) << x;
  }
}
