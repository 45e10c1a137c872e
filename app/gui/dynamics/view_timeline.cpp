// The timeline under the plots: live or replay, a slider over log t to scrub the run, the replay's pace in
// decades of t per second, and Record (the run from its start as a video, on the replay's clock).
#include <imgui.h>

#include <cmath>

#include "app/gui/shell/focus.hpp"
#include "app/gui/lecture/recorder.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/axis.hpp"

namespace polarlab::gui {

void view_timeline(AppState& app) {
  if (app.runs.empty()) return;
  Replay& rp = app.replay;
  const History& h = app.primary().history;
  const ReplayRange r = replay_range(h, rp.start_t, rp.end_t);
  const bool recording = !app.recording.empty();
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  ImGui::BeginDisabled(recording || !r.valid);
  const char* play = !rp.active ? "Replay" : rp.playing ? "Pause" : rp.at_end(r) ? "Again" : "Play";
  if (ImGui::Button(play, ImVec2(ImGui::CalcTextSize("Replay").x + 2 * ImGui::GetStyle().FramePadding.x, 0)))
    app.replay_play_pause();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("replay the run from its start at the pace on the right (P)");
  ImGui::SameLine();
  if (ImGui::Button("Live")) rp.go_live();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("show everything computed so far");
  ImGui::SameLine();
  const float right = ImGui::CalcTextSize("0.000 decades/s").x + ImGui::CalcTextSize("Record").x + 6 * sp;
  ImGui::SetNextItemWidth(std::max(80.0f, ImGui::GetContentRegionAvail().x - right));
  float x = static_cast<float>(rp.active ? rp.log_t : r.hi);
  if (!std::isfinite(x)) x = static_cast<float>(r.lo);
  // The label is the moment the panels show (the last record drawn), as everywhere else: never 10^(the slider's
  // position) of a run with no record past t = 0 yet (after Reset that said "t = 1").
  const double shown_t = h.now_t();
  note_shown_t(app, "timeline", shown_t);
  const std::string label = "t = " + widgets::format_number(shown_t, 3) + (rp.active ? "" : "  (live)");
  if (ImGui::SliderFloat("##timeline", &x, static_cast<float>(r.lo), static_cast<float>(std::max(r.hi, r.lo + 1e-6)),
                         label.c_str(), ImGuiSliderFlags_NoInput))
    rp.seek(x, r);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("drag to scrub the run (log t)");
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("0.000 decades/s").x);
  float pace = static_cast<float>(rp.pace);
  if (ImGui::SliderFloat("##pace", &pace, static_cast<float>(Replay::kMinPace), static_cast<float>(Replay::kMaxPace),
                         "%.3g decades/s", ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    rp.pace = pace;
  note_value_widget();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("replay pace: decades of t per second (- slower, + faster)");
  ImGui::SameLine();
  ImGui::BeginDisabled(!recording_available());
  if (recording) ImGui::PushStyleColor(ImGuiCol_Button, IM_COL32(170, 30, 30, 255));
  if (ImGui::Button(recording ? "Stop" : "Record")) app.record_toggle = true;
  if (recording) ImGui::PopStyleColor();
  ImGui::EndDisabled();
  // Not while recording (the window is the video), and above the button: the line below it says what was written.
  if (!recording && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetItemRectMax().x, ImGui::GetItemRectMin().y - ImGui::GetStyle().ItemSpacing.y),
                            ImGuiCond_Always, ImVec2(1.0f, 1.0f));
    ImGui::SetTooltip(recording_available()
                          ? "record the run from its start as an MP4 at the replay's pace (30 fps); Stop ends it early"
                          : "this build cannot record: it needs FFmpeg's libraries (libavcodec-dev libavformat-dev "
                            "libswscale-dev) and Cairo");
  }
  // The second line: what was recorded, or what the panels show.
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!app.record_message.empty()) ImGui::TextUnformatted(app.record_message.c_str());
  else if (rp.active)
    ImGui::Text("replay: the panels show t = %s at %s decades/s (P play/pause, - slower, + faster)",
                widgets::format_number(shown_t, 3).c_str(), widgets::format_number(rp.pace, 3).c_str());
  else ImGui::TextUnformatted("live: the panels show everything computed so far (Replay or P to replay it)");
  ImGui::PopStyleColor();
}

}  // namespace polarlab::gui
