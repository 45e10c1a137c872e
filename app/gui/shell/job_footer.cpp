// The job footer: the work running in the other workspaces (an ensemble left computing, a training, a file
// being read), each with its progress and a Cancel button, in the window's bottom-right corner. The shown
// workspace's own jobs are in its panels; lecture mode and recordings show none (the audience's screen).
#include "app/gui/shell/job_footer.hpp"

#include <imgui.h>

#include <cstdio>

#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

void draw_job_footer(AppState& app, JobHost& host, bool recording) {
  if (app.lecture || recording) return;
  const std::string shown = app.workspaces.current_key();
  std::vector<JobRow> rows;
  for (JobRow& r : host.jobs())
    if (r.workspace != shown && !job_ended(r.state)) rows.push_back(std::move(r));
  if (rows.empty()) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float pad = ImGui::GetFontSize() * 0.5f;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - pad, vp->Pos.y + vp->Size.y - pad), ImGuiCond_Always,
                          ImVec2(1.0f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.92f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
  if (ImGui::Begin("##jobs", nullptr, flags)) {
    ImGui::TextDisabled("running in other workspaces");
    for (const JobRow& r : rows) {
      ImGui::PushID(static_cast<int>(r.id));
      char pct[48];
      if (r.stopping) std::snprintf(pct, sizeof pct, "stopping");
      else if (r.state == JobState::paused) std::snprintf(pct, sizeof pct, "paused %.0f %%", 100.0 * r.fraction);
      else std::snprintf(pct, sizeof pct, "%.0f %%", 100.0 * r.fraction);
      ImGui::ProgressBar(static_cast<float>(r.fraction), ImVec2(ImGui::GetFontSize() * 7, 0), pct);
      ImGui::SameLine();
      ImGui::BeginDisabled(r.stopping);
      if (ImGui::SmallButton("Cancel")) host.cancel(r.id);
      ImGui::EndDisabled();
      ImGui::SameLine();
      ImGui::TextUnformatted(r.name.c_str());
      ImGui::PopID();
    }
  }
  ImGui::End();
}

}  // namespace polarlab::gui
