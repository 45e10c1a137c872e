// Matrix heatmap on ImDrawList: cells coloured by a colormap, a colorbar with ticks, hover values,
// masked cells hatched grey, an optional highlighted row/column (the predicted winner).
#pragma once
#include <imgui.h>

#include <functional>

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

// value(i, j) for 0 ≤ i < rows, 0 ≤ j < cols. Returns the cell clicked this frame, if any.
HeatmapClick heatmap(const char* id, int rows, int cols, const std::function<double(int, int)>& value,
                     const HeatmapOptions& options);

}  // namespace polarlab::widgets
