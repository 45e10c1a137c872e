// Lecture caption (which figure, which theorem) and the status bar under the plots.
#include "app/gui/views_common.hpp"
#include "app/widgets/axis.hpp"

namespace polarlab::gui {

namespace {
const PresetInfo* find_preset(const AppState& app) {
  for (const auto& p : app.presets)
    if (p.name == app.preset) return &p;
  return nullptr;
}
}  // namespace

void view_caption(AppState& app) {
  const History& h = app.primary().history;
  const PresetInfo* p = find_preset(app);
  const std::string figure = p ? p->figure : std::string("custom experiment");
  const std::string theorem = h.info ? h.info->config.theorem : std::string();
  const std::string desc = h.info ? h.info->config.description : std::string();
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 215, 0, 255));
  ImGui::TextUnformatted(figure.c_str());
  ImGui::PopStyleColor();
  if (!theorem.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(("  " + theorem).c_str());
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!desc.empty()) ImGui::TextUnformatted(desc.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

void view_status(AppState& app) {
  const History& h = app.primary().history;
  if (!h.snap) return;
  const Snapshot& s = *h.snap;
  const int w = h.info->facts.predicted_winner;
  const char* state = s.status.state == RunState::failed ? "FAILED"
                      : s.status.state == RunState::finished ? "finished"
                      : s.playing ? "playing" : "paused";
  if (app.lecture)
    ImGui::Text("%s   t = %s   predicted winner %d ★   max s = %s (s_%d)", state, widgets::format_number(s.t, 3).c_str(), w,
                widgets::format_number(s.current.max_s, 3).c_str(), s.current.winner);
  else
    ImGui::Text("%s   t = %s   step %lld   predicted winner %d (argmax u(0))   now argmax s = %d, max s = %s", state,
                widgets::format_number(s.t, 4).c_str(), static_cast<long long>(s.steps), w, s.current.winner,
                widgets::format_number(s.current.max_s, 4).c_str());
  if (app.lecture) {
    ImGui::SameLine();
    ImGui::PushFont(app.font);
    ImGui::TextDisabled("   space play · → step · R reset · 1-6 presets · L controls · F fullscreen");
    ImGui::PopFont();
  } else {
    ImGui::SameLine();
    ImGui::TextDisabled("   %.0f fps", app.fps);
  }
  if (s.status.state == RunState::failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextWrapped("%s", s.status.message.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace polarlab::gui
