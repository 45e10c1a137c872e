#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

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

}  // namespace polarlab::widgets
