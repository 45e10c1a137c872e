// The sweeps workspace's flags: --sweep opens a sweep (and its tab), --sweep-cell and --sweep-run select in it.
#pragma once
#include <string>

#include "app/gui/shell/workspace_flags.hpp"

namespace polarlab::gui {

struct SweepsFlags : WorkspaceFlags {
  std::string sweep_dir;   // open this sweep folder (or results.sqlite)
  std::string sweep_cell;  // then select VIEW:PANEL:ROW:COL (sweeps/model.hpp: parse_cell_ref)
  std::string sweep_run;   // and open this run's attention maps

  void add(CLI::App& cli) override;
  std::string check() const override;
  bool opens_tab() const override { return !sweep_dir.empty(); }
};

}  // namespace polarlab::gui
