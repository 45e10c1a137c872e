// The state of one run, in SWEEPDIR/runs/<id>/status.json, written atomically by the process executing the run
// (never by collect): {"state": "started" | "done" | "failed" | "interrupted", "host", "pid", "attempt",
// "backend": "local" | "slurm", "slurm_job", "started_at", "finished_at", "wall_seconds", "exit_code", "error"}.
// SWEEPDIR/runs/<id>/attempts.log gets one appended line per start and per end (O_APPEND), so tests and users
// can see how often a run was executed. While a run executes, its process holds an exclusive flock on
// SWEEPDIR/runs/<id>/.lock: two executors never run the same run at once, and a kill releases it.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace polarlab::sweep {

// A sweep task's state and status (one run of the grid, as its status.json says), not the dynamics'
// polarlab::RunState / RunStatus of a core::Runner.
enum class TaskState { pending, started, done, failed, interrupted };
const char* name_of(TaskState s);
TaskState task_state_from_name(const std::string& s);  // unknown → pending

struct TaskStatus {
  TaskState state = TaskState::pending;
  std::string host, backend, slurm_job, started_at, finished_at, error;
  long long pid = 0;
  int attempt = 0;
  int exit_code = 0;
  double wall_seconds = 0;
};

nlohmann::json to_json(const TaskStatus& s);
TaskStatus status_from_json(const nlohmann::json& j);

// Reads run_dir/status.json; pending when it does not exist or cannot be parsed (a torn write is impossible,
// but a user may have edited it).
TaskStatus read_status(const std::string& run_dir);
void write_status(const std::string& run_dir, const TaskStatus& s);
void append_attempt_log(const std::string& run_dir, const std::string& line);

// True when a "started" status names a process on this host that no longer exists (killed): the run is
// pending again. Runs started on another host count as running.
bool is_stale(const TaskStatus& s);

std::string hostname();
std::string utc_now();  // 2026-11-23T10:00:00Z

}  // namespace polarlab::sweep
