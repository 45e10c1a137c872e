#include "app/widgets/heatmap.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/widgets/axis.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::widgets {

namespace {
std::vector<Tick> colorbar_ticks(double vmin, double vmax, float height) {
  const double span = vmax > vmin ? vmax - vmin : 1.0;
  const int nt = std::clamp(static_cast<int>(height / (ImGui::GetFontSize() * 2.0f)), 2, 6);
  return linear_ticks(vmin, vmin + span, nt);
}
}  // namespace

namespace {
std::vector<DrawnHeatmap> g_drawn_heatmaps;
int g_drawn_heatmaps_frame = -1;
}  // namespace

const std::vector<DrawnHeatmap>& drawn_heatmaps() {
  if (g_drawn_heatmaps_frame != ImGui::GetFrameCount()) g_drawn_heatmaps.clear();  // none drawn this frame
  return g_drawn_heatmaps;
}

void note_heatmap_title(const std::string& title) {
  if (recording_drawn_text() && g_drawn_heatmaps_frame == ImGui::GetFrameCount() && !g_drawn_heatmaps.empty())
    g_drawn_heatmaps.back().title = title;
}

void draw_heatmap_cells(ImDrawList* dl, ImVec2 g0, float cw, float ch, int rows, int cols,
                        const std::function<double(int, int)>& value, Colormap map, double vmin, double vmax) {
  if (recording_drawn_text()) {  // tests only: no string per heatmap per frame otherwise
    if (g_drawn_heatmaps_frame != ImGui::GetFrameCount())
      g_drawn_heatmaps_frame = ImGui::GetFrameCount(), g_drawn_heatmaps.clear();
    g_drawn_heatmaps.push_back({"", g0, ImVec2(g0.x + cw * cols, g0.y + ch * rows)});
  }
  const double span = vmax > vmin ? vmax - vmin : 1.0;
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) {
      const ImVec2 c0{g0.x + j * cw, g0.y + i * ch}, c1{c0.x + cw, c0.y + ch};
      const double v = value(i, j);
      const bool masked = std::isnan(v);
      dl->AddRectFilled(c0, c1, pack(colormap(map, masked ? v : (v - vmin) / span)));
      // Hatch masked cells so they read as "not a value", distinct from a dark value.
      if (masked && cw >= 6) dl->AddLine(ImVec2(c0.x, c1.y), ImVec2(c1.x, c0.y), IM_COL32(40, 40, 44, 255), 1.0f);
    }
}

void draw_colorbar(ImDrawList* dl, ImVec2 b0, ImVec2 b1, Colormap map, double vmin, double vmax) {
  const float fs = ImGui::GetFontSize();
  const int slices = std::max(2, static_cast<int>(b1.y - b0.y) / 2);
  for (int k = 0; k < slices; ++k) {
    const float y0 = b1.y - (b1.y - b0.y) * (k + 1) / slices, y1 = b1.y - (b1.y - b0.y) * k / slices;
    dl->AddRectFilled(ImVec2(b0.x, y0), ImVec2(b1.x, y1 + 0.5f), pack(colormap(map, (k + 0.5) / slices)));
  }
  add_frame(dl, b0, b1, IM_COL32(255, 255, 255, 60));
  const double span = vmax > vmin ? vmax - vmin : 1.0;
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text), dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (const Tick& t : colorbar_ticks(vmin, vmax, b1.y - b0.y)) {
    const float y = b1.y - static_cast<float>((t.value - vmin) / span) * (b1.y - b0.y);
    add_hline(dl, b1.x, b1.x + fs * 0.3f, y, dim_col);
    add_text(dl, ImVec2(b1.x + fs * 0.4f, y - fs * 0.5f), text_col, t.label.c_str());
  }
}

float colorbar_label_width(double vmin, double vmax, float height) {
  float w = 0;
  for (const Tick& t : colorbar_ticks(vmin, vmax, height)) w = std::max(w, ImGui::CalcTextSize(t.label.c_str()).x);
  return w + ImGui::GetFontSize() * 0.4f;
}

HeatmapClick heatmap(const char* id, int rows, int cols, const std::function<double(int, int)>& value,
                     const HeatmapOptions& opt) {
  HeatmapClick click;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float fs = ImGui::GetFontSize();
  ImVec2 size = opt.size;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = std::max(avail.x, 50.0f);
  if (size.y <= 0) size.y = std::max(avail.y, 50.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::PushID(id);
  ImGui::InvisibleButton("##heat", size);
  const bool hovered = ImGui::IsItemHovered();
  const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
  ImGui::PopID();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  add_text(dl, p0, text_col, fit_text(opt.title, size.x).c_str());
  if (rows <= 0 || cols <= 0) return click;

  // Square cells when they fit; index labels left and on top; the colorbar on the right.
  const float label_w = ImGui::CalcTextSize("000").x + fs * 0.3f;
  double lo = opt.vmin, hi = opt.vmax;
  if (!(hi > lo)) hi = lo + 1.0;
  const float bar_w = fs * 0.9f;
  const float top = fs * 1.4f + fs * 1.1f;
  const float avail_h = size.y - top - fs * 0.3f;
  const float bar_lab_w = colorbar_label_width(lo, hi, avail_h) + fs * 0.1f;
  const float avail_w = size.x - label_w - bar_w - bar_lab_w - fs * 1.2f;
  const float cell = std::max(1.0f, std::min(avail_w / cols, avail_h / rows));
  const ImVec2 g0{p0.x + label_w, p0.y + top};
  const ImVec2 g1{g0.x + cell * cols, g0.y + cell * rows};

  const int label_every = std::max(1, static_cast<int>(std::ceil(fs * 1.4f / cell)));
  draw_heatmap_cells(dl, g0, cell, cell, rows, cols,
                     [&](int i, int j) { return opt.masked && opt.masked(i, j) ? std::nan("") : value(i, j); }, opt.map,
                     lo, hi);
  note_heatmap_title(opt.title);
  if (opt.selected)
    for (int i = 0; i < rows; ++i)
      for (int j = 0; j < cols; ++j)
        if (opt.selected(i, j)) {
          const ImVec2 c0{g0.x + j * cell, g0.y + i * cell}, c1{c0.x + cell, c0.y + cell};
          dl->AddRect(ImVec2(c0.x + 1, c0.y + 1), ImVec2(c1.x - 1, c1.y - 1), IM_COL32(255, 255, 255, 255), 0, 0, 2.0f);
        }
  for (int i = 0; i < rows; i += label_every) {
    const std::string s = std::to_string(i);
    const float w = ImGui::CalcTextSize(s.c_str()).x;
    add_text(dl, ImVec2(g0.x - w - fs * 0.25f, g0.y + i * cell + cell * 0.5f - fs * 0.5f),
                i == opt.highlight_row ? IM_COL32(255, 215, 0, 255) : dim_col, s.c_str());
  }
  for (int j = 0; j < cols; j += label_every) {
    const std::string s = std::to_string(j);
    const float w = ImGui::CalcTextSize(s.c_str()).x;
    add_text(dl, ImVec2(g0.x + j * cell + cell * 0.5f - w * 0.5f, g0.y - fs * 1.1f),
                j == opt.highlight_col ? IM_COL32(255, 215, 0, 255) : dim_col, s.c_str());
  }
  const ImU32 gold = IM_COL32(255, 215, 0, 255);
  if (opt.highlight_col >= 0 && opt.highlight_col < cols)
    dl->AddRect(ImVec2(g0.x + opt.highlight_col * cell, g0.y), ImVec2(g0.x + (opt.highlight_col + 1) * cell, g1.y),
                gold, 0, 0, 2.0f);
  if (opt.highlight_row >= 0 && opt.highlight_row < rows)
    dl->AddRect(ImVec2(g0.x, g0.y + opt.highlight_row * cell), ImVec2(g1.x, g0.y + (opt.highlight_row + 1) * cell),
                gold, 0, 0, 2.0f);
  add_frame(dl, g0, g1, IM_COL32(255, 255, 255, 60));

  // Colour bar: the one shared with the workspaces' heatmaps.
  draw_colorbar(dl, ImVec2(g1.x + fs * 0.8f, g0.y), ImVec2(g1.x + fs * 0.8f + bar_w, g1.y), opt.map, lo, hi);

  // Hover readout and click-to-select.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (hovered && mouse.x >= g0.x && mouse.x < g1.x && mouse.y >= g0.y && mouse.y < g1.y) {
    const int j = std::clamp(static_cast<int>((mouse.x - g0.x) / cell), 0, cols - 1);
    const int i = std::clamp(static_cast<int>((mouse.y - g0.y) / cell), 0, rows - 1);
    dl->AddRect(ImVec2(g0.x + j * cell, g0.y + i * cell), ImVec2(g0.x + (j + 1) * cell, g0.y + (i + 1) * cell),
                IM_COL32_WHITE);
    ImGui::BeginTooltip();
    if (opt.masked && opt.masked(i, j)) ImGui::Text("%s = %d, %s = %d: masked", opt.row_name, i, opt.col_name, j);
    else
      ImGui::Text("%s = %d, %s = %d\n%s = %s", opt.row_name, i, opt.col_name, j, opt.value_name,
                  format_number(value(i, j), 6).c_str());
    ImGui::EndTooltip();
    if (clicked) click = HeatmapClick{i, j};
  }
  return click;
}

}  // namespace polarlab::widgets
