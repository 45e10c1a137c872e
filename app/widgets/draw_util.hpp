// Drawing helpers shared by the plot and heatmap widgets.
#pragma once
#include <imgui.h>

#include <string>

#include "app/widgets/axis.hpp"

namespace polarlab::widgets {

// Log labels are drawn as "10" with a raised, smaller exponent; plain labels as text.
float tick_label_width(const Tick& t, float font_size);
void draw_tick_label(ImDrawList* dl, const Tick& t, ImVec2 pos, float font_size, ImU32 color);
// One-pixel axis-aligned lines as filled rectangles on the pixel grid: the pixels ImGui's AddLine is centred
// on, without its anti-aliased fringe. llvmpipe (Xvfb) shades every 4×4 block a thin quad touches, so a
// fringed line three rows tall costs several times a one-row rectangle (README, Benchmarks).
void add_hline(ImDrawList* dl, float x0, float x1, float y, ImU32 color);
void add_vline(ImDrawList* dl, float x, float y0, float y1, ImU32 color);
// The outermost ring of pixels of [a, b], like ImDrawList::AddRect with thickness 1 and no rounding.
void add_frame(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color);

// The font atlas is sampled GL_NEAREST (app/gui/shell/font_textures.hpp), which is exact for glyphs and fills on
// whole pixels but not for ImGui's textured anti-aliased lines at an angle. Series lines are drawn inside a
// SmoothLines scope: the GL_LINEAR twin of the atlas, with ImGui's textured-line path switched on. Without a
// twin (no GL) the scope does nothing.
void set_smooth_line_texture(ImTextureID linear_atlas);
// Fonts baked this way put every glyph on whole pixels with texels 1:1 (no oversampling, whole-pixel
// advances), so sampling the atlas GL_NEAREST draws the same pixels as GL_LINEAR (tests/gui).
ImFontConfig pixel_exact_font_config();
class SmoothLines {
 public:
  explicit SmoothLines(ImDrawList* dl);
  ~SmoothLines();
  SmoothLines(const SmoothLines&) = delete;
  SmoothLines& operator=(const SmoothLines&) = delete;

 private:
  ImDrawList* dl_;
  ImDrawListFlags flags_;
  bool pushed_ = false;
};

void draw_dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 color, float thickness, float dash);

// `text` as drawn in at most `width` pixels with the current font: cut at a character with "…" when too long
// (a title in a small panel, instead of running into the next one).
std::string fit_text(const char* text, float width);

}  // namespace polarlab::widgets
