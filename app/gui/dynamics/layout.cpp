// The window's layout for one frame: the tab bar, the side panel and the panels in a grid that adapts to the
// window. Projectors run 1024x768 and 1280x720: panels keep a legible minimum size, rows that do not fit
// scroll, and fewer panels go in a row on a narrow window.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <vector>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::gui {

namespace {

std::vector<Panel> visible_panels(const AppState& app) {
  const History& h = app.runs.front().history;
  const bool sink = h.info && h.info->config.model == ModelKind::sink;
  std::vector<Panel> out;
  if (app.lecture) {
    // A lecture scene's panels, else the four that tell the preset's story: the preset file's "gui.lecture_panels".
    if (const lecture::Scene* sc = app.deck.scene(); sc && !sc->panels.empty()) {
      for (const std::string& key : sc->panels)
        if (const Panel p = panel_from_key(key); p != Panel::count && (p != Panel::attention || sink)) out.push_back(p);
      if (!out.empty()) return out;
    }
    if (const PresetInfo* info = find_preset(app, app.preset))
      for (const std::string& key : info->lecture_panels)
        if (const Panel p = panel_from_key(key); p != Panel::count && (p != Panel::attention || sink)) out.push_back(p);
    if (!out.empty()) return out;
    if (sink) return {Panel::attention, Panel::scores, Panel::projections, Panel::bound};
    return {Panel::scores, Panel::projections, Panel::bound, Panel::potentials};
  }
  for (int i = 0; i < kPanelCount; ++i) {
    const auto p = static_cast<Panel>(i);
    if (p == Panel::attention && !sink) continue;
    if (app.show[static_cast<std::size_t>(i)]) out.push_back(p);
  }
  return out;
}

// Smallest legible panel: a plot with its ticks, title and a few legend rows.
ImVec2 min_panel_size(const AppState& app, bool lecture) {
  // Lecture fonts are 1.7x larger; its four panels must fit a 1280x720 projector without scrolling.
  const float s = app.dpi_scale;
  return lecture ? ImVec2(360.0f * s, 240.0f * s) : ImVec2(300.0f * s, 220.0f * s);
}

void draw_panels(AppState& app, bool lecture) {
  const auto panels = visible_panels(app);
  // The status bar has a fixed height (a failure message scrolls inside it), so nothing above it moves when
  // the run's state changes.
  const float status_h = ImGui::GetFrameHeightWithSpacing() * (lecture ? 1.3f : 3.2f);
  // The timeline (replay, pace, Record) has its two fixed lines above the status bar; lecture mode hides it.
  const float timeline_h = lecture ? 0.0f : ImGui::GetFrameHeightWithSpacing() * 2.0f;
  ImGui::BeginChild("panels", ImVec2(0, -(status_h + timeline_h)), false, ImGuiWindowFlags_NoScrollWithMouse);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 min_size = min_panel_size(app, lecture);
  const int n = static_cast<int>(panels.size());
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const int preferred = n <= 2 ? std::max(n, 1) : (n <= 4 ? 2 : 3);
  const int fit = std::max(1, static_cast<int>((avail.x + sp) / (min_size.x + sp)));
  const int cols = std::clamp(std::min(preferred, fit), 1, std::max(n, 1));
  const int rows = std::max(1, (n + cols - 1) / cols);
  float ch = (avail.y - sp * (rows - 1)) / rows;
  if (ch < min_size.y) {
    // Rows that do not fit scroll (wheel over the scroll bar, or drag it): keep the rest legible.
    ch = min_size.y;
  }
  const bool scrolls = rows * ch + (rows - 1) * sp > avail.y + 0.5f;
  const float cw = (avail.x - (scrolls ? ImGui::GetStyle().ScrollbarSize : 0.0f) - sp * (cols - 1)) / cols;
  // A lecture gives a row holding a heatmap (Φ, attention) more height than a row of plots, so that the map is
  // large enough to read from the back (≥ 200 px at 1280x720), as long as every row keeps its minimum height.
  std::vector<float> row_h(static_cast<std::size_t>(rows), ch), row_y(static_cast<std::size_t>(rows), 0.0f);
  if (lecture && rows > 1 && !scrolls) {
    std::vector<float> weight(static_cast<std::size_t>(rows), 1.0f);
    for (int k = 0; k < n; ++k)
      if (panels[static_cast<std::size_t>(k)] == Panel::potentials || panels[static_cast<std::size_t>(k)] == Panel::attention)
        weight[static_cast<std::size_t>(k / cols)] = 1.3f;
    float total = 0.0f;
    for (float w : weight) total += w;
    const float room = avail.y - sp * (rows - 1);
    bool ok = true;
    for (int r = 0; r < rows; ++r) ok = ok && room * weight[static_cast<std::size_t>(r)] / total >= min_size.y;
    if (ok)
      for (int r = 0; r < rows; ++r) row_h[static_cast<std::size_t>(r)] = std::floor(room * weight[static_cast<std::size_t>(r)] / total);
  }
  for (int r = 1; r < rows; ++r)
    row_y[static_cast<std::size_t>(r)] = row_y[static_cast<std::size_t>(r - 1)] + row_h[static_cast<std::size_t>(r - 1)] + sp;
  const ImVec2 origin = ImGui::GetCursorPos();
  for (int k = 0; k < n; ++k) {
    const int r = k / cols, c = k % cols;
    // The last panel takes the row's empty slots (the potentials panel holds a heatmap and a plot).
    const int span = k == n - 1 ? cols - c : 1;
    const float w = cw * span + sp * (span - 1);
    ImGui::SetCursorPos(ImVec2(origin.x + c * (cw + sp), origin.y + row_y[static_cast<std::size_t>(r)]));
    ImGui::PushID(k);
    // The potentials panel may scroll (its heatmap keeps a minimum size); the wheel zooms the plots.
    const bool may_scroll = panels[static_cast<std::size_t>(k)] == Panel::potentials;
    ImGui::BeginChild(panel_name(panels[static_cast<std::size_t>(k)]), ImVec2(w, row_h[static_cast<std::size_t>(r)]), true,
                      ImGuiWindowFlags_NoScrollWithMouse | (may_scroll ? 0 : ImGuiWindowFlags_NoScrollbar));
    draw_panel(app, panels[static_cast<std::size_t>(k)]);
    panel_export_menu(app, panels[static_cast<std::size_t>(k)]);
    ImGui::EndChild();
    ImGui::PopID();
  }
  ImGui::EndChild();
  if (!lecture) {
    ImGui::BeginChild("timeline", ImVec2(0, timeline_h), false, ImGuiWindowFlags_NoScrollWithMouse);
    view_timeline(app);
    ImGui::EndChild();
  }
  ImGui::BeginChild("status", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollWithMouse);
  view_status(app);
  ImGui::EndChild();
}

}  // namespace

void draw_dynamics(AppState& app, bool lecture) {
  if (lecture) {
    ImGui::PushFont(app.font_large);
    view_caption(app);
  } else {
    // The side panel never takes more than 40 % of a narrow window.
    const float side = std::min(app.side_width * app.dpi_scale, ImGui::GetContentRegionAvail().x * 0.4f);
    // The scroll bar is always there: one appearing when a preset adds a row narrowed every control under the pointer.
    ImGui::BeginChild("controls", ImVec2(side, 0), true, ImGuiWindowFlags_AlwaysVerticalScrollbar);
    view_controls(app);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("plots", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  draw_panels(app, lecture);
  ImGui::EndChild();
  if (lecture) ImGui::PopFont();
}

void draw_frame(AppState& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  // No window background: glClear paints the same colour, and llvmpipe (Xvfb) is fill-rate bound,
  // so every full-screen blended layer costs frames.
  ImGui::Begin("##main", nullptr,
               fixed | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  if (app.blank) {
    // A clicker's "blank screen": black until B, period or Esc.
    ImGui::GetBackgroundDrawList()->AddRectFilled(vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y),
                                                  IM_COL32(0, 0, 0, 255));
    draw_key_confirmation(app);  // a moment's "blank: B shows the lecture again", then black
    ImGui::End();
    ImGui::PopStyleVar();
    return;
  }
  // A lecture script's problem (file:line, key, allowed values) stays on top until Esc.
  if (!app.deck.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 120, 110, 255));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(("lecture script: " + app.deck.error + "   (Esc hides this)").c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  // Lecture mode may be switched by a widget drawn below (the Panels section): this frame keeps the value it
  // started with, so the font pushed in draw_dynamics is the font it pops.
  const bool lecture = app.lecture;
  widgets::Plot::set_legend_outside(lecture);  // a lecture's legends never cover the data
  // Workspaces (workspace.hpp): a tab bar across the top; lecture mode is the dynamics view alone, or a lecture
  // scene's workspace (the tiny transformer) under the scene's caption.
  const lecture::Scene* scene = app.deck.scene();
  if (lecture && scene && scene->workspace != "dynamics") {
    ImGui::PushFont(app.font_large);
    view_caption(app);
    ImGui::PopFont();
    draw_workspace(app, app.workspaces.current);
  } else if (lecture) {
    draw_dynamics(app, true);
  } else {
    draw_workspace(app, workspace_tabs(app));
  }
  if (lecture) draw_key_confirmation(app);  // pace, parameter: the key was taken
  if (lecture && scene) {
    // The scene number, small in the corner: the speaker's bearings, not the audience's.
    char num[32];
    std::snprintf(num, sizeof num, "%d / %zu", app.deck.current + 1, app.deck.scenes.size());
    const float px = std::max(app.font->FontSize, app.lecture_min_text_px());
    const ImVec2 ts = app.font->CalcTextSizeA(px, FLT_MAX, 0.0f, num);
    const float pad = 6.0f * app.dpi_scale;
    widgets::add_live_text(ImGui::GetForegroundDrawList(), app.font, px,
                           ImVec2(std::floor(vp->Pos.x + vp->Size.x - ts.x - pad), std::floor(vp->Pos.y + vp->Size.y - ts.y - pad)),
                           IM_COL32(150, 150, 150, 255), num);
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

}  // namespace polarlab::gui
