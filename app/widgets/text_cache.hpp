// Cached text for the plot widgets: each distinct (font, size, string) is rasterised once on the CPU, from
// ImGui's own glyph quads and atlas, into a region reserved in the font atlas, and then drawn as one quad
// instead of one quad per glyph. Same pixels, a fraction of the triangles: software OpenGL (llvmpipe, as
// under Xvfb) pays per triangle and per 4×4 pixel block, and glyph quads were half of a frame's GL time.
// Only stable strings (tick labels, titles, legends) should go through it; text that changes every frame
// would churn the cache and is drawn with ImDrawList::AddText as before.
// No GL here: the frame loop uploads what text_cache_take_upload() reports.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace polarlab::widgets {

// Call once before the font atlas is built (after adding the fonts); it forgets any earlier atlas.
// Without it, add_text is AddText.
void text_cache_reserve(ImFontAtlas* atlas);

// Call once per frame before drawing: a cache that filled up last frame starts over here, never mid-frame
// (quads already emitted this frame point into it).
void text_cache_new_frame();

// Rows of the atlas (ImFontAtlas::TexPixelsRGBA32) written since the last call, to upload to the font texture.
struct TextCacheUpload {
  int x = 0, y = 0, w = 0, h = 0;
};
bool text_cache_take_upload(TextCacheUpload* out);

// As ImDrawList::AddText(font, size, pos, col, text), through the cache when it is ready.
void add_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text);
// With the current font and size.
void add_text(ImDrawList* dl, ImVec2 pos, ImU32 col, const char* text);

// As add_text, for text that changes every frame (never cached: it would churn the cache).
void add_live_text(ImDrawList* dl, ImFont* font, float size, ImVec2 pos, ImU32 col, const char* text);

// Tests of legibility: with recording on, every string add_text / add_live_text drew in the current frame (since
// text_cache_new_frame), with its box and its size in pixels. Strings wholly outside the clip rectangle are skipped.
struct DrawnText {
  std::string text;
  ImVec2 min, max;
  float size = 0.0f;
};
void record_drawn_text(bool on);
bool recording_drawn_text();  // the heatmap widgets record their grids under the same switch
const std::vector<DrawnText>& drawn_texts();

// Strings the cache holds, and strings it rasterised since start-up (tests, the benchmark).
int text_cache_size();
int text_cache_rasterised();

}  // namespace polarlab::widgets
