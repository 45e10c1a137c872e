// Lecture caption (which figure, which theorem) and the status bar under the plots.
#include "app/gui/views_common.hpp"
#include "app/widgets/axis.hpp"

namespace polarlab::gui {

namespace {
// A lecture scene's caption: its title and subtitle, the parameter's value, and the latest annotation whose time
// the replay has reached (one line kept for it, so the panels do not jump when it appears).
void scene_caption(AppState& app, const lecture::Scene& sc) {
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 215, 0, 255));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(sc.title.empty() ? (sc.preset.empty() ? " " : sc.preset.c_str()) : sc.title.c_str());
  ImGui::PopStyleColor();
  const std::string param = parameter_caption(app);
  if (!param.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(("   " + param).c_str());
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!sc.subtitle.empty()) ImGui::TextUnformatted(sc.subtitle.c_str());
  ImGui::PopStyleColor();
  if (!sc.annotations.empty()) {
    const double now = app.runs.empty() ? 0.0 : app.primary().history.now_t();
    const char* text = " ";
    for (const lecture::Annotation& a : sc.annotations)
      if (a.t <= now * (1.0 + 1e-9)) text = a.text.c_str();
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(140, 220, 255, 255));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();
}
}  // namespace

void view_caption(AppState& app) {
  if (const lecture::Scene* sc = app.deck.scene()) {
    scene_caption(app, *sc);
    return;
  }
  const History& h = app.primary().history;
  const PresetInfo* p = find_preset(app, app.preset);
  const std::string figure = p ? p->figure : std::string("custom experiment");
  const std::string theorem = h.info ? h.info->config.theorem : std::string();
  const std::string desc = h.info ? h.info->config.description : std::string();
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 215, 0, 255));
  ImGui::TextUnformatted(figure.c_str());
  ImGui::PopStyleColor();
  // The value the parameter keys (↑/↓) change, e.g. κ on fig3.
  if (const std::string param = parameter_caption(app); !param.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(("  " + param).c_str());
  }
  if (!theorem.empty()) {
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);  // a projector's narrow window wraps it instead of cutting it
    ImGui::TextUnformatted(("  " + theorem).c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::PushTextWrapPos(0.0f);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  if (!desc.empty()) ImGui::TextUnformatted(desc.c_str());
  ImGui::PopStyleColor();
  ImGui::PopTextWrapPos();
}

void view_status(AppState& app) {
  const History& h = app.primary().history;
  if (!h.snap || !h.info) return;
  const DynamicsSnapshot& s = *h.snap;
  const TheoremScope& sc = run_scope(app);
  const int now = current_winner(app);
  // Lecture mode shows the replay: its state is what the audience sees (the solver may be done long before).
  const Replay& rp = app.replay;
  const char* state = s.status.state == RunState::failed ? "FAILED"
                      : app.lecture && rp.active ? (rp.playing || !app.recording.empty() ? "playing" : rp.at_end(replay_range(h, rp.start_t, rp.end_t)) ? "end" : "paused")
                      : s.status.state == RunState::finished ? "finished"
                      : s.playing ? "playing" : "paused";
  // The star only where Theorem 3.2/3.3 predicts the winner; the current winner is always named.
  char winner[96];
  if (sc.prediction) std::snprintf(winner, sizeof winner, "predicted winner %d ★", sc.predicted_winner);
  else std::snprintf(winner, sizeof winner, "no predicted winner");
  char current[64];
  if (now >= 0) std::snprintf(current, sizeof current, "s_%d", now);
  else std::snprintf(current, sizeof current, "none");
  if (!app.key_hint.empty() && !app.lecture) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 200, 90, 255));
    ImGui::TextWrapped("%s", app.key_hint.c_str());
    ImGui::PopStyleColor();
  }
  if (app.lecture) {
    const Record* shown = h.now();
    ImGui::Text("%s   t = %s   %s   max s = %s (%s)", state, widgets::format_number(h.now_t(), 3).c_str(), winner,
                widgets::format_number(shown ? shown->max_s : 0.0, 3).c_str(), current);
  } else {
    // Say what the counters count: GD updates, or the flow solver's accepted steps (dense output fills many
    // log-grid records per step), and the records taken on the log-spaced grid so far.
    ImGui::TextWrapped("%s   t = %s   %s %lld · records %zu   %s%s   winner now %s, max s = %s", state,
                widgets::format_number(s.t, 4).c_str(),
                h.info->config.method == Method::flow ? "accepted solver steps" : "GD updates",
                static_cast<long long>(s.steps), s.total_records, winner, sc.prediction ? " (argmax u(0))" : "",
                current, widgets::format_number(s.current.max_s, 4).c_str());
  }
  if (app.lecture) {
    // The key reminder only where it fits beside the status (a 1024-pixel projector has no room for it).
    const char* keys = app.deck.active()
                           ? "   → next · ← back · P pause · ↑↓ parameter · -/+ pace · B blank · L controls"
                           : "   space pause · ↑↓ parameter · -/+ pace · R reset · 1-6 presets · L controls · F fullscreen";
    ImGui::SameLine();
    ImGui::PushFont(app.font);
    if (ImGui::CalcTextSize(keys).x < ImGui::GetContentRegionAvail().x) ImGui::TextDisabled("%s", keys);
    ImGui::PopFont();
  } else {
    ImGui::SameLine();
    ImGui::TextDisabled("   %.0f fps", app.fps);
  }
  if (s.status.state == RunState::failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextWrapped("%s", s.status.message.c_str());
    ImGui::PopStyleColor();
  } else if (!app.lecture && !stationary_notice(app) && !sc.bound) {
    // Why no bound (and, unless the sink's row-by-row prediction holds, no predicted winner).
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", theorem_scope_line(sc).c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace polarlab::gui
