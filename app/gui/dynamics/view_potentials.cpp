// Lyapunov potentials Φ_ij = (G(a_i) − G(a_j))(u_i − u_j) (Appendix D.2): the matrix at the current time
// (click a cell to follow that pair) and the selected pairs over time. Φ comes from core.
#include <algorithm>
#include <cmath>

#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/heatmap.hpp"
#include "core/observe/observables.hpp"

namespace polarlab::gui {

namespace {
constexpr int kMaxHeatmapP = 64;

std::vector<std::pair<int, int>> default_pairs(int p, int winner) {
  std::vector<std::pair<int, int>> out;
  // No winner to emphasise (a run the theorem does not cover, a stuck run: −1): the pairs with coordinate 0. The
  // pairs (−1, j) read a(−1), one element before the vector (ThreadSanitizer saw the worker write there).
  if (winner < 0 || winner >= p) winner = 0;
  for (int j = 0; j < p && out.size() < 4; ++j)
    if (j != winner) out.emplace_back(std::min(winner, j), std::max(winner, j));
  return out;
}
}  // namespace

void view_potentials(AppState& app) {
  History& h = app.runs.front().history;
  if (!h.now() || !h.info) return;
  const Record& now = *h.now();
  note_shown_t(app, "heatmap: Φ", now.t);
  const int p = static_cast<int>(now.a.size());
  const int winner = emphasised_winner(app);
  if (app.pairs_auto) app.pairs = default_pairs(p, winner);
  h.set_pairs(app.pairs);
  const MapKind map = h.info->config.map;
  // Φ is defined where the map has a potential G (normalized maps); the matrix only where the heatmap shows it.
  bool defined = p > 0 && now.u.allFinite();
  for (int i = 0; i < p && defined; ++i) defined = std::isfinite(potential_coordinate(map, now.a(i)));
  const Mat phi = defined && p <= kMaxHeatmapP ? lyapunov_potential(map, now.a, now.u) : Mat();
  ImVec2 avail = ImGui::GetContentRegionAvail();
  // The heatmap keeps a legible size: side by side with the plot when the panel is wide enough, above it
  // otherwise (the panel then scrolls), never shrunk to a dot.
  const float min_side = 160.0f * app.dpi_scale;
  const bool side_by_side = avail.x >= 2 * min_side;
  const float side = side_by_side ? avail.x * 0.5f : std::max(min_side, std::min(avail.x, avail.y));

  if (defined && p <= kMaxHeatmapP) {
    const PhiScale scale = phi_color_scale(phi.cwiseAbs().maxCoeff());
    widgets::HeatmapOptions o;
    o.title = scale.all_zero ? "Φ_ij now: all 0 (a is constant)" : "Φ_ij now (click a pair)";
    o.value_name = "Φ";
    o.map = widgets::Colormap::diverging;
    o.vmin = -scale.max_abs;
    o.vmax = scale.max_abs;
    o.highlight_col = winner;
    o.highlight_row = winner;
    o.size = ImVec2(side, side_by_side ? avail.y : side);
    o.selected = [&](int i, int j) {
      return std::find(app.pairs.begin(), app.pairs.end(), std::make_pair(std::min(i, j), std::max(i, j))) !=
             app.pairs.end();
    };
    const auto click = widgets::heatmap("phi", p, p, [&](int i, int j) { return phi(i, j); }, o);
    if (click.row >= 0 && click.row != click.col) {
      const auto pr = std::make_pair(std::min(click.row, click.col), std::max(click.row, click.col));
      auto it = std::find(app.pairs.begin(), app.pairs.end(), pr);
      if (it != app.pairs.end()) app.pairs.erase(it);
      else app.pairs.push_back(pr);
      app.pairs_auto = false;
    }
    if (side_by_side) ImGui::SameLine();
  } else if (!defined) {
    ImGui::TextWrapped("Φ is not defined for the element-wise map '%s' (no replicator structure).",
                       map_name(map).c_str());
    return;
  } else {
    ImGui::TextDisabled("no Φ heatmap for p = %d > %d (%d² cells are not legible); the plot follows the pairs",
                        p, kMaxHeatmapP, p);
  }
  avail = ImGui::GetContentRegionAvail();

  widgets::PlotOptions o;
  o.title = "Φ_ij(t), selected pairs";
  o.y = widgets::Scale::linear;
  if (!side_by_side) o.size = ImVec2(avail.x, std::max(avail.y, 160.0f * app.dpi_scale));
  widgets::Plot plot("phi_pairs", o);
  std::vector<std::string> labels(h.pairs.size());
  const std::vector<int> colors = pair_color_indices(h.pairs, winner);
  for (std::size_t q = 0; q < h.pairs.size() && q < h.phi.size(); ++q) {
    const auto [i, j] = h.pairs[q];
    labels[q] = "Φ_" + std::to_string(i) + "," + std::to_string(j);
    const int c = colors[q];
    plot.line(labels[q].c_str(), h.t.data(), h.phi[q].data(), std::min(h.t.size(), h.phi[q].size()),
              run_style(app, 0, coord_color(c)));
  }
  plot.hline(0.0, IM_COL32(255, 255, 255, 80));
  plot.end();
}

}  // namespace polarlab::gui
