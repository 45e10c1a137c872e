// Theorem 3.3(b): the measured ratio max_{j≠w} s_j/s_w stays under 1/(1 + (δ/p)∫γ). Drawn only where the
// theorem's hypotheses hold (core/observe/theorem_scope); elsewhere the panel says which one fails.
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_bound(AppState& app) {
  const History& h0 = app.runs.front().history;
  if (!h0.info) return;
  const TheoremScope& sc = run_scope(app);
  stationary_notice(app);
  if (!sc.bound) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", theorem_scope_line(sc).c_str());
    ImGui::PopStyleColor();
    // The recorded ratio is taken against argmax u(0): meaningful only where that is the predicted winner.
    if (!sc.prediction) return;
  }
  widgets::PlotOptions o;
  o.title = sc.bound ? "Theorem 3.3(b): ratio max s_j/s_w vs bound" : "ratio max s_j/s_w (w = predicted winner)";
  // A narrow panel (a lecture at 1024x768) gets the short form rather than a title cut with "…".
  if (ImGui::CalcTextSize(o.title).x > ImGui::GetContentRegionAvail().x - ImGui::GetFontSize())
    o.title = sc.bound ? "Thm 3.3(b): max s_j/s_w vs bound" : "max s_j/s_w, w predicted";
  o.y = widgets::Scale::log;
  widgets::Plot plot("bound", o);
  // Each label carries its curve's value at the moment shown, so a caption's "the bound stays near 1" or "the
  // ratio falls" can be read off the screen (fig2: the bound ends at 0.997, the ratio at 0.006).
  auto value_at_now = [](const std::string& name, const std::vector<double>& v, std::size_t n) {
    return n > 0 && n <= v.size() ? name + " = " + widgets::format_number(v[n - 1], 3) : name;
  };
  for (std::size_t r = 0; r < app.runs.size(); ++r) {
    const History& h = app.runs[r].history;
    const bool first = r == 0;
    const std::string bound_label = value_at_now("bound 1/(1+(δ/p)∫γ)", h.bound, h.size());
    const std::string ratio_label = value_at_now("measured ratio", h.ratio, h.size());
    if (sc.bound)
      plot.line(first ? bound_label.c_str() : nullptr, h.t.data(), h.bound.data(), h.size(),
                run_style(app, r, IM_COL32(255, 90, 90, 255), true));
    plot.line(first ? ratio_label.c_str() : nullptr, h.t.data(), h.ratio.data(), h.size(),
              run_style(app, r, IM_COL32(110, 230, 140, 255)));
  }
  char buf[96];
  std::snprintf(buf, sizeof buf, "w = %d, δ = %s", sc.predicted_winner, widgets::format_number(sc.delta, 3).c_str());
  plot.note(buf);
  plot.end();
}

}  // namespace polarlab::gui
