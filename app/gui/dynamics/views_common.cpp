#include "app/gui/dynamics/views_common.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>

#include "app/widgets/axis.hpp"

namespace polarlab::gui {

float line_width(const AppState& app, bool emphasis) {
  // Whole-pixel widths take ImGui's textured anti-aliasing path: a fraction of the vertices.
  const float base = std::round((app.lecture ? 3.0f : 2.0f) * app.dpi_scale);
  return emphasis ? base + std::round(1.5f * app.dpi_scale) : base;
}

widgets::LineStyle run_style(const AppState& app, std::size_t run, ImU32 color, bool emphasis) {
  widgets::LineStyle st;
  st.color = color;
  st.thickness = line_width(app, emphasis);
  st.dashed = run > 0;
  return st;
}

std::string now_note(const AppState& app) {
  const History& h = app.runs.front().history;
  if (!h.snap) return {};
  return "t = " + widgets::format_number(h.now_t(), 4);
}

void note_shown_t(AppState& app, const std::string& what, double t) { app.shown_t.emplace_back(what, t); }

const TheoremScope& run_scope(const AppState& app) {
  static const TheoremScope none{};
  if (app.runs.empty() || !app.runs.front().history.info) return none;
  const auto& info = app.runs.front().history.info;
  // UI thread only. Redrawing the initial state costs O(d·p), so it happens once per run, and a reset (new
  // RunInfo, same config) keeps the cached answer.
  static std::shared_ptr<const RunInfo> key;
  static std::string key_json;
  static TheoremScope cached;
  if (info != key) {
    std::string json = config_to_json(info->config).dump();
    if (json != key_json) {
      try {
        cached = theorem_scope(info->config);
      } catch (const std::exception& e) {
        cached = TheoremScope{};
        cached.reason = e.what();
      }
      key_json = std::move(json);
    }
    key = info;
  }
  return cached;
}

int predicted_winner(const AppState& app) {
  const TheoremScope& sc = run_scope(app);
  return sc.prediction ? sc.predicted_winner : -1;
}

int current_winner(const AppState& app) {
  if (app.runs.empty()) return -1;
  const Record* now = app.runs.front().history.now();
  // All scores 0 (relu at a stationary start): there is no winner to name.
  return now && now->s.size() > 0 && now->max_s > 0.0 ? now->winner : -1;
}

int emphasised_winner(const AppState& app) {
  const int predicted = predicted_winner(app);
  return predicted >= 0 ? predicted : current_winner(app);
}

std::string winner_label(const char* sym, int i, int predicted, int now) {
  std::string s = std::string(sym) + "_" + std::to_string(i);
  if (i == predicted) s += " ★";
  if (i == now) s += " (max s)";
  return s;
}

namespace {
int g_notice_frame = -1, g_notices = 0;
}  // namespace

bool stationary_notice(const AppState& app) {
  if (app.runs.empty() || !app.runs.front().history.info) return false;
  const TheoremScope& sc = run_scope(app);
  if (!sc.stationary) return false;
  // Once per frame, where it is first asked for: in every panel it repeated one paragraph five times and
  // squeezed the plots under it.
  if (g_notice_frame == ImGui::GetFrameCount()) return true;
  g_notice_frame = ImGui::GetFrameCount();
  g_notices = 1;
  ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 170, 60, 255));
  ImGui::TextWrapped("Stuck at the start: %s", sc.stationary_reason.c_str());
  ImGui::PopStyleColor();
  return true;
}

int stationary_notices_drawn() { return g_notice_frame == ImGui::GetFrameCount() ? g_notices : 0; }

void coordinate_plot(AppState& app, const char* id, const char* title, const char* sym,
                     std::vector<std::vector<double>> History::*member, widgets::Scale yscale, double lo,
                     double hi) {
  widgets::PlotOptions o;
  o.title = title;
  o.y = yscale;
  o.fixed_ymin = lo;
  o.fixed_ymax = hi;
  stationary_notice(app);  // before the plot, which fills what is left of the panel
  widgets::Plot plot(id, o);
  const History& h0 = app.runs.front().history;
  // The star only where the theory predicts the winner; the current winner is always named.
  const int predicted = predicted_winner(app);
  const int now = current_winner(app);
  const int winner = predicted >= 0 ? predicted : now;
  const int p = static_cast<int>((h0.*member).size());
  // Labels for up to 12 coordinates; beyond that only the predicted and current winners, so the legend
  // stays readable.
  std::vector<std::string> labels(static_cast<std::size_t>(p));
  for (int i = 0; i < p; ++i)
    if (p <= 12 || i == predicted || i == now) labels[static_cast<std::size_t>(i)] = winner_label(sym, i, predicted, now);
  for (std::size_t r = 0; r < app.runs.size(); ++r) {
    const History& h = app.runs[r].history;
    const auto& cols = h.*member;
    // Winner last so it is drawn on top.
    for (int pass = 0; pass < 2; ++pass)
      for (int i = 0; i < static_cast<int>(cols.size()); ++i) {
        if ((i == winner) != (pass == 1)) continue;
        const char* label = r == 0 && i < p ? labels[static_cast<std::size_t>(i)].c_str() : nullptr;
        plot.line(label, h.t.data(), cols[static_cast<std::size_t>(i)].data(), h.t.size(),
                  run_style(app, r, coord_color(i), i == winner));
      }
  }
  if (h0.snap) plot.vline(h0.now_t(), IM_COL32(255, 255, 255, 90));
  if (app.runs.size() > 1) plot.note("solid: GD   dashed: flow");
  plot.end();
}

widgets::PlotOptions step_plot_options(const char* title, bool log_y) {
  widgets::PlotOptions o;
  o.title = title;  // PlotOptions keeps the pointer: pass a literal
  o.xlabel = "step";
  o.x = widgets::Scale::linear;
  if (log_y) {
    o.y = widgets::Scale::log;
  } else {
    o.fixed_ymin = 0.0;
    o.fixed_ymax = 1.0;
  }
  return o;
}

std::vector<int> pair_color_indices(const std::vector<std::pair<int, int>>& pairs, int winner) {
  std::vector<int> used;
  for (const auto& [i, j] : pairs) {
    int c = i == winner ? j : i;
    for (int k : {c, j, i}) {
      c = k;
      if (std::find(used.begin(), used.end(), c) == used.end()) break;
    }
    while (std::find(used.begin(), used.end(), c) != used.end()) ++c;
    used.push_back(c);
  }
  return used;
}

PhiScale phi_color_scale(double max_abs) {
  if (!(max_abs > 1e-200) || !std::isfinite(max_abs)) return {1.0, true};
  return {max_abs, false};
}

}  // namespace polarlab::gui

