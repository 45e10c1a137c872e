// A heatmap drawn into a given rectangle with text labels on its axes (tokens, κ values, max-s bins), for
// the transformer, ensemble and sweeps workspaces: many small maps share one colour bar, so unlike
// widgets::heatmap this draws no title or colour bar of its own. Labels shrink to fit their cells, then thin
// out. Cells and colour bar are widgets::heatmap's (app/widgets/heatmap.hpp): one implementation of each.
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include "app/widgets/colormap.hpp"
#include "app/widgets/heatmap.hpp"

namespace polarlab::transformer {
struct AttentionMap;  // core/transformer/trainer.hpp
}

namespace polarlab::gui {

struct LabelledHeatmap {
  int rows = 0, cols = 0;
  std::function<double(int, int)> value;      // NaN: masked (drawn grey, hatched)
  widgets::Colormap map = widgets::Colormap::viridis;
  double vmin = 0.0, vmax = 1.0;
  const std::vector<std::string>* row_labels = nullptr;  // left of the grid (null: none)
  const std::vector<std::string>* col_labels = nullptr;  // under the grid (null: none)
  int highlight_col = -1, highlight_row = -1;             // gold outline
  ImU32 frame = IM_COL32(255, 255, 255, 60);
  float frame_thickness = 1.0f;
  bool thin_labels = true;  // false: draw every non-empty label (the caller left gaps itself)
};

// Cells are square when square_cells, else they fill the rectangle. Returns the hovered cell (row, col) or
// (-1, -1). `grid` receives the cells' rectangle.
struct HeatmapHover {
  int row = -1, col = -1;
};
HeatmapHover draw_labelled_heatmap(ImDrawList* dl, ImVec2 p0, ImVec2 p1, const LabelledHeatmap& h, bool square_cells,
                                   ImVec2* grid0 = nullptr, ImVec2* grid1 = nullptr);

// Width a label column needs for these labels at the current font.
float label_width(const std::vector<std::string>& labels);

// A vertical colour bar in [p0, p1] with a few ticks right of it: widgets::draw_colorbar.
using widgets::draw_colorbar;

// The layers × heads attention grid of one eval sequence (transformer/view_attention.cpp), for the live training
// run and for a finished sweep run's attention.json alike: a chooser of the sequence, token labels, the BOS column
// (induction) or CLS row (classification) in gold, each head's score in its title, sink heads framed, hover text.
struct AttentionGridInput {
  const std::vector<transformer::AttentionMap>* maps = nullptr;  // non-empty
  bool induction = true, causal = true;
  int vocab = 50, labels = 4;
  const std::vector<std::vector<double>>* scores = nullptr;  // [layer][head]: sink score / CLS concentration
  long long step = -1;                                       // shown when >= 0
  bool header = true;  // the sequence chooser and the sequence above the grid (a lecture shows the grid alone)
  // Layers from this one (0-based) to the last: a lecture scene shows the layer its caption is about, one row of
  // maps large enough to read from the back of a room.
  int first_layer = 0;
};
void draw_attention_grid(const AttentionGridInput& in, int& sample);

}  // namespace polarlab::gui
