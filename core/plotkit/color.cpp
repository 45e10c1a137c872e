#include "core/plotkit/color.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab::plotkit {

namespace {
constexpr unsigned kTab10[kTab10Size] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                         0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf};
constexpr unsigned kTab20Light[kTab10Size] = {0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5,
                                              0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};

Rgb hsv(double h, double s, double v) {
  h = std::fmod(h, 1.0) * 6.0;
  const int i = static_cast<int>(h);
  const double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
  switch (i) {
    case 0: return {v, t, p};
    case 1: return {q, v, p};
    case 2: return {p, v, t};
    case 3: return {p, q, v};
    case 4: return {t, p, v};
    default: return {v, p, q};
  }
}
}  // namespace

Rgb8 to_rgb8(Rgb c) {
  auto b = [](double x) { return static_cast<std::uint8_t>(std::lround(std::clamp(x, 0.0, 1.0) * 255)); };
  return {b(c.r), b(c.g), b(c.b)};
}

Rgb from_hex(unsigned rgb) {
  return {((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0};
}

Rgb coordinate_color(int j) {
  if (j < 0) j = 0;
  if (j < kTab10Size) return from_hex(kTab10[j]);
  if (j < 2 * kTab10Size) return from_hex(kTab20Light[j - kTab10Size]);
  const double golden = 0.618033988749895;
  return hsv(0.11 + golden * j, 0.55 + 0.3 * ((j / 7) % 2), 0.95);
}

Rgb viridis(double x) {
  static const double k[9][3] = {{0.267004, 0.004874, 0.329415}, {0.282623, 0.140926, 0.457517},
                                 {0.253935, 0.265254, 0.529983}, {0.206756, 0.371758, 0.553117},
                                 {0.163625, 0.471133, 0.558148}, {0.128729, 0.563265, 0.551229},
                                 {0.134692, 0.658636, 0.517649}, {0.477504, 0.821444, 0.318195},
                                 {0.993248, 0.906157, 0.143936}};
  static const double pos[9] = {0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0};
  if (!std::isfinite(x)) x = 0;
  x = std::clamp(x, 0.0, 1.0);
  int i = 0;
  while (i < 7 && x > pos[i + 1]) ++i;
  const double f = (x - pos[i]) / (pos[i + 1] - pos[i]);
  return {k[i][0] + f * (k[i + 1][0] - k[i][0]), k[i][1] + f * (k[i + 1][1] - k[i][1]),
          k[i][2] + f * (k[i + 1][2] - k[i][2])};
}

Rgb cool_warm(double x) {
  static const unsigned stops[5] = {0x3b4cc0, 0x8db0fe, 0xdddddd, 0xf49a7b, 0xb40426};
  if (!std::isfinite(x)) x = 0.5;
  x = std::clamp(x, 0.0, 1.0) * 4;
  const int i = std::min(static_cast<int>(x), 3);
  const double f = x - i;
  const Rgb a = from_hex(stops[i]), b = from_hex(stops[i + 1]);
  return {a.r + f * (b.r - a.r), a.g + f * (b.g - a.g), a.b + f * (b.b - a.b)};
}

Rgb map_color(Colormap map, double x) { return map == Colormap::viridis ? viridis(x) : cool_warm(x); }

}  // namespace polarlab::plotkit
