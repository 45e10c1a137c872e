// Lecture caption (which figure, which theorem) and the status bar under the plots.
#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>

#include "app/gui/shell/focus.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/text_cache.hpp"

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

namespace {
// `text` broken into lines no wider than `width` at spaces only: ImGui's wrapping also breaks after a '.', which
// split a number ("0." above "9749") at 800x600. A word wider than the line keeps a line of its own.
std::string wrap_at_spaces(const std::string& text, float width) {
  std::string out, line;
  std::size_t i = 0;
  auto flush = [&] {
    line.erase(line.find_last_not_of(' ') + 1);
    out += (out.empty() ? "" : "\n") + line;
    line.clear();
  };
  while (i < text.size()) {
    const std::size_t word_end = std::min(text.find(' ', i), text.size());
    const std::size_t next = std::min(text.find_first_not_of(' ', word_end), text.size());
    const std::string word = text.substr(i, word_end - i);
    if (!line.empty() && ImGui::CalcTextSize((line + word).c_str()).x > width) flush();
    line += text.substr(i, next - i);
    i = next;
  }
  flush();
  return out;
}
}  // namespace

void view_status(AppState& app) {
  // The last action's result (export, save, open, record) where the user looks: failures in red, for a while.
  if (!app.notice.empty()) {
    if (app.notice_failed) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextWrapped("%s", app.notice.c_str());
    if (app.notice_failed) ImGui::PopStyleColor();
  }
  const History& h = app.primary().history;
  if (!h.snap || !h.info) return;
  const DynamicsSnapshot& s = *h.snap;
  const TheoremScope& sc = run_scope(app);
  const int now = current_winner(app);
  // A replay's state is what the panels show (the solver may be done long before): "playing" in lecture mode, where
  // the audience sees only the replay, "replay playing" in the lab, whose side panel also drives the solver.
  const Replay& rp = app.replay;
  const char* replay_state = rp.playing || !app.recording.empty()                 ? "playing"
                             : rp.at_end(replay_range(h, rp.start_t, rp.end_t)) ? "end"
                                                                                : "paused";
  const std::string state_text = s.status.state == RunState::failed ? std::string("FAILED")
                                 : rp.active ? (app.lecture ? "" : "replay ") + std::string(replay_state)
                                 : s.status.state == RunState::finished ? "finished"
                                 : s.playing ? "playing" : "paused";
  const char* state = state_text.c_str();
  // Every number below is of the moment the panels show: the last record drawn (at the replay's cursor, or the
  // latest one live), never the solver's state ahead of it.
  const Record* shown = h.now();
  const double shown_t = h.now_t();
  note_shown_t(app, "status", shown_t);
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
    ImGui::Text("%s   t = %s   %s   max s = %s (%s)", state, widgets::format_number(shown_t, 3).c_str(), winner,
                widgets::format_number(shown ? shown->max_s : 0.0, 3).c_str(), current);
  } else {
    // Say what the counters count: GD updates, or the flow solver's accepted steps (dense output fills many
    // log-grid records per step), and the records on the log-spaced grid up to the moment shown.
    // The fps counter has its own place at the right of the first line; the status wraps before it (at 1024
    // wide the counter was drawn over the wrapped status).
    char fps[32];
    std::snprintf(fps, sizeof fps, "%.0f fps", app.fps);
    const float fps_w = ImGui::CalcTextSize(fps).x;
    const float right = ImGui::GetWindowContentRegionMax().x;
    const ImVec2 line = ImGui::GetCursorPos();
    // A GD record carries its update count; the flow's accepted steps are the solver's so far (live only).
    const bool flow = h.info->config.method == Method::flow;
    char steps[64] = "";
    if (!flow) std::snprintf(steps, sizeof steps, "GD updates %lld · ", static_cast<long long>(shown ? shown->step : 0));
    else if (!rp.active) std::snprintf(steps, sizeof steps, "accepted solver steps %lld · ", static_cast<long long>(s.steps));
    char status[512];
    std::snprintf(status, sizeof status, "%s   t = %s   %srecords %zu   %s%s   winner now %s, max s = %s", state,
                  widgets::format_number(shown_t, 4).c_str(), steps, h.size(), winner,
                  sc.prediction ? " (argmax u(0))" : "", current,
                  widgets::format_number(shown ? shown->max_s : 0.0, 4).c_str());
    const std::string lines =
        wrap_at_spaces(status, right - fps_w - 2 * ImGui::GetStyle().ItemSpacing.x - ImGui::GetCursorPosX());
    ImGui::TextUnformatted(lines.c_str());
    note_item("status line", lines);
    const ImVec2 below = ImGui::GetCursorPos();
    ImGui::SetCursorPos(ImVec2(right - fps_w, line.y));
    ImGui::TextDisabled("%s", fps);
    note_item("fps");
    ImGui::SetCursorPos(below);
  }
  if (app.lecture) {
    // The key reminder only where it fits beside the status (a 1024-pixel projector has no room for it).
    const char* keys = app.deck.active()
                           ? "   → next · ← back · P pause · ↑↓ parameter · -/+ pace · B blank · L controls"
                           : "   space pause · ↑↓ parameter · -/+ pace · R reset · 1-6 presets · L controls · F fullscreen";
    ImGui::SameLine();
    const float px = std::max(app.font->FontSize, app.lecture_min_text_px());
    const ImVec2 ts = app.font->CalcTextSizeA(px, FLT_MAX, 0.0f, keys);
    if (ts.x < ImGui::GetContentRegionAvail().x) {
      const ImVec2 at = ImGui::GetCursorScreenPos();
      widgets::add_live_text(ImGui::GetWindowDrawList(), app.font, px,
                             ImVec2(at.x, at.y + (ImGui::GetTextLineHeight() - ts.y) * 0.5f),
                             ImGui::GetColorU32(ImGuiCol_TextDisabled), keys);
      ImGui::Dummy(ImVec2(ts.x, ImGui::GetTextLineHeight()));
    }
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
