// Singular values of V (U for the tied model), and for the tied model the column norms ‖U_i‖.
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_singular(AppState& app) {
  const History& h0 = app.runs.front().history;
  const bool tied = h0.info && h0.info->config.model == ModelKind::tied;
  widgets::PlotOptions o;
  o.title = tied ? "σ_k(U) solid, ‖U_i‖ dashed" : "singular values σ_k(V)";
  o.y = widgets::Scale::log;
  widgets::Plot plot("singular", o);
  const History& h = h0;
  const int winner = h.info ? emphasised_winner(app) : -1;
  std::vector<std::string> labels(h.sv.size());
  for (std::size_t k = 0; k < h.sv.size(); ++k) {
    if (h.sv.size() <= 8 || k < 3) labels[k] = "σ_" + std::to_string(k + 1);
    // Grey ramp: singular values are not coordinates, so they do not take coordinate colours.
    const int g = 250 - static_cast<int>(160.0 * k / std::max<std::size_t>(1, h.sv.size() - 1));
    widgets::LineStyle st = run_style(app, 0, IM_COL32(g, g, 255, 255), k == 0);
    plot.line(labels[k].c_str(), h.t.data(), h.sv[k].data(), h.size(), st);
  }
  for (std::size_t i = 0; i < h.colnorm.size(); ++i) {
    widgets::LineStyle st = run_style(app, 1, coord_color(static_cast<int>(i)), static_cast<int>(i) == winner);
    plot.line(nullptr, h.t.data(), h.colnorm[i].data(), h.size(), st);
  }
  plot.end();
}

}  // namespace polarlab::gui
