// A planned sweep on disk. `sweep plan SPEC --out SWEEPDIR` writes (each file atomically):
//   SWEEPDIR/plan.json  {"format": "polarlab-sweep-plan/1", "name", "spec", "created", "id_scheme", "id_rule",
//                        "parameters": [{"name", "spec_name", "values"}],
//                        "runs": [{"index", "id", "params": {canonical name: value}}]}
//   SWEEPDIR/spec.yaml  the spec as given
//   SWEEPDIR/runs.tsv   index, id, one column per swept parameter (for grep/awk/pandas)
//   SWEEPDIR/runs/<id>/ created by the run itself (train output + status.json, see run_status.hpp)
// Run ids are read from plan.json, never recomputed, so a folder keeps working whatever the id rule of the program
// that reads it. "id_scheme" (spec.hpp: run_id) names the rule the ids were made with: 2 now; a plan without the
// key was written with scheme 1. Re-planning into a folder that holds a plan keeps that plan's scheme, so its
// finished runs keep their ids and are not redone.
#pragma once
#include <string>
#include <vector>

#include "core/sweep/spec.hpp"

namespace polarlab::sweep {

struct Plan {
  std::string dir;   // SWEEPDIR (absolute)
  std::string name;
  int id_scheme = kIdScheme;  // the rule its ids were made with (1: plans from before "id_scheme")
  std::vector<SweepParameter> parameters;
  std::vector<PlannedRun> runs;

  const PlannedRun* find(const std::string& id) const;  // nullptr when not planned
  std::string run_dir(const std::string& id) const { return dir + "/runs/" + id; }
};

// Parses the spec, expands it, checks every run's configuration (validate_runs: a grid with a run that train would
// refuse is a ConfigError and nothing is written) and writes the plan into `dir` (created). Re-planning into the
// same folder keeps the finished runs (ids are stable; the folder's id scheme is kept). Returns the plan.
Plan write_plan(const std::string& spec_path, const std::string& dir);
// Reads SWEEPDIR/plan.json. Throws ConfigError when it is missing or malformed.
Plan read_plan(const std::string& dir);

}  // namespace polarlab::sweep
