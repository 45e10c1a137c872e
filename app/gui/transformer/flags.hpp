// The transformer workspace's flags: --train-steps starts a training run on open; the others set its settings.
#pragma once
#include <string>

#include "app/gui/shell/workspace_flags.hpp"

namespace polarlab::gui {

struct TransformerFlags : WorkspaceFlags {
  long long train_steps = 0;  // > 0: start a training run of this many steps on open
  bool train_tiny = false;    // a small model and data set (tests: seconds on 2 cores)
  std::string train_task, train_attention, train_device;
  int train_threads = 0;

  void add(CLI::App& cli) override;
  std::string check() const override;
  bool any() const {
    return train_steps > 0 || train_tiny || !train_task.empty() || !train_attention.empty() || !train_device.empty() ||
           train_threads > 0;
  }
};

}  // namespace polarlab::gui
