// The selected cell's runs: one table row per run (id, status, accuracy, layer-2 sink scores or flip rate, the
// parameters that vary within the cell), finished runs first; failed runs in red with their error on hover. A click
// on a row opens that run on the right.
#include "app/gui/sweeps/state.hpp"

#ifdef HAVE_POLARLAB_SWEEP
#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

namespace {
const ImU32 kRed = IM_COL32(255, 110, 110, 255);
const ImU32 kAmber = IM_COL32(240, 200, 90, 255);

// "0.93 0.12 0.88" from the sink_layer2 JSON list.
std::string sink_text(const sweep::RunRow& r) {
  const auto j = nlohmann::json::parse(r.str("sink_layer2"), nullptr, false);
  if (!j.is_array()) return "–";
  std::string s;
  for (const auto& v : j) {
    char buf[16] = "nan";
    if (v.is_number()) std::snprintf(buf, sizeof buf, "%.2f", v.get<double>());
    s += (s.empty() ? "" : " ") + std::string(buf);
  }
  return s.empty() ? "–" : s;
}

// When every head's score does not fit the column (8 heads and more): how many are sinks, and the largest.
std::string sink_summary(const sweep::RunRow& r) {
  const auto j = nlohmann::json::parse(r.str("sink_layer2"), nullptr, false);
  if (!j.is_array() || j.empty()) return "–";
  int sinks = 0;
  double top = -1.0;
  for (const auto& v : j)
    if (v.is_number()) sinks += v.get<double>() > sweep::kSinkThreshold, top = std::max(top, v.get<double>());
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d/%zu sinks, max %.2f", sinks, j.size(), top);
  return buf;
}
}  // namespace

void view_sweeps_cell(AppState&, SweepsState& lab) {
  const SweepGrid* g = lab.shown();
  if (!g || !lab.has_cell()) {
    ImGui::TextDisabled("click a cell of the grid to list its runs");
    return;
  }
  const sweep::GridView& v = g->view;
  const SweepsState::CellCache& cc = lab.cell();
  const sweep::GridCell& cell = v.cell(lab.panel, lab.row, lab.col);
  ImGui::Text("%s, %s %s", v.rows[static_cast<std::size_t>(lab.row)].c_str(), v.col_title.c_str(),
              v.cols[static_cast<std::size_t>(lab.col)].c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", v.panels[static_cast<std::size_t>(lab.panel)].title.c_str());
  ImGui::TextDisabled("%zu run%s: %d counted, %d successful", cc.rows.size(), cc.rows.size() == 1 ? "" : "s", cell.runs,
                      cell.successes);
  ImGui::SameLine();
  if (ImGui::SmallButton("close")) {
    lab.panel = lab.row = lab.col = -1;
    lab.run_id.clear();
    return;
  }
  if (cc.rows.empty()) {
    ImGui::TextDisabled("no runs of this set-up in the database");
    return;
  }
  const bool flip = g->kind == SweepGridKind::flip;
  const int ncol = 4 + (cc.varying.empty() ? 0 : 1);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
  if (!ImGui::BeginTable("sw_cell_runs", ncol, flags)) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("run");
  ImGui::TableSetupColumn("status");
  ImGui::TableSetupColumn("accuracy");
  // The last column takes the rest of the width.
  ImGui::TableSetupColumn(flip ? "flip rate" : "sink L2", cc.varying.empty() ? ImGuiTableColumnFlags_WidthStretch : 0);
  if (!cc.varying.empty()) ImGui::TableSetupColumn("varies", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(cc.rows.size()));
  while (clip.Step())
    for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
      const sweep::RunRow& r = *cc.rows[static_cast<std::size_t>(i)];
      const std::string id = r.str("id"), status = r.str("status");
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::PushID(i);
      if (ImGui::Selectable(id.c_str(), id == lab.run_id, ImGuiSelectableFlags_SpanAllColumns)) lab.select_run(id);
      const bool hovered = ImGui::IsItemHovered();
      ImGui::PopID();
      ImGui::TableNextColumn();
      const ImU32 sc = status == "failed"  ? kRed
                       : status == "done" ? ImGui::GetColorU32(ImGuiCol_Text)
                       : status == "running" ? kAmber
                                             : ImGui::GetColorU32(ImGuiCol_TextDisabled);
      ImGui::TextColored(ImColor(sc), "%s", status.c_str());
      ImGui::TableNextColumn();
      if (auto a = r.num("eval_accuracy")) {
        if (*a > sweep::kSuccessAccuracy) ImGui::Text("%.3f", *a);
        else ImGui::TextDisabled("%.3f", *a);
      } else {
        ImGui::TextDisabled("–");
      }
      ImGui::TableNextColumn();
      if (flip) {
        if (auto f = r.num("flip_rate")) ImGui::Text("%.3f", *f);
        else ImGui::TextDisabled("–");
      } else {
        const std::string all = sink_text(r);
        ImGui::TextUnformatted(ImGui::CalcTextSize(all.c_str()).x <= ImGui::GetContentRegionAvail().x ? all.c_str()
                                                                                                 : sink_summary(r).c_str());
      }
      if (!cc.varying.empty()) {
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(params_text(r, cc.varying).c_str());
      }
      if (hovered) {
        ImGui::BeginTooltip();
        ImGui::Text("run %s: %s", id.c_str(), status.c_str());
        if (!cc.varying.empty()) ImGui::TextUnformatted(params_text(r, cc.varying).c_str());
        if (!r.str("host").empty()) ImGui::TextDisabled("host %s, attempt %s", r.str("host").c_str(), r.str("attempts").c_str());
        if (auto w = r.num("wall_seconds")) ImGui::TextDisabled("%.1f s wall", *w);
        if (!flip) ImGui::Text("sink score per layer-2 head: %s", sink_text(r).c_str());
        if (!r.str("error").empty()) {
          ImGui::PushTextWrapPos(ImGui::GetFontSize() * 40);
          ImGui::TextColored(ImColor(kRed), "%s", r.str("error").c_str());
          ImGui::PopTextWrapPos();
        }
        ImGui::TextDisabled("click: open its attention maps");
        ImGui::EndTooltip();
      }
    }
  ImGui::EndTable();
}

}  // namespace polarlab::gui
#endif
