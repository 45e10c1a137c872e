// The results database of a sweep: SWEEPDIR/results.sqlite, written only by `sweep collect` (and `sweep status`,
// which collects first). Runs never touch it: each run writes its own files (runs/<id>/status.json,
// summary.json, config.json) atomically, and collect loads them all in ONE transaction with a busy timeout and an
// idempotent upsert (INSERT ... ON CONFLICT(id) DO UPDATE), so any number of tasks may finish at once on a shared
// filesystem and collect may run any number of times, concurrently too. The journal is SQLite's default rollback
// journal (WAL needs shared memory, which network filesystems lack).
//
// Schema (fixed; one table, one row per planned run; NULL = unknown / not applicable):
//
//   CREATE TABLE runs (
//     id TEXT PRIMARY KEY,           -- stable run id (spec.hpp: run_id), also the folder runs/<id>
//     run_index INTEGER,             -- position in plan.json
//     params TEXT,                   -- JSON object of the swept parameters exactly as planned (canonical names)
//     -- Parameters: the planned value, else the effective value from the run's config.json (NULL before the
//     -- run started). Booleans are 0/1. positional is concat|add|no.
//     task TEXT, attention TEXT, positional TEXT, heads INTEGER, layers INTEGER, lr REAL, aux_weight REAL,
//     seed INTEGER, shift_query INTEGER, vocab INTEGER, labels INTEGER, mlp INTEGER, layernorm INTEGER,
//     causal INTEGER, steps INTEGER, epochs INTEGER, batch_size INTEGER, train_size INTEGER, eval_size INTEGER,
//     log_every INTEGER, checkpoint_every INTEGER, flip_pairs INTEGER, threads INTEGER, device TEXT,
//     -- Metrics from summary.json (done runs; NULL otherwise):
//     eval_accuracy REAL,            -- induction accuracy (last position) / classification accuracy
//     eval_loss REAL,
//     sink_scores TEXT,              -- JSON [layer][head] (induction); NaN stored as null
//     sink_layer2 TEXT,              -- JSON [head]: sink scores of layer 2 (index 1), the paper's layer
//     sink_l2_h0 REAL, ..., sink_l2_h7 REAL,  -- the same, one column per head (NULL past the run's heads)
//     sink_heads TEXT,               -- JSON [layer][head] of booleans: score > 0.9
//     sink_heads_l2 INTEGER,         -- number of sink heads in layer 2
//     flip_rate REAL,                -- classification: max flip rate over layers and heads (summary.json)
//     flip_rates TEXT,               -- JSON [layer][head]
//     trained_steps INTEGER, total_steps INTEGER, seconds_per_step REAL, train_seconds REAL,
//     device_used TEXT,              -- "cpu" / "cuda:0" as the trainer reported
//     -- Execution, from status.json:
//     status TEXT NOT NULL,          -- pending | running | done | failed | interrupted
//                                    -- (interrupted: killed or cancelled; pending again for run/submit;
//                                    --  a "started" run whose process on this host is gone counts as interrupted)
//     error TEXT, exit_code INTEGER, attempts INTEGER, host TEXT, pid INTEGER, backend TEXT, slurm_job TEXT,
//     started_at TEXT, finished_at TEXT,   -- UTC, ISO 8601
//     wall_seconds REAL,             -- wall time of the train process
//     run_dir TEXT,                  -- relative to SWEEPDIR: runs/<id> (attention.json, metrics.csv, ...)
//     collected_at TEXT
//   );
//
// Example: SELECT attention, heads, AVG(sink_heads_l2 * 1.0 / heads) FROM runs
//          WHERE status = 'done' AND eval_accuracy > 0.95 GROUP BY attention, heads;
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/sweep/plan.hpp"

namespace polarlab::sweep {

std::string results_path(const std::string& sweep_dir);  // SWEEPDIR/results.sqlite
// The CREATE TABLE statement above (the source of truth for the columns).
const std::string& runs_table_sql();

struct CollectSummary {
  int rows = 0;  // planned runs written
  std::map<std::string, int> by_status;
};

// Reads every planned run's files and upserts all rows in one transaction. Throws std::runtime_error on a
// database error (after waiting up to busy_timeout_ms for other writers).
CollectSummary collect(const Plan& plan, int busy_timeout_ms = 120000);

// A row as strings/numbers, for reports and tests (read-only query).
struct RunRow {
  std::map<std::string, std::optional<std::string>> text;
  std::map<std::string, std::optional<double>> number;
  std::optional<double> num(const std::string& col) const;
  std::string str(const std::string& col) const;  // "" when NULL
};
std::vector<RunRow> read_rows(const std::string& db_path, const std::string& where = "");

}  // namespace polarlab::sweep
