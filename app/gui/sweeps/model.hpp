// The Sweeps workspace's data, without ImGui or GL (unit-tested on its own): a sweep's results database
// (SWEEPDIR/results.sqlite, core/sweep/results_store.hpp) read into one immutable snapshot with the report's grids
// (core/sweep/report.hpp: sink proportion, accuracy, flip rate), the runs behind a grid cell, and one run's files
// (runs/<id>/attention.json, metrics.csv, config.json) for its attention maps and curves.
#pragma once
#include <istream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/sweep/report.hpp"
#include "core/transformer/run_files.hpp"  // MetricsTable, AttentionMap and their readers (torch-free)

namespace polarlab::gui {

enum class SweepGridKind { sink, accuracy, flip };

struct SweepGrid {
  SweepGridKind kind = SweepGridKind::sink;
  std::string label;  // "sink λ=0.2", "accuracy λ=0", "flip vocab=41"
  sweep::GridView view;
};

// Everything the workspace shows of one sweep, read on the worker thread and never changed afterwards.
struct SweepData {
  std::string source;    // what the user opened (folder or results.sqlite)
  std::string dir;       // SWEEPDIR (runs/<id> lie under it)
  std::string db;        // SWEEPDIR/results.sqlite
  std::string name;      // plan.json's name, else the folder name
  std::vector<sweep::RunRow> rows;
  std::map<std::string, int> by_status;
  std::vector<SweepGrid> grids;
  double seconds = 0;    // time to read and build the grids
  std::string loaded_at; // local HH:MM:SS

  std::map<std::string, std::size_t> by_id;  // run id → index in rows (index_rows())

  void index_rows();
  const sweep::RunRow* find(const std::string& id) const;  // nullptr when the database has no such run
};

struct SweepPaths {
  std::string dir, db;
};
// A sweep folder or its results.sqlite → both paths. Throws ConfigError naming the problem and what to do.
SweepPaths resolve_sweep_path(const std::string& path);
// Reads the database and builds the grids (throws with a message naming the file).
std::shared_ptr<const SweepData> load_sweep(const std::string& path);
// `polarlab-cli sweep collect` (every run's files into the database), then load_sweep.
std::shared_ptr<const SweepData> collect_and_load(const std::string& path);

std::string grid_label(const sweep::GridView& v);                 // "sink λ=0.2" from the view's name
std::vector<SweepGrid> build_grids(const std::vector<sweep::RunRow>& rows);  // sink, accuracy, flip views
// "6 runs: 4 done, 1 failed, 1 running, 0 pending" (interrupted counts as pending, as run/submit treat it).
std::string status_line(const std::map<std::string, int>& by_status);
// The grid to show first: the first with a value to colour (sink before accuracy before flip), -1 when none.
int default_grid(const std::vector<SweepGrid>& grids);
// The grid named `name` (a view's file stem, e.g. "accuracy_lambda0.2", or its label), else -1.
int find_grid(const std::vector<SweepGrid>& grids, const std::string& name);

// Whether a run's set-up belongs to the cell (attention type, heads, positional type, λ; or vocab, MLP,
// LayerNorm, layers, heads), whatever its status. Parameters the database has no value for yet (a pending run's
// defaults) match anything.
bool row_in_cell(const SweepGrid& g, int panel, int row, int col, const sweep::RunRow& r);
// The cell's runs: those the grid counted (GridCell::run_ids, finished) in their order, then the planned runs of
// the same set-up that have not finished (failed, running, pending, interrupted) for their status and error.
std::vector<const sweep::RunRow*> cell_rows(const SweepData& d, const SweepGrid& g, int panel, int row, int col);
// The swept parameters (the rows' `params` JSON) that take more than one value among these rows, in name order.
std::vector<std::string> varying_params(const std::vector<const sweep::RunRow*>& rows);
// "lr=0.001 seed=2" for those parameters of one row.
std::string params_text(const sweep::RunRow& r, const std::vector<std::string>& names);

// A scripted cell (--sweep-cell VIEW:PANEL:ROW:COL; PANEL may hold colons): the view by name, label or index;
// panel, row and column by index or label. Throws ConfigError naming the part that does not exist.
struct CellRef {
  int grid = -1, panel = -1, row = -1, col = -1;
};
CellRef parse_cell_ref(const std::string& spec, const std::vector<SweepGrid>& grids);

// A run's files are read by core, next to their writer (core/transformer/run_files.hpp).
using transformer::MetricsTable;
using transformer::parse_attention_json;

// One run's files. Each part that cannot be read carries its reason; the rest is still shown.
struct RunDetail {
  std::string id, dir, status, error;  // status/error from the database row
  // The run's config: its config.json as core reads it (read_run_config), else the database's parameters set on a
  // TrainConfig through the field table and resolved; the four below are taken from it.
  transformer::TrainConfig config;
  std::string config_error;            // a config.json that exists but cannot be read
  bool induction = true, causal = true;
  int vocab = 50, labels = 4;
  std::string title;                   // "softmax, concat, 2 layers × 4 heads, λ 0.2, seed 0"
  std::vector<transformer::AttentionMap> maps;
  std::vector<std::vector<double>> scores;  // sink scores [layer][head] (induction), from the database
  MetricsTable metrics;
  long long step = -1;                 // the last logged step (the maps are taken at the end of training)
  std::string maps_error, metrics_error;
};
std::shared_ptr<const RunDetail> load_run(const SweepData& d, const std::string& id);

}  // namespace polarlab::gui
