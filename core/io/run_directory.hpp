// The run directory the CLI (and the GUI's export) writes: config.json, initial_state.json,
// trajectory.csv, potentials.csv (p <= 32), summary.json, attention.csv for the sink model, and manifest.json
// naming those of them this run wrote.
#pragma once
#include <string>
#include <vector>

#include "core/experiment/runner.hpp"

namespace polarlab {

// Header of trajectory.csv: step,t,loss,entropy,max_s,winner,gamma,gamma_integral,s_*,u_*,a_*,
// then bound,ratio,sv_* (and colnorm_* for the tied model).
std::string trajectory_header(const Experiment& ex, const std::vector<Record>& records);
void write_trajectory_csv(const std::string& path, const Experiment& ex, const std::vector<Record>& records);
// Φ_ij for i < j at every record (only for p ≤ 32: the matrix grows as p²).
void write_potentials_csv(const std::string& path, const Experiment& ex, const std::vector<Record>& records);
// summary.json: status, steps, records, the predicted winner, the final record, the solver's counts; extra is
// merged in (timings).
nlohmann::json run_summary_json(const Runner& runner, const nlohmann::json& extra = {});
// Writes everything; extra is merged into summary.json (timings). The folder is replaced as a whole and gets a
// manifest.json listing its files (core/io/owned_folder.hpp). A folder holding files polarlab did not write is
// refused (ConfigError "dir") unless force; the CLI checks --out itself before the run and passes force.
void write_run_directory(const std::string& dir, const Runner& runner, const nlohmann::json& extra = {},
                         bool force = false);
// Reads trajectory.csv back (for figures and tests): column name → values.
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;
  int column(const std::string& name) const;  // -1 if absent
  std::vector<double> values(const std::string& name) const;
};
Table read_csv_table(const std::string& path);

}  // namespace polarlab
