// The sink model's attention σ(A), rows = queries: every row converges to the sink column.
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/heatmap.hpp"

namespace polarlab::gui {

void view_attention(AppState& app) {
  const History& h = app.runs.front().history;
  const Record* now = h.now();
  if (!now || !h.info) return;
  note_shown_t(app, "heatmap: attention", now->t);
  const Mat& att = now->attention;
  if (att.size() == 0) {
    ImGui::TextWrapped("σ(A) belongs to the sink model: load the sink preset (key 6).");
    return;
  }
  widgets::HeatmapOptions o;
  o.title = "attention σ(A) now: rows = queries, columns = keys";
  o.row_name = "query";
  o.col_name = "key";
  o.value_name = "σ(A)";
  o.map = widgets::Colormap::viridis;
  o.vmin = 0.0;
  o.vmax = 1.0;
  o.highlight_col = predicted_winner(app);  // -1: the theorem predicts none here
  if (h.info->config.causal) o.masked = [](int i, int j) { return j > i; };
  widgets::heatmap("attention", static_cast<int>(att.rows()), static_cast<int>(att.cols()),
                   [&](int i, int j) { return att(i, j); }, o);
}

}  // namespace polarlab::gui
