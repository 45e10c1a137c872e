// The job footer: the work running in the other workspaces (an ensemble left computing, a training, a file being
// read), with its progress and a Cancel button, at the right end of the tab bar, where no panel, status line or
// control is (a box over the status line hid its text). One job per line of the tab bar's height: the first, and
// "+N more" with the others in a tooltip. The shown workspace's own jobs are in its panels; lecture mode and
// recordings show none (the audience's screen).
#include "app/gui/shell/job_footer.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

namespace {

std::string progress_text(const JobRow& r) {
  char pct[48];
  if (r.stopping) std::snprintf(pct, sizeof pct, "stopping");
  else if (r.state == JobState::paused) std::snprintf(pct, sizeof pct, "paused %.0f %%", 100.0 * r.fraction);
  else std::snprintf(pct, sizeof pct, "%.0f %%", 100.0 * r.fraction);
  return pct;
}

}  // namespace

void draw_job_footer(AppState& app, JobHost& host, bool recording) {
  if (app.lecture || recording) return;
  const std::string shown = app.workspaces.current_key();
  std::vector<JobRow> rows;
  for (JobRow& r : host.jobs())
    if (r.workspace != shown && !job_ended(r.state)) rows.push_back(std::move(r));
  if (rows.empty()) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float fs = ImGui::GetFontSize();
  // On the tabs' line: their top is the window padding, their text a frame padding lower.
  const ImGuiStyle& style = ImGui::GetStyle();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + style.WindowPadding.y + style.FramePadding.y),
                          ImGuiCond_Always, ImVec2(1.0f, 0.0f));
  ImGui::SetNextWindowBgAlpha(0.0f);  // the tab bar shows through (its underline too)
  // Within the tab bar's height: no vertical padding, frames of the font's height.
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(fs * 0.4f, 0.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1.0f, 1.0f));  // not ImGui's 32-pixel minimum
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoMove;
  if (ImGui::Begin("##jobs", nullptr, flags)) {
    const JobRow& r = rows.front();
    // Right of the tabs only: the name gets what the progress bar, Cancel and "+N more" leave, cut to whole
    // characters, and is left out (its tooltip on the bar) when nothing is left, e.g. at 640 pixels.
    const ImGuiStyle& st = ImGui::GetStyle();
    const float fixed = fs * 6 + ImGui::CalcTextSize("Cancel").x + st.FramePadding.x * 2 +
                        (rows.size() > 1 ? ImGui::CalcTextSize("+99 more").x + st.ItemSpacing.x : 0.0f) +
                        st.ItemSpacing.x * 2 + fs * 1.5f;
    const float room = vp->Pos.x + vp->Size.x - app.workspaces.tabs_right - fixed;
    std::string name = r.name;
    if (ImGui::CalcTextSize(name.c_str()).x > room) {
      // Whole UTF-8 characters only (the names hold κ and ×): drop one at a time, then add the ellipsis.
      const float ellipsis = ImGui::CalcTextSize("…").x;
      while (!name.empty() && ImGui::CalcTextSize(name.c_str()).x + ellipsis > room) {
        unsigned char c;  // continuation bytes (10xxxxxx) go with their lead byte
        do c = static_cast<unsigned char>(name.back()), name.pop_back();
        while (!name.empty() && (c & 0xC0) == 0x80);
      }
      if (!name.empty()) name += "…";
    }
    if (!name.empty()) {
      ImGui::TextDisabled("%s", name.c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (in the %s workspace)", r.name.c_str(), r.workspace.c_str());
      ImGui::SameLine();
    }
    ImGui::ProgressBar(static_cast<float>(r.fraction), ImVec2(fs * 6, fs), progress_text(r).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (in the %s workspace)", r.name.c_str(), r.workspace.c_str());
    ImGui::SameLine();
    ImGui::BeginDisabled(r.stopping);
    if (ImGui::SmallButton("Cancel")) host.cancel(r.id);
    ImGui::EndDisabled();
    if (rows.size() > 1) {
      ImGui::SameLine();
      ImGui::TextDisabled("+%zu more", rows.size() - 1);
      if (ImGui::IsItemHovered()) {
        std::string all;
        for (std::size_t i = 1; i < rows.size(); ++i)
          all += (i > 1 ? "\n" : "") + rows[i].name + ": " + progress_text(rows[i]);
        ImGui::SetTooltip("%s", all.c_str());
      }
    }
  }
  ImGui::End();
  ImGui::PopStyleVar(3);
}

}  // namespace polarlab::gui
