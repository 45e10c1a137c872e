// Colours shared by every panel: one colour per coordinate (so s_3, u_3 and a_3 match), a perceptually
// uniform sequential map for probabilities and a diverging map for signed values. No ImGui here.
#pragma once
#include <cstdint>

namespace polarlab::widgets {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

// Packed as ImGui's IM_COL32 (little-endian ABGR) without needing imgui.h.
constexpr std::uint32_t pack(Rgb c, std::uint8_t alpha = 255) {
  return static_cast<std::uint32_t>(c.r) | (static_cast<std::uint32_t>(c.g) << 8) |
         (static_cast<std::uint32_t>(c.b) << 16) | (static_cast<std::uint32_t>(alpha) << 24);
}

// Coordinate i's colour: the ten "category10" colours, then hues spaced by the golden angle.
Rgb series_color(int i);
inline constexpr int kSeriesPaletteSize = 10;

enum class Colormap { viridis, diverging };
// v in [0, 1]; out-of-range values are clamped, NaN gives the "masked" grey.
Rgb colormap(Colormap map, double v);
inline constexpr Rgb kMaskedColor{90, 90, 96};

}  // namespace polarlab::widgets
