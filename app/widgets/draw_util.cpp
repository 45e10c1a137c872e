#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab::widgets {

namespace {
constexpr float kExponentScale = 0.72f;
}

float tick_label_width(const Tick& t, float fs) {
  ImFont* font = ImGui::GetFont();
  if (t.exponent.empty()) return font->CalcTextSizeA(fs, 1e9f, 0, t.label.c_str()).x;
  return font->CalcTextSizeA(fs, 1e9f, 0, t.mantissa.c_str()).x +
         font->CalcTextSizeA(fs * kExponentScale, 1e9f, 0, t.exponent.c_str()).x + 1.0f;
}

void draw_tick_label(ImDrawList* dl, const Tick& t, ImVec2 pos, float fs, ImU32 color) {
  ImFont* font = ImGui::GetFont();
  if (t.exponent.empty()) {
    add_text(dl, font, fs, pos, color, t.label.c_str());
    return;
  }
  add_text(dl, font, fs, pos, color, t.mantissa.c_str());
  const float w = font->CalcTextSizeA(fs, 1e9f, 0, t.mantissa.c_str()).x;
  add_text(dl, font, fs * kExponentScale, ImVec2(pos.x + w + 1.0f, pos.y - fs * 0.3f), color, t.exponent.c_str());
}

namespace {
ImTextureID g_smooth_line_texture = nullptr;
}  // namespace

void set_smooth_line_texture(ImTextureID linear_atlas) { g_smooth_line_texture = linear_atlas; }

ImFontConfig pixel_exact_font_config() {
  ImFontConfig c;
  c.OversampleH = c.OversampleV = 1;
  c.PixelSnapH = true;
  return c;
}

SmoothLines::SmoothLines(ImDrawList* dl) : dl_(dl), flags_(dl->Flags) {
  if (!g_smooth_line_texture) return;
  dl_->PushTextureID(g_smooth_line_texture);
  dl_->Flags |= ImDrawListFlags_AntiAliasedLinesUseTex;
  pushed_ = true;
}

SmoothLines::~SmoothLines() {
  if (!pushed_) return;
  dl_->Flags = flags_;
  dl_->PopTextureID();
}

// AddLine strokes through pixel centres (coordinate + 0.5), so a line at c lies on pixel round(c).
void add_hline(ImDrawList* dl, float x0, float x1, float y, ImU32 color) {
  const float top = std::round(y);
  dl->AddRectFilled(ImVec2(std::round(std::min(x0, x1)), top), ImVec2(std::round(std::max(x0, x1)), top + 1), color);
}

void add_vline(ImDrawList* dl, float x, float y0, float y1, ImU32 color) {
  const float left = std::round(x);
  dl->AddRectFilled(ImVec2(left, std::round(std::min(y0, y1))), ImVec2(left + 1, std::round(std::max(y0, y1))), color);
}

void add_frame(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 color) {
  const float x0 = std::round(a.x), y0 = std::round(a.y), x1 = std::round(b.x), y1 = std::round(b.y);
  if (x1 - x0 <= 2 || y1 - y0 <= 2) {
    dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), color);
    return;
  }
  dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y0 + 1), color);
  dl->AddRectFilled(ImVec2(x0, y1 - 1), ImVec2(x1, y1), color);
  dl->AddRectFilled(ImVec2(x0, y0 + 1), ImVec2(x0 + 1, y1 - 1), color);
  dl->AddRectFilled(ImVec2(x1 - 1, y0 + 1), ImVec2(x1, y1 - 1), color);
}

void draw_dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 color, float thickness, float dash) {
  // Walk the polyline and draw every other dash-length piece.
  float phase = 0.0f;
  bool on = true;
  for (int i = 1; i < n; ++i) {
    ImVec2 a = pts[i - 1];
    const ImVec2 b = pts[i];
    float len = std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y));
    if (len <= 0) continue;
    const ImVec2 dir{(b.x - a.x) / len, (b.y - a.y) / len};
    while (len > 0) {
      const float take = std::min(len, dash - phase);
      const ImVec2 c{a.x + dir.x * take, a.y + dir.y * take};
      if (on) dl->AddLine(a, c, color, thickness);
      a = c;
      len -= take;
      phase += take;
      if (phase >= dash) { phase = 0; on = !on; }
    }
  }
}

std::string fit_text(const char* text, float width) {
  std::string s = text ? text : "";
  if (ImGui::CalcTextSize(s.c_str()).x <= width) return s;
  while (!s.empty() && ImGui::CalcTextSize((s + "…").c_str()).x > width) {
    // Drop one UTF-8 character: its continuation bytes, then its first byte.
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
  }
  return s + "…";
}

}  // namespace polarlab::widgets

