#include "core/animate/palette.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

namespace polarlab::animate {
namespace {

struct Entry {
  std::uint32_t rgb;
  std::uint64_t count;
};

int channel(std::uint32_t rgb, int c) { return static_cast<int>((rgb >> (16 - 8 * c)) & 0xFF); }

struct Box {
  std::size_t begin, end;  // into the entries
  int widest = 0, range = 0;
  std::uint64_t count = 0;
};

void measure(Box& b, const std::vector<Entry>& e) {
  int lo[3] = {255, 255, 255}, hi[3] = {0, 0, 0};
  b.count = 0;
  for (std::size_t i = b.begin; i < b.end; ++i) {
    for (int c = 0; c < 3; ++c) {
      lo[c] = std::min(lo[c], channel(e[i].rgb, c));
      hi[c] = std::max(hi[c], channel(e[i].rgb, c));
    }
    b.count += e[i].count;
  }
  b.range = -1;
  for (int c = 0; c < 3; ++c)
    if (hi[c] - lo[c] > b.range) b.range = hi[c] - lo[c], b.widest = c;
}

}  // namespace

std::vector<std::uint32_t> median_cut_palette(const std::vector<const figure::Bitmap*>& images, int max_colors) {
  if (max_colors < 1 || max_colors > 255) throw std::invalid_argument("median_cut_palette: max_colors in [1, 255]");
  std::unordered_map<std::uint32_t, std::uint64_t> hist;
  for (const figure::Bitmap* img : images) {
    // Runs of one colour (the white background, flat fills) are counted once per run.
    const std::vector<std::uint32_t>& px = img->pixels;
    for (std::size_t i = 0; i < px.size();) {
      std::size_t j = i + 1;
      while (j < px.size() && px[j] == px[i]) ++j;
      hist[px[i] & 0xFFFFFFu] += j - i;
      i = j;
    }
  }
  std::vector<Entry> e;
  e.reserve(hist.size());
  for (const auto& [rgb, n] : hist) e.push_back({rgb, n});
  std::sort(e.begin(), e.end(), [](const Entry& a, const Entry& b) { return a.rgb < b.rgb; });  // deterministic
  std::vector<std::uint32_t> palette;
  if (e.empty()) return {0xFFFFFFFFu};
  if (e.size() <= static_cast<std::size_t>(max_colors)) {
    for (const Entry& x : e) palette.push_back(0xFF000000u | x.rgb);
    return palette;
  }
  std::vector<Box> boxes{{0, e.size()}};
  measure(boxes[0], e);
  while (boxes.size() < static_cast<std::size_t>(max_colors)) {
    // The box with the widest channel range (ties: more pixels) is split; a box of one colour never is.
    std::size_t pick = boxes.size();
    for (std::size_t i = 0; i < boxes.size(); ++i) {
      if (boxes[i].end - boxes[i].begin < 2) continue;
      if (pick == boxes.size() || boxes[i].range > boxes[pick].range ||
          (boxes[i].range == boxes[pick].range && boxes[i].count > boxes[pick].count))
        pick = i;
    }
    if (pick == boxes.size()) break;
    Box b = boxes[pick];
    const int c = b.widest;
    std::sort(e.begin() + static_cast<std::ptrdiff_t>(b.begin), e.begin() + static_cast<std::ptrdiff_t>(b.end),
              [c](const Entry& x, const Entry& y) {
                return channel(x.rgb, c) != channel(y.rgb, c) ? channel(x.rgb, c) < channel(y.rgb, c) : x.rgb < y.rgb;
              });
    // Weighted median, keeping both halves non-empty.
    std::uint64_t acc = 0;
    std::size_t cut = b.begin + 1;
    for (std::size_t i = b.begin; i < b.end - 1; ++i) {
      acc += e[i].count;
      cut = i + 1;
      if (2 * acc >= b.count) break;
    }
    Box lo{b.begin, cut}, hi{cut, b.end};
    measure(lo, e);
    measure(hi, e);
    boxes[pick] = lo;
    boxes.push_back(hi);
  }
  for (const Box& b : boxes) {
    double sum[3] = {0, 0, 0};
    for (std::size_t i = b.begin; i < b.end; ++i)
      for (int c = 0; c < 3; ++c) sum[c] += static_cast<double>(channel(e[i].rgb, c)) * static_cast<double>(e[i].count);
    std::uint32_t rgb = 0xFF000000u;
    for (int c = 0; c < 3; ++c)
      rgb |= static_cast<std::uint32_t>(std::clamp(static_cast<int>(sum[c] / static_cast<double>(b.count) + 0.5), 0, 255))
             << (16 - 8 * c);
    palette.push_back(rgb);
  }
  return palette;
}

PaletteMapper::PaletteMapper(std::vector<std::uint32_t> palette) : palette_(std::move(palette)) {
  if (palette_.empty() || palette_.size() > 255) throw std::invalid_argument("PaletteMapper: 1 .. 255 colours");
  lut_.assign(std::size_t{1} << 24, 0xFF);
}

std::uint8_t PaletteMapper::index(std::uint32_t rgb) {
  rgb &= 0xFFFFFFu;
  std::uint8_t& slot = lut_[rgb];
  if (slot != 0xFF) return slot;
  int best = 0;
  long best_d = -1;
  for (std::size_t i = 0; i < palette_.size(); ++i) {
    long d = 0;
    for (int c = 0; c < 3; ++c) {
      const long x = channel(rgb, c) - channel(palette_[i], c);
      d += x * x;
    }
    if (best_d < 0 || d < best_d) best_d = d, best = static_cast<int>(i);
  }
  slot = static_cast<std::uint8_t>(best);
  return slot;
}

void PaletteMapper::map(const figure::Bitmap& image, std::uint8_t* out, int linesize) {
  for (int y = 0; y < image.height; ++y) {
    const std::uint32_t* row = image.pixels.data() + static_cast<std::size_t>(y) * image.width;
    std::uint8_t* o = out + static_cast<std::ptrdiff_t>(y) * linesize;
    if (image.width == 0) continue;
    std::uint32_t last = row[0];
    std::uint8_t last_i = index(last);
    for (int x = 0; x < image.width; ++x) {
      if (row[x] != last) last = row[x], last_i = index(row[x]);
      o[x] = last_i;
    }
  }
}

}  // namespace polarlab::animate
