#include "app/gui/sweeps/flags.hpp"

#include <filesystem>

#include "app/gui/shell/flag_checks.hpp"
#ifdef HAVE_POLARLAB_SWEEP
#include "app/gui/sweeps/model.hpp"
#endif

namespace polarlab::gui {

namespace fs = std::filesystem;

void SweepsFlags::add(CLI::App& cli) {
  CLI::Option* sweep = cli.add_option("--sweep", sweep_dir, "sweeps: open this sweep folder (or its results.sqlite)");
  cli.add_option("--sweep-cell", sweep_cell, "sweeps: then select the cell VIEW:PANEL:ROW:COL "
                 "(names or indices, e.g. accuracy_lambda0.2:0:softmax:1)")
      ->needs(sweep);
  cli.add_option("--sweep-run", sweep_run, "sweeps: then open this run's attention maps")->needs(sweep);
}

std::string SweepsFlags::check() const {
  const SweepsFlags& l = *this;
  if (l.sweep_dir.empty()) {
    if (!l.sweep_cell.empty()) return "--sweep-cell: needs --sweep (the sweep folder the cell is in)";
    if (!l.sweep_run.empty()) return "--sweep-run: needs --sweep (the sweep folder the run is in)";
    return {};
  }
#ifdef HAVE_POLARLAB_SWEEP
  SweepPaths p;
  try {
    p = resolve_sweep_path(l.sweep_dir);
  } catch (const std::exception& e) {
    return "--sweep: " + flag_reason(e);
  }
  std::error_code ec;
  if (!fs::exists(p.db, ec)) {
    if (!fs::exists(fs::path(p.dir) / "plan.json", ec))
      return "--sweep: " + p.dir + " is not a sweep folder (no results.sqlite, no plan.json); make one with "
             "'polarlab-cli sweep plan SPEC --out DIR'";
    // A planned sweep with no results yet opens (its Collect button reads the runs), but has no cells or runs.
    const std::string flag = !l.sweep_cell.empty() ? "--sweep-cell" : "--sweep-run";
    if (!l.sweep_cell.empty() || !l.sweep_run.empty())
      return flag + ": " + p.dir + " has no results database yet: collect it first (polarlab-cli sweep collect " +
             p.dir + ")";
    return {};
  }
  if (l.sweep_cell.empty() && l.sweep_run.empty()) return {};
  std::shared_ptr<const SweepData> d;
  try {
    d = load_sweep(l.sweep_dir);
  } catch (const std::exception& e) {
    return "--sweep: " + flag_reason(e);
  }
  if (!l.sweep_cell.empty()) {
    try {
      parse_cell_ref(l.sweep_cell, d->grids);
    } catch (const std::exception& e) {
      return "--sweep-cell: " + flag_reason(e);
    }
  }
  if (!l.sweep_run.empty() && !d->find(l.sweep_run))
    return "--sweep-run: no run '" + l.sweep_run + "' in " + d->db + " (its runs are the folders in " + d->dir +
           "/runs)";
  return {};
#else
  return "--sweep: the sweep engine is not part of this build (install libyaml-cpp-dev and libsqlite3-dev, then "
         "reconfigure)";
#endif
}

}  // namespace polarlab::gui
