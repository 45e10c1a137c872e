// The screen's colours: core/plotkit's (shared with the figures, so that an exported figure has the screen's
// colours) as bytes, packed for ImGui. No ImGui here.
#pragma once
#include <cstdint>

#include "core/plotkit/color.hpp"

namespace polarlab::widgets {

using Rgb = plotkit::Rgb8;
using plotkit::Colormap;

// Packed as ImGui's IM_COL32 (little-endian ABGR) without needing imgui.h.
constexpr std::uint32_t pack(Rgb c, std::uint8_t alpha = 255) {
  return static_cast<std::uint32_t>(c.r) | (static_cast<std::uint32_t>(c.g) << 8) |
         (static_cast<std::uint32_t>(c.b) << 16) | (static_cast<std::uint32_t>(alpha) << 24);
}

// Coordinate i's colour: plotkit::coordinate_color (the figures' coordinate_color too), the same for every p.
Rgb series_color(int i);

// v in [0, 1]; out-of-range values are clamped, NaN gives the "masked" grey (on the dark background).
Rgb colormap(Colormap map, double v);
inline constexpr Rgb kMaskedColor{90, 90, 96};

}  // namespace polarlab::widgets
