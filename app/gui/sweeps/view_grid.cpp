// The sweep's grid as heatmaps, one per panel (positional type, or MLP × LayerNorm), rows = attention types, columns
// = heads (or layers,heads), as the report's figures: values written in the cells that have room, cells with runs
// but no successful one grey with a red ×, cells without runs dark with "–", one colorbar. Hover: value, runs,
// successes; a click selects the cell (its runs are listed below).
#include "app/gui/sweeps/state.hpp"

#ifdef HAVE_POLARLAB_SWEEP
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/gui/shell/app_state.hpp"
#include "app/widgets/labelled_heatmap.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/colormap.hpp"

namespace polarlab::gui {

namespace {
const ImU32 kEmptyCell = IM_COL32(24, 24, 28, 255);
const ImU32 kCross = IM_COL32(235, 60, 45, 255);
const ImU32 kGold = IM_COL32(255, 215, 0, 255);
}  // namespace

void view_sweeps_grid(AppState&, SweepsState& lab, float height) {
  const SweepGrid* g = lab.shown();
  if (!g) {
    ImGui::TextDisabled("no grid to show: no finished runs in this sweep yet");
    ImGui::Dummy(ImVec2(1, std::max(1.0f, height - ImGui::GetFrameHeightWithSpacing())));
    return;
  }
  const sweep::GridView& v = g->view;
  const float fs = ImGui::GetFontSize();
  const ImVec2 top = ImGui::GetCursorScreenPos();
  ImGui::TextUnformatted(v.title.c_str());
  const int P = static_cast<int>(v.panels.size()), R = static_cast<int>(v.rows.size()),
            C = static_cast<int>(v.cols.size());
  if (P == 0 || R == 0 || C == 0) {
    ImGui::TextDisabled("this view has no cells");
    return;
  }
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float W = ImGui::GetContentRegionAvail().x;
  const float H = height - (p0.y - top.y);
  const float row_lab = label_width(v.rows) + fs * 0.3f;
  const float title_h = fs * 1.3f, col_lab = fs * 1.1f, col_title = fs * 1.3f;
  const float gap = fs * 1.2f;
  const float bar_w = fs * 0.9f, bar_total = bar_w + fs * 4.0f;
  const float cw = std::clamp((W - bar_total - row_lab - (P - 1) * gap) / (P * C), 4.0f, fs * 7.0f);
  const float ch = std::clamp((H - title_h - col_lab - col_title) / R, 4.0f, fs * 3.2f);
  const float panel_w = C * cw;
  const float grid_w = row_lab + P * panel_w + (P - 1) * gap;
  const float x0 = p0.x + std::max(0.0f, (W - bar_total - grid_w) * 0.5f) + row_lab;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), dim = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  int hover_p = -1;
  HeatmapHover hover;
  for (int p = 0; p < P; ++p) {
    const float mx = x0 + p * (panel_w + gap);
    const float my = p0.y + title_h;
    const std::string& pt = v.panels[static_cast<std::size_t>(p)].title;
    dl->AddText(ImVec2(mx + std::max(0.0f, (panel_w - ImGui::CalcTextSize(pt.c_str()).x) * 0.5f), p0.y), text, pt.c_str());
    LabelledHeatmap hm;
    hm.rows = R;
    hm.cols = C;
    hm.value = [&, p](int r, int c) { return v.cell(p, r, c).value; };
    hm.vmin = 0.0;
    hm.vmax = 1.0;
    hm.row_labels = p == 0 ? &v.rows : nullptr;
    hm.col_labels = &v.cols;
    ImVec2 g0, g1;
    const HeatmapHover hv = draw_labelled_heatmap(dl, ImVec2(p == 0 ? mx - row_lab : mx, my),
                                                  ImVec2(mx + panel_w, my + R * ch + col_lab), hm, false, &g0, &g1);
    const float gcw = (g1.x - g0.x) / C, gch = (g1.y - g0.y) / R;
    // Marks over the colours: × (runs, none successful), – (no run), values where they fit.
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) {
        const sweep::GridCell& cell = v.cell(p, r, c);
        const ImVec2 c0{g0.x + c * gcw, g0.y + r * gch}, c1{c0.x + gcw, c0.y + gch};
        const ImVec2 mid{(c0.x + c1.x) * 0.5f, (c0.y + c1.y) * 0.5f};
        if (cell.runs == 0) {
          dl->AddRectFilled(ImVec2(c0.x + 0.5f, c0.y + 0.5f), ImVec2(c1.x - 0.5f, c1.y - 0.5f), kEmptyCell);
          const ImVec2 ts = ImGui::CalcTextSize("–");
          if (gcw > ts.x && gch > ts.y * 0.8f) dl->AddText(ImVec2(mid.x - ts.x * 0.5f, mid.y - ts.y * 0.5f), dim, "–");
        } else if (!std::isfinite(cell.value)) {
          const float a = std::min(gcw, gch) * 0.28f;
          const float th = std::max(1.5f, a * 0.25f);
          dl->AddLine(ImVec2(mid.x - a, mid.y - a), ImVec2(mid.x + a, mid.y + a), kCross, th);
          dl->AddLine(ImVec2(mid.x - a, mid.y + a), ImVec2(mid.x + a, mid.y - a), kCross, th);
        } else {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%.2f", cell.value);
          const ImVec2 ts = ImGui::CalcTextSize(buf);
          if (gcw > ts.x + 4 && gch > ts.y)
            dl->AddText(ImVec2(mid.x - ts.x * 0.5f, mid.y - ts.y * 0.5f),
                        cell.value > 0.6 ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 230), buf);
        }
      }
    if (lab.panel == p && lab.row >= 0 && lab.row < R && lab.col >= 0 && lab.col < C)
      dl->AddRect(ImVec2(g0.x + lab.col * gcw - 1, g0.y + lab.row * gch - 1),
                  ImVec2(g0.x + (lab.col + 1) * gcw + 1, g0.y + (lab.row + 1) * gch + 1), kGold, 0, 0, 2.5f);
    const ImVec2 ts = ImGui::CalcTextSize(v.col_title.c_str());
    dl->AddText(ImVec2(g0.x + (g1.x - g0.x - ts.x) * 0.5f, g1.y + col_lab), dim, v.col_title.c_str());
    if (hv.row >= 0) hover = hv, hover_p = p;
  }
  const float bottom = p0.y + title_h + R * ch;
  const ImVec2 b0{x0 + P * panel_w + (P - 1) * gap + fs * 1.0f, p0.y + title_h}, b1{b0.x + bar_w, bottom};
  draw_colorbar(dl, b0, b1, widgets::Colormap::viridis, 0.0, 1.0);
  ImGui::Dummy(ImVec2(W, std::max(1.0f, std::min(H, bottom + col_lab + col_title - p0.y))));
  if (hover_p >= 0) {
    const sweep::GridCell& cell = v.cell(hover_p, hover.row, hover.col);
    ImGui::BeginTooltip();
    ImGui::Text("%s", v.panels[static_cast<std::size_t>(hover_p)].title.c_str());
    ImGui::Text("%s, %s %s", v.rows[static_cast<std::size_t>(hover.row)].c_str(), v.col_title.c_str(),
                v.cols[static_cast<std::size_t>(hover.col)].c_str());
    if (std::isfinite(cell.value)) ImGui::Text("%s %s", v.value_label.c_str(), widgets::format_number(cell.value, 3).c_str());
    else if (cell.runs > 0) ImGui::TextColored(ImColor(kCross), "× no successful run (accuracy ≤ %.2f)", sweep::kSuccessAccuracy);
    else ImGui::TextDisabled("no finished run");
    ImGui::Text("%d runs, %d successful", cell.runs, cell.successes);
    ImGui::TextDisabled("click: list the runs");
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      lab.panel = hover_p, lab.row = hover.row, lab.col = hover.col;
      lab.run_id.clear();
    }
  }
}

}  // namespace polarlab::gui
#endif
