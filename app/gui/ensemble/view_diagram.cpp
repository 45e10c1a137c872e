// The ensemble's phase diagram: the probabilities against κ, the final max s quantiles against κ, and the
// distribution of the final max s per κ (columns κ, rows max-s bins with 1 on top, colour = share of runs).
#include "app/gui/ensemble/state.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/labelled_heatmap.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/plot.hpp"

namespace polarlab::gui {

void view_ensemble(AppState& app, EnsembleState& lab) {
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float status_h = ImGui::GetFrameHeightWithSpacing() * 1.2f;
  const float top_h = std::floor((avail.y - status_h) * 0.45f);
  const float w = (avail.x - sp) / 2;
  const ImGuiWindowFlags fl = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  const float lw = line_width(app);
  std::vector<double> kappa, p_pol, p_win, q10, q50, q90;
  if (lab.result)
    for (const EnsembleSummary& s : lab.result->summaries) {
      kappa.push_back(s.kappa);
      p_pol.push_back(s.p_polarized);
      p_win.push_back(s.p_predicted_winner);
      q10.push_back(s.max_s_q10);
      q50.push_back(s.max_s_q50);
      q90.push_back(s.max_s_q90);
    }
  char pol_label[64];
  std::snprintf(pol_label, sizeof pol_label, "P(max s > %.3g)", lab.ran_threshold);

  ImGui::BeginChild("ens_prob", ImVec2(w, top_h), true, fl);
  {
    widgets::PlotOptions o;
    o.title = "phase diagram: probabilities against κ";
    o.xlabel = "   κ";  // spaced: the widget puts the name right after the last tick label
    o.x = widgets::Scale::linear;
    o.fixed_ymin = 0.0;
    o.fixed_ymax = 1.0;
    widgets::Plot p("ens_prob_plot", o);
    p.line(pol_label, kappa.data(), p_pol.data(), kappa.size(), {coord_color(0), lw});
    p.line("P(winner = argmax u(0))", kappa.data(), p_win.data(), kappa.size(), {coord_color(1), lw});
    for (std::size_t i = 0; i < kappa.size(); ++i) {
      if (std::isnan(p_pol[i])) continue;  // no member of this κ finished: no point, not one at 0
      p.marker(kappa[i], p_pol[i], coord_color(0));
      p.marker(kappa[i], p_win[i], coord_color(1));
    }
    if (kappa.empty()) p.note(lab.running() ? "running…" : "press Run ensemble");
    p.end();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("ens_quant", ImVec2(w, top_h), true, fl);
  {
    widgets::PlotOptions o;
    o.title = "final max s: median and 10–90 % range";
    o.xlabel = "   κ";  // spaced: the widget puts the name right after the last tick label
    o.x = widgets::Scale::linear;
    o.fixed_ymin = 0.0;
    o.fixed_ymax = 1.0;
    widgets::Plot p("ens_quant_plot", o);
    p.line("median", kappa.data(), q50.data(), kappa.size(), {coord_color(2), lw});
    p.line("10 %", kappa.data(), q10.data(), kappa.size(), {coord_color(3), lw, true});
    p.line("90 %", kappa.data(), q90.data(), kappa.size(), {coord_color(4), lw, true});
    for (std::size_t i = 0; i < kappa.size(); ++i)
      if (!std::isnan(q50[i])) p.marker(kappa[i], q50[i], coord_color(2));
    p.hline(lab.ran_threshold, IM_COL32(255, 255, 255, 70));
    p.end();
  }
  ImGui::EndChild();

  ImGui::BeginChild("ens_hist", ImVec2(0, avail.y - top_h - status_h - ImGui::GetStyle().ItemSpacing.y), true, fl);
  const MaxSHistogram& h = lab.histogram;
  ImGui::TextUnformatted("distribution of the final max s per κ (share of each κ's runs)");
  if (lab.result && h.bins > 0 && !h.kappas.empty()) {
    const float fs = ImGui::GetFontSize();
    std::vector<std::string> col_labels, row_labels;
    for (double k : h.kappas) col_labels.push_back(widgets::format_number(k, 3));
    // Rows top to bottom: the highest bin first, labelled by its lower edge every few bins.
    for (int b = h.bins - 1; b >= 0; --b) {
      const double edge = h.lo + (h.hi - h.lo) * b / h.bins;
      row_labels.push_back(b % 4 == 0 ? widgets::format_number(edge, 2) : "");
    }
    double vmax = 0.0;
    for (const auto& row : h.fraction)
      for (double f : row)
        if (f > vmax) vmax = f;  // NaN rows (no finished member) are masked, not a level
    LabelledHeatmap hm;
    hm.rows = h.bins;
    hm.cols = static_cast<int>(h.kappas.size());
    hm.value = [&](int i, int j) {
      return h.fraction[static_cast<std::size_t>(j)][static_cast<std::size_t>(h.bins - 1 - i)];
    };
    hm.vmin = 0.0;
    hm.vmax = vmax > 0 ? vmax : 1.0;
    hm.row_labels = &row_labels;
    hm.col_labels = &col_labels;
    hm.thin_labels = false;  // rows: every 4th bin is labelled (0, 0.2, …, 0.8); κ: all
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 a = ImGui::GetContentRegionAvail();
    const float ylab = fs * 1.4f, bar_total = fs * 4.5f;
    // "max s" up the side, "κ" under the labels.
    dl->AddText(ImVec2(p0.x, p0.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), "max s");
    ImVec2 g0, g1;
    const HeatmapHover hv = draw_labelled_heatmap(dl, ImVec2(p0.x, p0.y + ylab), ImVec2(p0.x + a.x - bar_total, p0.y + a.y - ylab),
                                                  hm, false, &g0, &g1);
    dl->AddText(ImVec2((g0.x + g1.x) * 0.5f, g1.y + fs * 1.2f), ImGui::GetColorU32(ImGuiCol_TextDisabled), "κ");
    draw_colorbar(dl, ImVec2(g1.x + fs * 0.8f, g0.y), ImVec2(g1.x + fs * 1.7f, g1.y), widgets::Colormap::viridis, 0.0,
                  hm.vmax);
    ImGui::Dummy(a);
    if (hv.row >= 0) {
      const int bin = h.bins - 1 - hv.row;
      const double lo = h.lo + (h.hi - h.lo) * bin / h.bins, hi = lo + (h.hi - h.lo) / h.bins;
      const std::size_t k = static_cast<std::size_t>(hv.col);
      if (h.ok[k] == 0)
        ImGui::SetTooltip("κ = %s\nno run finished ok (cancelled or failed)", widgets::format_number(h.kappas[k], 4).c_str());
      else
        ImGui::SetTooltip("κ = %s\nmax s in [%.2f, %.2f): %.1f %% of %d runs",
                          widgets::format_number(h.kappas[k], 4).c_str(), lo, hi,
                          100.0 * h.fraction[k][static_cast<std::size_t>(bin)], h.ok[k]);
    }
  } else {
    ImGui::TextDisabled(lab.running() ? "running…" : "no result yet");
  }
  ImGui::EndChild();
  if (lab.result)
    ImGui::TextDisabled("%s   %.0f fps", ensemble_result_caption(lab.ran, *lab.result, lab.shows_previous()).c_str(),
                        app.fps);
  else
    ImGui::TextDisabled("ensemble: many seeds of one preset, in parallel   %.0f fps", app.fps);
}

}  // namespace polarlab::gui
#endif
