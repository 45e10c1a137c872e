// The GIF's palette: one global palette of at most 255 colours for the whole animation, built by median cut
// from the colours of sampled frames (weighted by how many pixels have them), and the mapping of a frame's
// pixels to it (nearest colour, no dithering: the figures are flat colours and anti-aliased edges, where
// dithering only adds noise and bytes). Index 255 is left free for the GIF encoder's transparency.
#pragma once
#include <cstdint>
#include <vector>

#include "core/figure/plot.hpp"

namespace polarlab::animate {

// Median cut over the colours (0xRRGGBB, top byte ignored) of the images: boxes split at the weighted median of
// their widest channel until there are max_colors of them; each palette entry is its box's weighted mean.
// At most max_colors (1 .. 255) entries, 0xFFRRGGBB; when the images have no more distinct colours than that,
// the palette is exactly those colours.
std::vector<std::uint32_t> median_cut_palette(const std::vector<const figure::Bitmap*>& images, int max_colors = 255);

// Pixel → palette index, memoized per colour (a figure has a few thousand distinct colours).
class PaletteMapper {
 public:
  explicit PaletteMapper(std::vector<std::uint32_t> palette);
  std::uint8_t index(std::uint32_t rgb);
  // Writes image.width indices per row into out, rows linesize bytes apart.
  void map(const figure::Bitmap& image, std::uint8_t* out, int linesize);
  const std::vector<std::uint32_t>& palette() const { return palette_; }

 private:
  std::vector<std::uint32_t> palette_;
  std::vector<std::uint8_t> lut_;  // 2^24 entries, 0xFF: not looked up yet
};

}  // namespace polarlab::animate
