// A planned sweep on disk. `sweep plan SPEC --out SWEEPDIR` writes (each file atomically):
//   SWEEPDIR/plan.json  {"format": "polarlab-sweep-plan/1", "name", "spec", "created",
//                        "parameters": [{"name", "spec_name", "values"}],
//                        "runs": [{"index", "id", "params": {canonical name: value}}]}
//   SWEEPDIR/spec.yaml  the spec as given
//   SWEEPDIR/runs.tsv   index, id, one column per swept parameter (for grep/awk/pandas)
//   SWEEPDIR/runs/<id>/ created by the run itself (train output + status.json, see run_status.hpp)
#pragma once
#include <string>
#include <vector>

#include "core/sweep/spec.hpp"

namespace polarlab::sweep {

struct Plan {
  std::string dir;   // SWEEPDIR (absolute)
  std::string name;
  std::vector<SweepParameter> parameters;
  std::vector<PlannedRun> runs;

  const PlannedRun* find(const std::string& id) const;  // nullptr when not planned
  std::string run_dir(const std::string& id) const { return dir + "/runs/" + id; }
};

// Parses the spec, expands it and writes the plan into `dir` (created). Re-planning into the same folder keeps
// the finished runs (ids are stable). Returns the plan.
Plan write_plan(const std::string& spec_path, const std::string& dir);
// Reads SWEEPDIR/plan.json. Throws ConfigError when it is missing or malformed.
Plan read_plan(const std::string& dir);

}  // namespace polarlab::sweep
