// Matrix heatmaps on ImDrawList: one implementation of the cells (coloured by a colormap, masked or NaN
// cells grey and hatched) and of the colour bar, used by the index heatmap below (title, colour bar, hover
// values, an optional highlighted row/column: the predicted winner) and by the labelled heatmaps of the
// transformer, ensemble and sweeps workspaces (app/widgets/labelled_heatmap.hpp).
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "app/widgets/colormap.hpp"

namespace polarlab::widgets {

struct HeatmapOptions {
  const char* title = "";
  const char* row_name = "i";
  const char* col_name = "j";
  const char* value_name = "value";
  Colormap map = Colormap::viridis;
  double vmin = 0.0, vmax = 1.0;  // colour range (symmetric around 0 for the diverging map)
  int highlight_col = -1, highlight_row = -1;
  ImVec2 size{0, 0};              // ≤ 0: fill the available region
  std::function<bool(int, int)> masked;  // true: the cell is masked (causal attention)
  std::function<bool(int, int)> selected;  // true: outline the cell (a selected pair)
};

struct HeatmapClick {
  int row = -1, col = -1;
};

// The cells of a rows × cols map from g0, each cw × ch pixels: value(i, j) mapped from [vmin, vmax] (vmax ≤ vmin:
// a span of 1) through the colormap; NaN cells in the masked grey, hatched when they are at least 6 px wide.
void draw_heatmap_cells(ImDrawList* dl, ImVec2 g0, float cw, float ch, int rows, int cols,
                        const std::function<double(int, int)>& value, Colormap map, double vmin, double vmax);
// A vertical colour bar in [b0, b1] (vmin at the bottom) with as many linear ticks right of it as fit.
void draw_colorbar(ImDrawList* dl, ImVec2 b0, ImVec2 b1, Colormap map, double vmin, double vmax);
// Width the colour bar's labels take right of a bar of this height, at the current font.
float colorbar_label_width(double vmin, double vmax, float height);

// Tests of legibility: the cell grids drawn in the current frame, recorded while record_drawn_text is on (nothing
// is kept otherwise). draw_heatmap_cells notes each grid; a view that knows what its grid shows names it
// (note_heatmap_title, right after drawing the cells).
struct DrawnHeatmap {
  std::string title;
  ImVec2 min, max;
};
const std::vector<DrawnHeatmap>& drawn_heatmaps();
void note_heatmap_title(const std::string& title);

// value(i, j) for 0 ≤ i < rows, 0 ≤ j < cols. Returns the cell clicked this frame, if any.
HeatmapClick heatmap(const char* id, int rows, int cols, const std::function<double(int, int)>& value,
                     const HeatmapOptions& options);

}  // namespace polarlab::widgets
