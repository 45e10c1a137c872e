#include "app/gui/views_common.hpp"

#include <cmath>

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
  const auto& snap = app.runs.front().history.snap;
  if (!snap) return {};
  return "t = " + widgets::format_number(snap->t, 4);
}

void coordinate_plot(AppState& app, const char* id, const char* title, const char* sym,
                     std::vector<std::vector<double>> History::*member, widgets::Scale yscale, double lo,
                     double hi) {
  widgets::PlotOptions o;
  o.title = title;
  o.y = yscale;
  o.fixed_ymin = lo;
  o.fixed_ymax = hi;
  widgets::Plot plot(id, o);
  const History& h0 = app.runs.front().history;
  const int winner = h0.info ? h0.info->facts.predicted_winner : -1;
  const int p = static_cast<int>((h0.*member).size());
  // Labels for up to 12 coordinates; beyond that only the winner, so the legend stays readable.
  std::vector<std::string> labels(static_cast<std::size_t>(p));
  for (int i = 0; i < p; ++i)
    if (p <= 12 || i == winner) labels[static_cast<std::size_t>(i)] = coord_label(sym, i, winner);
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
  if (h0.snap) plot.vline(h0.snap->t, IM_COL32(255, 255, 255, 90));
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

}  // namespace polarlab::gui
