// The plot text cache must draw the same pixels as ImGui's glyph-by-glyph AddText. Both draw lists are
// rasterised by the reference rasteriser (reference_raster.hpp, GL_LINEAR sampling), independent of the
// cache's own per-glyph loop, and compared.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "app/widgets/text_cache.hpp"
#include "tests/gui/reference_raster.hpp"

namespace {

using polarlab::widgets::add_text;
using polarlab::testing_raster::rasterise;

constexpr int kW = 320, kH = 64;

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
    return rasterise(dl, ImGui::GetIO().Fonts, kW, kH);
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
