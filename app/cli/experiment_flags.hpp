// The experiment field table's flags (core/experiment/fields.hpp) on a subcommand: simulate, animate and
// ensemble get the same names, help, ranges and refusals from the one table.
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/experiment/fields.hpp"

namespace polarlab::cli {

// Adds a flag for every table field marked `flag` (or only those named in `only`); each value is parsed and
// range-checked as the command line is read (ConfigError naming the flag: exit 2 before any work).
void add_experiment_flags(CLI::App* sub, ExperimentOverrides& o, const std::vector<std::string>& only = {});

}  // namespace polarlab::cli
