// The premises of drawing for software OpenGL (app/gui/shell/font_textures.hpp, app/widgets/draw_util.hpp),
// checked with the reference rasteriser: fonts baked pixel-exact draw the same pixels with GL_NEAREST as with
// GL_LINEAR, and the rectangle lines cover the pixels ImGui's lines are centred on.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "app/widgets/draw_util.hpp"
#include "tests/gui/reference_raster.hpp"

namespace {

using polarlab::testing_raster::Filter;
using polarlab::testing_raster::max_abs_diff;
using polarlab::testing_raster::rasterise;
namespace w = polarlab::widgets;

constexpr int kW = 200, kH = 60;
constexpr const char* kTtf = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

class DrawUtil : public testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    if (std::filesystem::exists(kTtf)) {
      ImFontConfig exact = w::pixel_exact_font_config();
      exact_ = io.Fonts->AddFontFromFileTTF(kTtf, 16.0f, &exact);
      oversampled_ = io.Fonts->AddFontFromFileTTF(kTtf, 16.0f);  // ImGui's default: 3× horizontal oversampling
    }
    unsigned char* px = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &tw, &th);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
    // What ImGui::NewFrame would hand the draw lists: where the atlas keeps its white pixel.
    ImGui::GetDrawListSharedData()->TexUvWhitePixel = io.Fonts->TexUvWhitePixel;
    dl_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  }
  void TearDown() override {
    dl_.reset();
    ImGui::DestroyContext();
  }
  ImDrawList& fresh(ImDrawListFlags flags = 0) {
    dl_->_ResetForNewFrame();
    dl_->Flags = flags;
    dl_->PushClipRect(ImVec2(0, 0), ImVec2(kW, kH));
    dl_->PushTextureID(ImGui::GetIO().Fonts->TexID);
    return *dl_;
  }
  std::vector<float> text(ImFont* font, Filter filter) {
    ImDrawList& dl = fresh();
    // Fractional positions on purpose: ImGui floors the start, the font's advances keep glyphs on pixels.
    dl.AddText(font, 16.0f, ImVec2(3.4f, 2.7f), IM_COL32_WHITE, "attention scores s_i(t)");
    dl.AddText(font, 16.0f, ImVec2(10.0f, 30.2f), IM_COL32_WHITE, "Φ_ij γ ∫γ κ=3.5 10⁻⁴");
    return rasterise(dl, ImGui::GetIO().Fonts, kW, kH, filter);
  }
  float ink(const std::vector<float>& img) {
    float s = 0;
    for (float v : img) s += v;
    return s;
  }
  ImFont* exact_ = nullptr;
  ImFont* oversampled_ = nullptr;
  std::unique_ptr<ImDrawList> dl_;
};

TEST_F(DrawUtil, PixelExactFontsLookTheSameSampledNearest) {
  if (!exact_) GTEST_SKIP() << kTtf << " is not installed";
  const std::vector<float> linear = text(exact_, Filter::linear), nearest = text(exact_, Filter::nearest);
  EXPECT_GT(ink(linear), 200.0f) << "the reference drew no text";
  EXPECT_LE(max_abs_diff(linear, nearest), 1e-4f);
  // The premise matters: ImGui's default oversampled glyphs change when sampled nearest.
  EXPECT_GT(max_abs_diff(text(oversampled_, Filter::linear), text(oversampled_, Filter::nearest)), 0.1f);
}

// The row (or column) of pixels an AddLine is centred on: where its coverage peaks.
int peak_row(const std::vector<float>& img, int x) {
  int best = 0;
  for (int y = 1; y < kH; ++y)
    if (img[static_cast<std::size_t>(y) * kW + x] > img[static_cast<std::size_t>(best) * kW + x]) best = y;
  return best;
}

TEST_F(DrawUtil, HorizontalLineFillsTheRowAddLineIsCentredOn) {
  for (float y : {10.0f, 10.3f, 10.45f, 10.55f, 10.8f, 23.6f}) {  // (at .5 two rows tie)
    ImDrawList& a = fresh(ImDrawListFlags_AntiAliasedLines);
    a.AddLine(ImVec2(20.0f, y), ImVec2(150.0f, y), IM_COL32_WHITE);
    const std::vector<float> line = rasterise(a, ImGui::GetIO().Fonts, kW, kH);
    ImDrawList& b = fresh();
    w::add_hline(&b, 20.0f, 150.0f, y, IM_COL32_WHITE);
    const std::vector<float> rect = rasterise(b, ImGui::GetIO().Fonts, kW, kH);
    const int row = peak_row(line, 80);
    for (int x = 0; x < kW; ++x)
      for (int r = 0; r < kH; ++r) {
        const float want = (r == row && x >= 20 && x < 150) ? 1.0f : 0.0f;
        ASSERT_NEAR(rect[static_cast<std::size_t>(r) * kW + x], want, 1e-5f) << "y = " << y << ", pixel " << x << "," << r;
      }
  }
}

TEST_F(DrawUtil, VerticalLineAndFrameMatchImGuisOutline) {
  // Without anti-aliasing ImGui's AddRect is exactly the outermost ring of pixels: add_frame must be too.
  ImDrawList& a = fresh();
  a.AddRect(ImVec2(30.0f, 5.0f), ImVec2(120.0f, 50.0f), IM_COL32_WHITE);
  const std::vector<float> ref = rasterise(a, ImGui::GetIO().Fonts, kW, kH);
  ImDrawList& b = fresh();
  w::add_frame(&b, ImVec2(30.0f, 5.0f), ImVec2(120.0f, 50.0f), IM_COL32_WHITE);
  EXPECT_LE(max_abs_diff(ref, rasterise(b, ImGui::GetIO().Fonts, kW, kH)), 1e-5f);
  EXPECT_NEAR(ink(ref), 2 * 90 + 2 * 43, 1e-3f);
  // A vertical line at x = 64.2 is column 64, from row 5 to row 49.
  ImDrawList& c = fresh();
  w::add_vline(&c, 64.2f, 5.0f, 50.0f, IM_COL32_WHITE);
  const std::vector<float> col = rasterise(c, ImGui::GetIO().Fonts, kW, kH);
  float sum = 0;
  for (int y = 0; y < kH; ++y) sum += col[static_cast<std::size_t>(y) * kW + 64];
  EXPECT_NEAR(sum, 45.0f, 1e-3f);
  EXPECT_NEAR(ink(col), 45.0f, 1e-3f);
}

}  // namespace
