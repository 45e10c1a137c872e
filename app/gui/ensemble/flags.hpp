// The ensemble workspace's flags: --ensemble-count starts an ensemble on open.
#pragma once
#include <string>

#include "app/gui/shell/workspace_flags.hpp"

namespace polarlab::gui {

struct EnsembleFlags : WorkspaceFlags {
  int ensemble_count = 0;  // > 0: start an ensemble of this many members per κ on open
  std::string ensemble_preset, kappa_range;

  void add(CLI::App& cli) override;
  std::string check() const override;
};

}  // namespace polarlab::gui
