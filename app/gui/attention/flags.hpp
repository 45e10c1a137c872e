// The attention workspace's flag: --attention opens up to two models (and the tab).
#pragma once
#include <string>
#include <vector>

#include "app/gui/shell/workspace_flags.hpp"

namespace polarlab::gui {

struct AttentionFlags : WorkspaceFlags {
  // At most two models, each one argument: a file, shards separated by spaces, or a `polarlab-cli train` run folder
  // (its attention.npy).
  std::vector<std::string> attention_models;

  void add(CLI::App& cli) override;
  std::string check() const override;
  bool opens_tab() const override { return !attention_models.empty(); }
};

}  // namespace polarlab::gui
