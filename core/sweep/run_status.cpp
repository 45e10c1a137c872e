#include "core/sweep/run_status.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <fstream>

#include "core/io/atomic_file.hpp"
#include "core/util/enum_names.hpp"

namespace polarlab::sweep {

namespace {
constexpr EnumName<TaskState> kTaskStateNames[] = {{TaskState::pending, "pending"},
                                                   {TaskState::started, "started"},
                                                   {TaskState::done, "done"},
                                                   {TaskState::failed, "failed"},
                                                   {TaskState::interrupted, "interrupted"}};
}  // namespace

const char* name_of(TaskState s) { return polarlab::name_of(kTaskStateNames, s, "pending"); }

TaskState task_state_from_name(const std::string& s) {
  return parse_name(kTaskStateNames, s).value_or(TaskState::pending);
}

nlohmann::json to_json(const TaskStatus& s) {
  nlohmann::json j;
  j["state"] = name_of(s.state);
  j["host"] = s.host;
  j["pid"] = s.pid;
  j["attempt"] = s.attempt;
  j["backend"] = s.backend;
  if (!s.slurm_job.empty()) j["slurm_job"] = s.slurm_job;
  j["started_at"] = s.started_at;
  if (!s.finished_at.empty()) j["finished_at"] = s.finished_at;
  if (s.state == TaskState::done || s.state == TaskState::failed || s.state == TaskState::interrupted) {
    j["wall_seconds"] = s.wall_seconds;
    j["exit_code"] = s.exit_code;
  }
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

TaskStatus status_from_json(const nlohmann::json& j) {
  TaskStatus s;
  s.state = task_state_from_name(j.value("state", ""));
  s.host = j.value("host", "");
  s.pid = j.value("pid", 0LL);
  s.attempt = j.value("attempt", 0);
  s.backend = j.value("backend", "");
  s.slurm_job = j.value("slurm_job", "");
  s.started_at = j.value("started_at", "");
  s.finished_at = j.value("finished_at", "");
  s.wall_seconds = j.value("wall_seconds", 0.0);
  s.exit_code = j.value("exit_code", 0);
  s.error = j.value("error", "");
  return s;
}

TaskStatus read_status(const std::string& run_dir) {
  std::ifstream in(run_dir + "/status.json");
  if (!in) return {};
  try {
    return status_from_json(nlohmann::json::parse(in));
  } catch (const nlohmann::json::exception&) {
    return {};
  }
}

void write_status(const std::string& run_dir, const TaskStatus& s) {
  write_file_atomically(run_dir + "/status.json", [&](std::ostream& os) { os << to_json(s).dump(1) << '\n'; });
}

void append_attempt_log(const std::string& run_dir, const std::string& line) {
  const std::string path = run_dir + "/attempts.log";
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const std::string l = line + "\n";
  // One write(2) of a short line with O_APPEND: lines of concurrent writers never interleave.
  [[maybe_unused]] auto n = ::write(fd, l.data(), l.size());
  ::close(fd);
}

bool is_stale(const TaskStatus& s) {
  if (s.state != TaskState::started) return false;
  if (s.host != hostname() || s.pid <= 0) return false;
  return ::kill(static_cast<pid_t>(s.pid), 0) != 0 && errno == ESRCH;
}

std::string hostname() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown";
  return buf;
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace polarlab::sweep
