// Colours shared by the screen and the figures: one colour per coordinate (so that s_3, u_3 and a_3 match,
// on screen and in an exported figure alike), viridis for probabilities and a cool–warm diverging map for
// signed values. Components in [0, 1]; to_rgb8 gives the screen's bytes. No ImGui, no Cairo.
#pragma once
#include <cstdint>

namespace polarlab::plotkit {

struct Rgb {
  double r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};
struct Rgb8 {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb8&) const = default;
};
Rgb8 to_rgb8(Rgb c);  // rounded
Rgb from_hex(unsigned rgb);  // 0xRRGGBB

// Coordinate j's colour, the same for every number of coordinates p (a coordinate keeps its colour when p
// changes, and across panels that show different counts): the ten "tab10" colours for j < 10, their light
// "tab20" companions for 10 ≤ j < 20, then hues spaced by the golden angle.
Rgb coordinate_color(int j);
inline constexpr int kTab10Size = 10;

enum class Colormap { viridis, diverging };
// Viridis (matplotlib's, nine samples linearly interpolated); x clamped to [0, 1], non-finite x gives 0.
Rgb viridis(double x);
// Moreland's cool–warm map (blue, light grey, red); x clamped to [0, 1], non-finite x gives 0.5.
Rgb cool_warm(double x);
Rgb map_color(Colormap map, double x);  // viridis or cool_warm

}  // namespace polarlab::plotkit
