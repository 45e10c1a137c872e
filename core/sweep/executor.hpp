// Executing planned runs: one run as a child `polarlab-cli train` process (run_task), and the local back end,
// a pool of `polarlab-cli sweep run-task` children (run_local). Torch-free: training happens in the child.
//
// run_task, in order: take the run's flock (busy → return), skip it when done (or failed, unless retrying),
// write status "started" (host, pid), run `EXE train <params> --out SWEEPDIR/runs/<id> --quiet --resume` with
// stdout/stderr appended to runs/<id>/train.log, then write "done" (exit 0 and a summary.json) or "failed" with
// the error text. SIGTERM/SIGINT are forwarded to the trainer and end as "interrupted" (pending again).
// Every child dies with its parent (PR_SET_PDEATHSIG), so killing a sweep kills its runs, which are redone later.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/sweep/plan.hpp"

namespace polarlab::sweep {

enum class TaskOutcome { done, failed, skipped_done, skipped_failed, busy, interrupted };
const char* name_of(TaskOutcome o);
// Exit codes of `sweep run-task`, so the pool can tell outcomes apart.
int exit_code_of(TaskOutcome o);
TaskOutcome outcome_from_exit_code(int code);

struct RunTaskOptions {
  std::string exe;          // polarlab-cli (self_exe())
  bool retry_failed = false;
  int threads = 0;          // --threads for train unless the spec sets it; 0: train's default
  std::string device;       // --device for train unless the spec sets it; empty: train's default
  std::string backend = "local";
  std::string slurm_job;    // "JOBID_TASK" under Slurm
};

TaskOutcome run_task(const Plan& plan, const std::string& id, const RunTaskOptions& opt);
// The id at line `index` (0-based) of an index file (one id per line), as Slurm array tasks use.
std::string id_at_index(const std::string& index_file, int index);

struct LocalOptions {
  std::string exe;
  int jobs = 1;
  bool retry_failed = false;
  std::vector<std::string> only;  // ids; empty: every planned run
  int threads = 0;                // torch threads per run; 0: threads_per_run(jobs)
  std::function<void(const std::string&)> log;  // progress lines
};

struct PoolSummary {
  int planned = 0, launched = 0, done = 0, failed = 0, busy = 0, interrupted = 0;
  int already_done = 0, skipped_failed = 0;
};

// Runs the plan's unfinished runs, `jobs` at once, each as `EXE sweep run-task SWEEPDIR --id ID --threads T`
// (T = opt.threads, or threads_per_run(jobs)); run_task hands T to train as --threads unless the spec sets
// threads. The first log line says how many runs, jobs and threads per run (and where T came from).
PoolSummary run_local(const Plan& plan, const LocalOptions& opt);

// CPUs this process may use: its affinity mask (taskset, cpusets), capped by a cgroup v2 CPU quota (cpu.max,
// docker --cpus) when there is one; at least 1.
int usable_cores();
// The default torch threads per run of a local sweep: max(1, usable_cores() / jobs), so that the runs together
// use the cores once (more threads than cores makes libgomp's spinning workers collapse, see transformer's
// default_threads()).
int threads_per_run(int jobs);

std::string self_exe();  // /proc/self/exe resolved
// The error text of a failed run: the last "error" lines of its train.log (at most ~2,000 characters).
std::string error_excerpt(const std::string& log_path);

}  // namespace polarlab::sweep
