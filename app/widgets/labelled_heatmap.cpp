#include "app/widgets/labelled_heatmap.hpp"

#include <algorithm>
#include <cmath>

#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::gui {

float label_width(const std::vector<std::string>& labels) {
  float w = 0;
  for (const auto& s : labels) w = std::max(w, ImGui::CalcTextSize(s.c_str()).x);
  return w;
}

HeatmapHover draw_labelled_heatmap(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const LabelledHeatmap& h, bool square,
                                   ImVec2* grid0, ImVec2* grid1) {
  HeatmapHover hover;
  if (h.rows <= 0 || h.cols <= 0) return hover;
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize();
  const float row_w = h.row_labels ? label_width(*h.row_labels) + fs * 0.3f : 0.0f;
  const float col_h = h.col_labels ? fs * 1.1f : 0.0f;
  float cw = std::max(1.0f, (p1.x - p0.x - row_w) / h.cols);
  float ch = std::max(1.0f, (p1.y - p0.y - col_h) / h.rows);
  if (square) cw = ch = std::min(cw, ch);
  const ImVec2 g0{p0.x + row_w, p0.y};
  const ImVec2 g1{g0.x + cw * h.cols, g0.y + ch * h.rows};
  if (grid0) *grid0 = g0;
  if (grid1) *grid1 = g1;
  widgets::draw_heatmap_cells(dl, g0, cw, ch, h.rows, h.cols, h.value, h.map, h.vmin, h.vmax);
  const ImU32 gold = IM_COL32(255, 215, 0, 255);
  const ImU32 dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // Labels: shrink to the cell (down to 60 % of the font), then show every k-th.
  auto draw_labels = [&](const std::vector<std::string>& labels, bool rows) {
    const float cell = rows ? ch : cw;
    const float widest = label_width(labels);
    const float need = rows ? fs : widest;
    const float size = std::clamp(fs * (cell - 2.0f) / std::max(need, 1.0f), fs * 0.75f, fs);
    const float scaled = rows ? size : widest * size / fs;
    const int every =
        h.thin_labels ? std::max(1, static_cast<int>(std::ceil((scaled + fs * 0.3f) / std::max(cell, 1.0f)))) : 1;
    const int n = rows ? h.rows : h.cols;
    for (int k = 0; k < n && k < static_cast<int>(labels.size()); k += every) {
      const std::string& s = labels[static_cast<std::size_t>(k)];
      const float w = ImGui::CalcTextSize(s.c_str()).x * size / fs;
      const bool hl = rows ? k == h.highlight_row : k == h.highlight_col;
      // Key labels stay under their own map: "m10" centred on the last column ran into the next map's "BOS".
      const ImVec2 at = rows ? ImVec2(g0.x - w - fs * 0.2f, g0.y + (k + 0.5f) * ch - size * 0.5f)
                             : ImVec2(std::clamp(g0.x + (k + 0.5f) * cw - w * 0.5f, g0.x, std::max(g0.x, g1.x - w)),
                                      g1.y + fs * 0.1f);
      widgets::add_text(dl, font, size, at, hl ? gold : dim, s.c_str());
    }
  };
  if (h.row_labels) draw_labels(*h.row_labels, true);
  if (h.col_labels) draw_labels(*h.col_labels, false);
  if (h.highlight_col >= 0 && h.highlight_col < h.cols)
    dl->AddRect(ImVec2(g0.x + h.highlight_col * cw, g0.y), ImVec2(g0.x + (h.highlight_col + 1) * cw, g1.y), gold, 0, 0,
                2.0f);
  if (h.highlight_row >= 0 && h.highlight_row < h.rows)
    dl->AddRect(ImVec2(g0.x, g0.y + h.highlight_row * ch), ImVec2(g1.x, g0.y + (h.highlight_row + 1) * ch), gold, 0, 0,
                2.0f);
  dl->AddRect(ImVec2(g0.x - 1, g0.y - 1), ImVec2(g1.x + 1, g1.y + 1), h.frame, 0, 0, h.frame_thickness);
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && m.x >= g0.x && m.x < g1.x && m.y >= g0.y && m.y < g1.y) {
    hover.col = std::clamp(static_cast<int>((m.x - g0.x) / cw), 0, h.cols - 1);
    hover.row = std::clamp(static_cast<int>((m.y - g0.y) / ch), 0, h.rows - 1);
    dl->AddRect(ImVec2(g0.x + hover.col * cw, g0.y + hover.row * ch),
                ImVec2(g0.x + (hover.col + 1) * cw, g0.y + (hover.row + 1) * ch), IM_COL32_WHITE);
  }
  return hover;
}

}  // namespace polarlab::gui
