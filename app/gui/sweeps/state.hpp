// The Sweeps workspace: a sweep's results database (`polarlab-cli sweep run|submit`, then collect) shown as the
// paper's grids (sink proportion, accuracy, flip rate: core/sweep/report.hpp) in heatmaps; a click on a cell lists
// its runs, a click on a run opens its attention maps (runs/<id>/attention.json) and curves (metrics.csv).
// Panels: sweeps/state.cpp (side panel, layout), sweeps/view_grid.cpp (heatmaps), sweeps/view_run.cpp (the cell's
// runs, a run's maps and curves). Reading happens on sweeps_worker's thread.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/gui/sweeps/worker.hpp"

namespace polarlab::gui {

struct AppState;

struct SweepsState {
  char path[1024] = "";
  std::unique_ptr<SweepsWorker> worker;
  std::shared_ptr<const SweepsSnapshot> snap;
  std::string grid_name;            // the view shown (a GridView name: kept across reloads)
  int grid = -1;                    // its index in snap->sweep->grids
  int panel = -1, row = -1, col = -1;  // the selected cell (-1: none)
  std::string run_id;               // the selected run ("": none)
  int sample = 0;                   // eval sequence of the run's maps
  std::string refused;              // a scripted selection that does not exist, shown in red
  // Scripted (--sweep-cell, --sweep-run): applied once, when the first database arrives.
  std::string want_cell, want_run;
  // The selected cell's runs (cell_rows scans every row: once per selection, not per frame).
  struct CellCache {
    std::shared_ptr<const SweepData> data;  // held: the row pointers below point into it
    int grid = -1, panel = -1, row = -1, col = -1;
    std::vector<const sweep::RunRow*> rows;
    std::vector<std::string> varying;
  } cell_cache;

  void open(JobHost& host, bool collect);          // reads `path` on the worker
  void reload(JobHost& host) { open(host, false); }
  void select_run(const std::string& id);
  bool poll();                      // swaps in the worker's snapshot; true when something changed
  const SweepData* data() const { return snap ? snap->sweep.get() : nullptr; }
  const SweepGrid* shown() const;   // null when there is no grid
  bool busy() const { return snap && !snap->busy.empty(); }
  bool has_cell() const { return panel >= 0 && row >= 0 && col >= 0; }
  const CellCache& cell();          // the selected cell's runs (empty without a cell)
};

void draw_sweeps(AppState& app, SweepsState& lab);
void sweeps_controls(AppState& app, SweepsState& lab);
// The grid's heatmaps in the given height; a click selects a cell.
void view_sweeps_grid(AppState& app, SweepsState& lab, float height);
// The selected cell's runs (a table; a click selects a run) and the selected run's maps and curves.
void view_sweeps_cell(AppState& app, SweepsState& lab);
void view_sweeps_run(AppState& app, SweepsState& lab);

}  // namespace polarlab::gui
