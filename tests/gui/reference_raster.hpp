// A small reference rasteriser for ImGui draw lists, independent of the widgets: pixel centres inside
// triangles (half-open on a quad's shared diagonal), barycentric UVs, GL_LINEAR or GL_NEAREST sampling of
// the atlas alpha, vertex alpha, "over" blending. It returns the coverage image of white ink.
#pragma once
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace polarlab::testing_raster {

enum class Filter { linear, nearest };

inline float sample(const ImFontAtlas* a, float u, float v, Filter filter) {
  auto t = [&](int x, int y) {
    x = std::clamp(x, 0, a->TexWidth - 1), y = std::clamp(y, 0, a->TexHeight - 1);
    return static_cast<float>(a->TexPixelsRGBA32[static_cast<std::size_t>(y) * a->TexWidth + x] >> 24) / 255.0f;
  };
  if (filter == Filter::nearest)
    return t(static_cast<int>(std::floor(u * a->TexWidth)), static_cast<int>(std::floor(v * a->TexHeight)));
  const float tx = u * a->TexWidth - 0.5f, ty = v * a->TexHeight - 0.5f;
  const int x0 = static_cast<int>(std::floor(tx)), y0 = static_cast<int>(std::floor(ty));
  const float fx = tx - x0, fy = ty - y0;
  return (t(x0, y0) * (1 - fx) + t(x0 + 1, y0) * fx) * (1 - fy) + (t(x0, y0 + 1) * (1 - fx) + t(x0 + 1, y0 + 1) * fx) * fy;
}

// Coverage image (w × h, row-major) of every triangle in the list.
inline std::vector<float> rasterise(const ImDrawList& dl, const ImFontAtlas* atlas, int w, int h,
                                    Filter filter = Filter::linear) {
  std::vector<float> img(static_cast<std::size_t>(w) * h, 0.0f);
  for (int i = 0; i + 2 < dl.IdxBuffer.Size; i += 3) {
    const ImDrawVert& a = dl.VtxBuffer[dl.IdxBuffer[i]];
    const ImDrawVert& b = dl.VtxBuffer[dl.IdxBuffer[i + 1]];
    const ImDrawVert& c = dl.VtxBuffer[dl.IdxBuffer[i + 2]];
    const float area = (b.pos.x - a.pos.x) * (c.pos.y - a.pos.y) - (c.pos.x - a.pos.x) * (b.pos.y - a.pos.y);
    if (area == 0) continue;
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min({a.pos.x, b.pos.x, c.pos.x}))));
    const int x1 = std::min(w - 1, static_cast<int>(std::ceil(std::max({a.pos.x, b.pos.x, c.pos.x}))));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min({a.pos.y, b.pos.y, c.pos.y}))));
    const int y1 = std::min(h - 1, static_cast<int>(std::ceil(std::max({a.pos.y, b.pos.y, c.pos.y}))));
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const float px = x + 0.5f, py = y + 0.5f;
        auto edge = [&](const ImVec2& p, const ImVec2& q) { return (q.x - p.x) * (py - p.y) - (px - p.x) * (q.y - p.y); };
        const float w0 = edge(b.pos, c.pos) / area, w1 = edge(c.pos, a.pos) / area, w2 = edge(a.pos, b.pos) / area;
        // Half-open on the shared diagonal so a quad's two triangles never both cover a pixel.
        if (w0 < 0 || w1 < 0 || w2 < 0 || (w2 == 0 && i % 6 == 3)) continue;
        const float u = w0 * a.uv.x + w1 * b.uv.x + w2 * c.uv.x, v = w0 * a.uv.y + w1 * b.uv.y + w2 * c.uv.y;
        const float va = (w0 * ((a.col >> IM_COL32_A_SHIFT) & 0xFF) + w1 * ((b.col >> IM_COL32_A_SHIFT) & 0xFF) +
                          w2 * ((c.col >> IM_COL32_A_SHIFT) & 0xFF)) / 255.0f;
        const float s = sample(atlas, u, v, filter) * va;
        float& d = img[static_cast<std::size_t>(y) * w + x];
        d = s + d * (1 - s);
      }
  }
  return img;
}

inline float max_abs_diff(const std::vector<float>& a, const std::vector<float>& b) {
  float m = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

}  // namespace polarlab::testing_raster
