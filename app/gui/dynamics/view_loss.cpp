// Loss and the entropy of s: both fall as s polarizes.
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_loss(AppState& app) {
  widgets::PlotOptions o;
  o.title = "loss L(t) and entropy H(s(t))";
  o.y = widgets::Scale::log;
  widgets::Plot plot("loss", o);
  for (std::size_t r = 0; r < app.runs.size(); ++r) {
    const History& h = app.runs[r].history;
    const bool first = r == 0;
    plot.line(first ? "loss" : nullptr, h.t.data(), h.loss.data(), h.size(),
              run_style(app, r, IM_COL32(240, 240, 240, 255)));
    plot.line(first ? "entropy" : nullptr, h.t.data(), h.entropy.data(), h.size(),
              run_style(app, r, IM_COL32(255, 200, 60, 255)));
  }
  if (app.runs.size() > 1) plot.note("solid: GD   dashed: flow");
  plot.end();
}

}  // namespace polarlab::gui
