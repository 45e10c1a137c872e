#include "app/widgets/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab::widgets {

namespace {
// category10 (d3 / matplotlib "tab10"), bright enough to read on the dark background.
constexpr Rgb kCategory10[kSeriesPaletteSize] = {
    {31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},  {148, 103, 189},
    {140, 86, 75},  {227, 119, 194}, {127, 127, 127}, {188, 189, 34}, {23, 190, 207}};

// viridis (van der Walt & Smith, CC0) at eleven evenly spaced stops; linear interpolation between
// them stays within a few levels of the full table.
constexpr Rgb kViridis[] = {{68, 1, 84},    {72, 36, 117},  {65, 68, 135},  {53, 95, 141},
                            {42, 120, 142}, {33, 145, 140}, {34, 168, 132}, {68, 191, 112},
                            {122, 209, 81}, {189, 223, 38}, {253, 231, 37}};
// Moreland's cool–warm diverging map (blue, light grey, red) at five stops.
constexpr Rgb kCoolWarm[] = {{59, 76, 192}, {141, 176, 254}, {221, 221, 221}, {244, 154, 123}, {180, 4, 38}};

template <std::size_t N>
Rgb sample(const Rgb (&stops)[N], double v) {
  v = std::clamp(v, 0.0, 1.0) * (N - 1);
  const std::size_t i = std::min<std::size_t>(static_cast<std::size_t>(v), N - 2);
  const double f = v - static_cast<double>(i);
  auto mix = [f](std::uint8_t a, std::uint8_t b) {
    return static_cast<std::uint8_t>(std::lround(a + (static_cast<double>(b) - a) * f));
  };
  return {mix(stops[i].r, stops[i + 1].r), mix(stops[i].g, stops[i + 1].g), mix(stops[i].b, stops[i + 1].b)};
}

Rgb hsv(double h, double s, double v) {
  h = std::fmod(h, 1.0) * 6.0;
  const int i = static_cast<int>(h);
  const double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  double r, g, b;
  switch (i) {
    case 0: r = v, g = t, b = p; break;
    case 1: r = q, g = v, b = p; break;
    case 2: r = p, g = v, b = t; break;
    case 3: r = p, g = q, b = v; break;
    case 4: r = t, g = p, b = v; break;
    default: r = v, g = p, b = q; break;
  }
  auto c = [](double x) { return static_cast<std::uint8_t>(std::lround(std::clamp(x, 0.0, 1.0) * 255)); };
  return {c(r), c(g), c(b)};
}
}  // namespace

Rgb series_color(int i) {
  if (i >= 0 && i < kSeriesPaletteSize) return kCategory10[i];
  const double golden = 0.618033988749895;
  return hsv(0.11 + golden * i, 0.55 + 0.3 * ((i / 7) % 2), 0.95);
}

Rgb colormap(Colormap map, double v) {
  if (!(v == v)) return kMaskedColor;
  return map == Colormap::viridis ? sample(kViridis, v) : sample(kCoolWarm, v);
}

}  // namespace polarlab::widgets
