// The ensemble workspace's side panel and layout (the run life cycle is in ensemble/run.cpp).
#include "app/gui/ensemble/state.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
#include <imgui.h>

#include <cstdio>

#include "app/gui/shell/app_state.hpp"
#include "app/widgets/axis.hpp"
#include "core/io/atomic_file.hpp"

namespace polarlab::gui {

namespace {
const ImU32 kRed = IM_COL32(255, 110, 110, 255);
}  // namespace

void ensemble_controls(AppState& app, EnsembleState& lab) {
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  const bool running = lab.running();
  const float w = (ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ItemSpacing.x) / 2;
  ImGui::BeginDisabled(running);
  if (ImGui::Button("Run ensemble", ImVec2(w, 0))) lab.start(*app.jobs);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!running);
  if (ImGui::Button("Cancel", ImVec2(w, 0))) lab.worker->cancel();
  ImGui::EndDisabled();
  if (lab.worker) {
    const std::size_t done = lab.worker->done(), total = lab.worker->total();
    char buf[128];
    std::snprintf(buf, sizeof buf, "%zu / %zu runs   %s s", done, total,
                  widgets::format_number(lab.worker->elapsed(), 3).c_str());
    ImGui::ProgressBar(total ? static_cast<float>(done) / static_cast<float>(total) : 0.0f, ImVec2(-1, 0), buf);
    // One line, always there, whatever the run's state: nothing below moves when a run ends under the mouse.
    const std::string err = lab.worker->error();
    if (!err.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kRed);
      ImGui::TextUnformatted(("run failed: " + err).c_str());
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", err.c_str());
    } else {
      ImGui::TextDisabled("%s", running                       ? "running: Cancel keeps the runs that finished"
                                : lab.worker->cancelled() ? "cancelled: results are of the runs that finished"
                                                          : "finished");
    }
  } else {
    ImGui::ProgressBar(0.0f, ImVec2(-1, 0), "no run yet");
    ImGui::TextDisabled("set the runs and press Run ensemble");
  }
  if (!lab.refused.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("refused: %s", lab.refused.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
  ImGui::BeginDisabled(running);
  if (ImGui::BeginCombo("preset", lab.preset.c_str())) {
    for (const PresetInfo& p : app.presets)
      if (ImGui::Selectable(p.name.c_str(), p.name == lab.preset)) lab.preset = p.name;
    ImGui::EndCombo();
  }
  for (const PresetInfo& p : app.presets)
    if (p.name == lab.preset && ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", p.figure.c_str(), p.description.c_str());
  ImGui::InputInt("runs per κ", &lab.count);
  ImGui::InputText("κ range a:b:n", lab.kappa_range, sizeof lab.kappa_range);
  ImGui::TextDisabled("κ: the regression model's condition\nnumber (fig3); other presets run one κ");
  int method = lab.method == Method::flow ? 0 : 1;  // the combo's order
  if (ImGui::Combo("method", &method, "gradient flow\0GD\0")) lab.method = method == 0 ? Method::flow : Method::gd;
  ImGui::InputDouble("t_end (0: preset's)", &lab.t_end, 0, 0, "%.4g");
  ImGui::InputDouble("threshold", &lab.threshold, 0, 0, "%.3g");
  ImGui::InputInt("first seed", &lab.first_seed);
  ImGui::InputInt("threads (0: all)", &lab.threads);
  ImGui::EndDisabled();

  ImGui::Separator();
  if (lab.result) {
    ImGui::TextWrapped("%s", ensemble_result_caption(lab.ran, *lab.result, lab.shows_previous()).c_str());
    if (ImGui::BeginTable("ens_summary", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
      ImGui::TableSetupColumn("κ");
      ImGui::TableSetupColumn("runs");  // "n of N" when cancelled
      ImGui::TableSetupColumn("P(polar.)");
      ImGui::TableSetupColumn("P(win.)");
      ImGui::TableSetupColumn("median");
      ImGui::TableHeadersRow();
      for (const EnsembleSummary& s : lab.result->summaries) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::Text("%.3g", s.kappa);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(kappa_runs_text(s).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ensemble_value_text(s.p_polarized).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ensemble_value_text(s.p_predicted_winner).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(ensemble_value_text(s.max_s_q50).c_str());
      }
      ImGui::EndTable();
    }
    ImGui::InputText("CSV", lab.csv_path, sizeof lab.csv_path);
    if (ImGui::Button("Export CSV")) {
      // The per-κ summary, as `polarlab-cli ensemble` writes summary.csv.
      try {
        const std::string text = ensemble_summary_csv(lab.result->summaries);
        write_file_atomically(lab.csv_path, [&](std::ostream& out) { out << text; });
        lab.message = "wrote " + std::to_string(lab.result->summaries.size()) + " κ rows to " + lab.csv_path;
        if (!lab.result->complete()) lab.message += " (" + ensemble_runs_text(*lab.result) + ")";
      } catch (const std::exception& e) {
        lab.message = std::string("export failed: ") + e.what();
      }
    }
    if (!lab.message.empty()) ImGui::TextWrapped("%s", lab.message.c_str());
  }
  ImGui::PopItemWidth();
}

void draw_ensemble(AppState& app, EnsembleState& lab) {
  ImGui::BeginChild("ens_controls", ImVec2(app.side_width * app.dpi_scale, 0), true);
  ensemble_controls(app, lab);
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("ens_main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  view_ensemble(app, lab);
  ImGui::EndChild();
}

}  // namespace polarlab::gui
#endif
