// `sweep report SWEEPDIR --out DIR`: the paper's sweep views from the results database, as PNG heatmaps (figure
// renderer) with a CSV beside each, and DIR/report.md listing the files and the views skipped for lack of data.
//
//   sink_lambda<λ>.png      Figs 4, 14, 15: proportion of sink heads (layer-2 sink score > 0.9) per attention
//                           type (rows) × heads (columns), one panel per positional type. The proportion pools
//                           the layer-2 heads of every successful run (induction accuracy > 0.95) of the cell
//                           (seeds, learning rates, shift): Σ sink heads / Σ heads. Cells without a successful
//                           run are marked × (training failure), cells without runs "–".
//   accuracy_lambda<λ>.png  Figs 16, 17: mean induction accuracy over every finished run of the cell; × as above.
//   flip_vocab<V>.png       Figs 6, 18–21: mean flip rate (summary.json's flip_rate: the max over layers and
//                           heads) of the successful classification runs (accuracy > 0.95) per attention type
//                           (rows) × (layers, heads) (columns), one panel per MLP × LayerNorm combination.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "core/observe/sink_score.hpp"
#include "core/sweep/results_store.hpp"

namespace polarlab::sweep {

inline constexpr double kSuccessAccuracy = 0.95;
using polarlab::kSinkThreshold;  // core/observe/sink_score.hpp: the one threshold

struct GridCell {
  int runs = 0;       // finished runs in the cell
  int successes = 0;  // of which accuracy > 0.95
  double value = NAN;  // NaN: nothing to show (no successful run for sink/flip views, no run at all)
  std::vector<std::string> run_ids;  // the `runs` counted, in row order (the GUI lists them on click)
};

struct GridPanel {
  std::string title;
  std::vector<GridCell> cells;  // row-major: rows × cols of the view
};

struct GridView {
  std::string name;   // file stem: sink_lambda0.2, accuracy_lambda0, flip_vocab41
  std::string title, caption, value_label;
  std::vector<std::string> rows, cols;  // attention types; column labels
  std::string col_title;                // what the columns are ("heads", "layers,heads")
  std::vector<GridPanel> panels;
  const GridCell& cell(int panel, int r, int c) const { return panels[panel].cells[r * cols.size() + c]; }
};

// The views from finished rows (status = done). Empty when the rows hold no run of that task.
std::vector<GridView> sink_views(const std::vector<RunRow>& rows);
std::vector<GridView> accuracy_views(const std::vector<RunRow>& rows);
std::vector<GridView> flip_views(const std::vector<RunRow>& rows);

struct ReportResult {
  std::vector<std::string> files;  // written, relative to the output folder
  std::vector<std::string> notes;  // views skipped and why
};

// Writes the views and report.md into out_dir (created). Throws ConfigError without a results database.
ReportResult write_report(const std::string& sweep_dir, const std::string& out_dir);

}  // namespace polarlab::sweep
