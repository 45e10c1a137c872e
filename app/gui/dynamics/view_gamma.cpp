// γ(t) and the polarization integral ∫₀ᵗ γ: polarization is complete exactly when ∫γ diverges.
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_gamma(AppState& app) {
  widgets::PlotOptions o;
  o.title = "polarization weight γ(t) and its integral ∫γ";
  // A narrow panel (a lecture at 1024x768) gets the short form rather than a title cut with "…".
  if (ImGui::CalcTextSize(o.title).x > ImGui::GetContentRegionAvail().x - ImGui::GetFontSize()) o.title = "γ(t) and its integral ∫γ";
  o.y = widgets::Scale::log;
  widgets::Plot plot("gamma", o);
  for (std::size_t r = 0; r < app.runs.size(); ++r) {
    const History& h = app.runs[r].history;
    const bool first = r == 0;
    plot.line(first ? "γ" : nullptr, h.t.data(), h.gamma.data(), h.size(),
              run_style(app, r, IM_COL32(120, 200, 255, 255)));
    plot.line(first ? "∫γ" : nullptr, h.t.data(), h.gamma_integral.data(), h.size(),
              run_style(app, r, IM_COL32(255, 120, 200, 255)));
  }
  if (app.runs.size() > 1) plot.note("solid: GD   dashed: flow");
  plot.end();
}

}  // namespace polarlab::gui
