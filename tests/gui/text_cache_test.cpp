// The plot text cache must draw the same pixels as ImGui's glyph-by-glyph AddText. Both draw lists are
// rasterised here by a small reference rasteriser (pixel centres inside triangles, barycentric UVs,
// GL_LINEAR sampling, "over" blending), independent of the cache's own per-glyph loop, and compared.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "app/widgets/text_cache.hpp"

namespace {

using polarlab::widgets::add_text;

constexpr int kW = 320, kH = 64;

float sample(const ImFontAtlas* a, float u, float v) {
  const float tx = u * a->TexWidth - 0.5f, ty = v * a->TexHeight - 0.5f;
  const int x0 = static_cast<int>(std::floor(tx)), y0 = static_cast<int>(std::floor(ty));
  const float fx = tx - x0, fy = ty - y0;
  auto t = [&](int x, int y) {
    x = std::clamp(x, 0, a->TexWidth - 1), y = std::clamp(y, 0, a->TexHeight - 1);
    return static_cast<float>(a->TexPixelsRGBA32[static_cast<std::size_t>(y) * a->TexWidth + x] >> 24) / 255.0f;
  };
  return (t(x0, y0) * (1 - fx) + t(x0 + 1, y0) * fx) * (1 - fy) + (t(x0, y0 + 1) * (1 - fx) + t(x0 + 1, y0 + 1) * fx) * fy;
}

// Coverage image (alpha of white text over transparent) of every triangle in the list.
std::vector<float> rasterise(const ImDrawList& dl, const ImFontAtlas* atlas) {
  std::vector<float> img(kW * kH, 0.0f);
  for (int i = 0; i + 2 < dl.IdxBuffer.Size; i += 3) {
    const ImDrawVert& a = dl.VtxBuffer[dl.IdxBuffer[i]];
    const ImDrawVert& b = dl.VtxBuffer[dl.IdxBuffer[i + 1]];
    const ImDrawVert& c = dl.VtxBuffer[dl.IdxBuffer[i + 2]];
    const float area = (b.pos.x - a.pos.x) * (c.pos.y - a.pos.y) - (c.pos.x - a.pos.x) * (b.pos.y - a.pos.y);
    if (area == 0) continue;
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min({a.pos.x, b.pos.x, c.pos.x}))));
    const int x1 = std::min(kW - 1, static_cast<int>(std::ceil(std::max({a.pos.x, b.pos.x, c.pos.x}))));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min({a.pos.y, b.pos.y, c.pos.y}))));
    const int y1 = std::min(kH - 1, static_cast<int>(std::ceil(std::max({a.pos.y, b.pos.y, c.pos.y}))));
    for (int y = y0; y <= y1; ++y)
      for (int x = x0; x <= x1; ++x) {
        const float px = x + 0.5f, py = y + 0.5f;
        auto edge = [&](const ImVec2& p, const ImVec2& q) { return (q.x - p.x) * (py - p.y) - (px - p.x) * (q.y - p.y); };
        const float w0 = edge(b.pos, c.pos) / area, w1 = edge(c.pos, a.pos) / area, w2 = edge(a.pos, b.pos) / area;
        // Half-open on the shared diagonal so a quad's two triangles never both cover a pixel.
        if (w0 < 0 || w1 < 0 || w2 < 0 || (w2 == 0 && i % 6 == 3)) continue;
        const float u = w0 * a.uv.x + w1 * b.uv.x + w2 * c.uv.x, v = w0 * a.uv.y + w1 * b.uv.y + w2 * c.uv.y;
        const float s = sample(atlas, u, v) * ((a.col >> IM_COL32_A_SHIFT) & 0xFF) / 255.0f;
        float& d = img[static_cast<std::size_t>(y) * kW + x];
        d = s + d * (1 - s);
      }
  }
  return img;
}

class TextCache : public testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    const char* ttf = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    font_ = std::filesystem::exists(ttf) ? io.Fonts->AddFontFromFileTTF(ttf, 16.0f) : io.Fonts->AddFontDefault();
    polarlab::widgets::text_cache_reserve(io.Fonts);
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // The same strings at the same positions, glyph by glyph (cached = false) or through the cache.
  std::vector<float> draw(bool cached) {
    ImDrawList dl(ImGui::GetDrawListSharedData());
    dl._ResetForNewFrame();
    dl.PushClipRect(ImVec2(0, 0), ImVec2(kW, kH));
    dl.PushTextureID(ImGui::GetIO().Fonts->TexID);
    const struct { float x, y, size; const char* s; } texts[] = {
        {3.3f, 2.7f, 16.0f, "attention scores s_i(t)"}, {5.0f, 24.0f, 16.0f, "10"}, {24.6f, 19.2f, 11.2f, "-4"},
        {60.2f, 30.5f, 16.0f, "Φ_ij γ ∫γ κ=3.5"}, {200.0f, 40.0f, 9.0f, "0.25"}};
    for (const auto& t : texts) {
      if (cached) add_text(&dl, font_, t.size, ImVec2(t.x, t.y), IM_COL32_WHITE, t.s);
      else dl.AddText(font_, t.size, ImVec2(t.x, t.y), IM_COL32_WHITE, t.s);
    }
    vertices_ = dl.VtxBuffer.Size;
    return rasterise(dl, ImGui::GetIO().Fonts);
  }
  ImFont* font_ = nullptr;
  int vertices_ = 0;
};

TEST_F(TextCache, DrawsTheSamePixelsAsGlyphByGlyphText) {
  const std::vector<float> glyphs = draw(false);
  const int glyph_vertices = vertices_;
  const std::vector<float> cached = draw(true);
  // One quad per string instead of one per glyph.
  EXPECT_EQ(vertices_, 4 * 5);
  EXPECT_GT(glyph_vertices, 4 * 30);
  EXPECT_EQ(polarlab::widgets::text_cache_size(), 5);
  float ink = 0, max_diff = 0;
  for (std::size_t i = 0; i < glyphs.size(); ++i) {
    ink += glyphs[i];
    max_diff = std::max(max_diff, std::abs(glyphs[i] - cached[i]));
  }
  EXPECT_GT(ink, 100.0f) << "the reference drew no text";
  // The cache stores 8-bit coverage: at most half a step of rounding, plus float noise.
  EXPECT_LE(max_diff, 0.6f / 255.0f + 1e-4f);
}

TEST_F(TextCache, RasterisesEachStringOnce) {
  draw(true);
  const int first = polarlab::widgets::text_cache_rasterised();
  draw(true);
  EXPECT_EQ(polarlab::widgets::text_cache_rasterised(), first);
}

}  // namespace
