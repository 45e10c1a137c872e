// Theorem 3.3(b): the measured ratio max_{j≠w} s_j/s_w stays under 1/(1 + (δ/p)∫γ).
#include "app/gui/views_common.hpp"

namespace polarlab::gui {

void view_bound(AppState& app) {
  widgets::PlotOptions o;
  o.title = "Theorem 3.3(b): ratio max s_j/s_w vs bound";
  o.y = widgets::Scale::log;
  widgets::Plot plot("bound", o);
  for (std::size_t r = 0; r < app.runs.size(); ++r) {
    const History& h = app.runs[r].history;
    const bool first = r == 0;
    plot.line(first ? "bound 1/(1+(δ/p)∫γ)" : nullptr, h.t.data(), h.bound.data(), h.size(),
              run_style(app, r, IM_COL32(255, 90, 90, 255), true));
    plot.line(first ? "measured ratio" : nullptr, h.t.data(), h.ratio.data(), h.size(),
              run_style(app, r, IM_COL32(110, 230, 140, 255)));
  }
  const History& h0 = app.runs.front().history;
  if (h0.info) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "w = %d, δ = %s", h0.info->facts.predicted_winner,
                  widgets::format_number(h0.info->facts.delta, 3).c_str());
    plot.note(buf);
  }
  plot.end();
}

}  // namespace polarlab::gui
