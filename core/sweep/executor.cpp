#include "core/sweep/executor.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <csignal>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/job/job.hpp"
#include "core/sweep/run_status.hpp"
#include "core/transformer/run_files.hpp"
#include "core/types.hpp"
#include "core/util/enum_names.hpp"

namespace polarlab::sweep {
namespace fs = std::filesystem;

namespace {
constexpr EnumName<TaskOutcome> kTaskOutcomeNames[] = {
    {TaskOutcome::done, "done"},
    {TaskOutcome::failed, "failed"},
    {TaskOutcome::skipped_done, "already done"},
    {TaskOutcome::skipped_failed, "failed before (use --retry-failed)"},
    {TaskOutcome::busy, "running elsewhere"},
    {TaskOutcome::interrupted, "interrupted"}};
}  // namespace

const char* name_of(TaskOutcome o) { return polarlab::name_of(kTaskOutcomeNames, o); }

int exit_code_of(TaskOutcome o) {
  switch (o) {
    case TaskOutcome::done: return 0;
    case TaskOutcome::failed: return 3;
    case TaskOutcome::skipped_done: return 10;
    case TaskOutcome::skipped_failed: return 11;
    case TaskOutcome::busy: return 75;
    case TaskOutcome::interrupted: return 130;
  }
  return 1;
}

TaskOutcome outcome_from_exit_code(int code) {
  switch (code) {
    case 0: return TaskOutcome::done;
    case 10: return TaskOutcome::skipped_done;
    case 11: return TaskOutcome::skipped_failed;
    case 75: return TaskOutcome::busy;
    case 130: case 143: return TaskOutcome::interrupted;
    default: return TaskOutcome::failed;
  }
}

std::string self_exe() {
  std::error_code ec;
  auto p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("polarlab-cli") : p.string();
}

std::string error_excerpt(const std::string& log_path) {
  std::ifstream in(log_path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (auto cr = l.rfind('\r'); cr != std::string::npos) l = l.substr(cr + 1);  // progress lines
    if (!l.empty()) lines.push_back(l);
  }
  std::string picked;
  for (const auto& l : lines)
    if (l.find("error") != std::string::npos || l.find("Error") != std::string::npos ||
        l.find("what()") != std::string::npos)
      picked += (picked.empty() ? "" : "\n") + l;
  if (picked.empty())
    for (std::size_t i = lines.size() > 5 ? lines.size() - 5 : 0; i < lines.size(); ++i)
      picked += (picked.empty() ? "" : "\n") + lines[i];
  if (picked.size() > 2000) picked = "..." + picked.substr(picked.size() - 2000);
  return picked;
}

std::string id_at_index(const std::string& index_file, int index) {
  std::ifstream in(index_file);
  if (!in) throw ConfigError("--index-file", "cannot read '" + index_file + "'");
  int k = 0;
  for (std::string l; std::getline(in, l);) {
    if (l.empty()) continue;
    if (k++ == index) return l;
  }
  throw ConfigError("--index", std::to_string(index) + " is past the end of '" + index_file + "' (" +
                                   std::to_string(k) + " ids)");
}

namespace {

std::atomic<pid_t> g_child{0};
std::atomic<int> g_signal{0};
extern "C" void forward_signal(int sig) {
  g_signal = sig;
  const pid_t c = g_child.load();
  if (c > 0) ::kill(c, sig);
}

// fork + exec with the child dying with us; stdout/stderr to `log` (appended) when given.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(143);  // the parent died before prctl
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    if (!log.empty()) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, STDOUT_FILENO);
        ::dup2(fd, STDERR_FILENO);
        ::close(fd);
      }
      const int nul = ::open("/dev/null", O_RDONLY);
      if (nul >= 0) ::dup2(nul, STDIN_FILENO), ::close(nul);
    }
    ::execv(args[0], args.data());
    std::fprintf(stderr, "polarlab-cli: cannot execute '%s': %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  return pid;
}

int wait_exit(pid_t pid, int* signal_out) {
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  if (WIFSIGNALED(st)) {
    if (signal_out) *signal_out = WTERMSIG(st);
    return 128 + WTERMSIG(st);
  }
  return WEXITSTATUS(st);
}

// Holds runs/<id>/.lock for the lifetime of the object.
struct RunLock {
  int fd = -1;
  explicit RunLock(const std::string& path) {
    fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd >= 0 && ::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ~RunLock() {
    if (fd >= 0) ::close(fd);
  }
  bool held() const { return fd >= 0; }
};

}  // namespace

TaskOutcome run_task(const Plan& plan, const std::string& id, const RunTaskOptions& opt) {
  const PlannedRun* run = plan.find(id);
  if (!run) throw ConfigError("--id", "run '" + id + "' is not in the plan of '" + plan.dir + "'");
  const std::string dir = plan.run_dir(id);
  fs::create_directories(dir);
  RunLock lock(dir + "/.lock");
  if (!lock.held()) return TaskOutcome::busy;
  TaskStatus prev = read_status(dir);
  if (prev.state == TaskState::done) return TaskOutcome::skipped_done;
  if (prev.state == TaskState::failed && !opt.retry_failed) return TaskOutcome::skipped_failed;

  TaskStatus st;
  st.state = TaskState::started;
  st.host = hostname();
  st.pid = ::getpid();
  st.attempt = prev.attempt + 1;
  st.backend = opt.backend;
  st.slurm_job = opt.slurm_job;
  st.started_at = utc_now();
  write_status(dir, st);
  append_attempt_log(dir, "start " + st.started_at + " host=" + st.host + " pid=" + std::to_string(st.pid) +
                              " attempt=" + std::to_string(st.attempt) + " backend=" + st.backend +
                              (st.slurm_job.empty() ? "" : " slurm_job=" + st.slurm_job));

  std::vector<std::string> argv = {opt.exe.empty() ? self_exe() : opt.exe, "train"};
  for (auto& a : train_arguments(run->params)) argv.push_back(std::move(a));
  if (!run->params.count("threads") && opt.threads > 0) {
    argv.push_back("--threads");
    argv.push_back(std::to_string(opt.threads));
  }
  if (!run->params.count("device") && !opt.device.empty()) {
    argv.push_back("--device");
    argv.push_back(opt.device);
  }
  for (const char* a : {"--out", dir.c_str(), "--quiet", "--resume"}) argv.emplace_back(a);
  {
    std::ofstream log(dir + "/train.log", std::ios::app);
    log << "# " << utc_now() << " attempt " << st.attempt << ":";
    for (const auto& a : argv) log << ' ' << a;
    log << '\n';
  }

  const double t0 = monotonic_seconds();
  g_signal = 0;
  auto old_term = std::signal(SIGTERM, forward_signal);
  auto old_int = std::signal(SIGINT, forward_signal);
  int sig = 0, code = -1;
  std::string spawn_error;
  try {
    const pid_t pid = spawn(argv, dir + "/train.log");
    g_child = pid;
    if (g_signal) ::kill(pid, g_signal.load());
    code = wait_exit(pid, &sig);
  } catch (const std::exception& e) {
    spawn_error = e.what();
  }
  g_child = 0;
  std::signal(SIGTERM, old_term);
  std::signal(SIGINT, old_int);

  st.finished_at = utc_now();
  st.wall_seconds = monotonic_seconds() - t0;
  st.exit_code = code;
  TaskOutcome outcome;
  if (g_signal || code == 130 || code == 128 + SIGTERM || code == 128 + SIGINT) {
    st.state = TaskState::interrupted;
    st.error = "interrupted by signal " + std::to_string(g_signal ? g_signal.load() : sig);
    outcome = TaskOutcome::interrupted;
  } else if (code == 0) {
    const auto summary = transformer::read_summary(dir);  // core's reader of the trainer's summary.json
    const bool ok = summary && summary->contains("eval_accuracy");
    st.state = ok ? TaskState::done : TaskState::failed;
    if (!ok) st.error = "train exited 0 but wrote no readable summary.json";
    outcome = ok ? TaskOutcome::done : TaskOutcome::failed;
  } else {
    st.state = TaskState::failed;
    st.error = !spawn_error.empty() ? spawn_error
               : sig ? "train killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")\n" +
                           error_excerpt(dir + "/train.log")
                     : "train exited with code " + std::to_string(code) + ":\n" + error_excerpt(dir + "/train.log");
    outcome = TaskOutcome::failed;
  }
  write_status(dir, st);
  append_attempt_log(dir, std::string("end ") + st.finished_at + " state=" + name_of(st.state) +
                              " exit=" + std::to_string(code) + " attempt=" + std::to_string(st.attempt));
  return outcome;
}

int usable_cores() {
  int n = 0;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
  if (n <= 0) n = static_cast<int>(std::thread::hardware_concurrency());
  // cgroup v2: "QUOTA PERIOD" or "max PERIOD" in the process's cgroup (the container's root in docker).
  std::string cg = "/";
  {
    std::ifstream in("/proc/self/cgroup");
    for (std::string l; std::getline(in, l);)
      if (l.rfind("0::", 0) == 0) cg = l.substr(3);
  }
  for (const std::string& dir : {"/sys/fs/cgroup" + cg, std::string("/sys/fs/cgroup")}) {
    std::ifstream in(dir + "/cpu.max");
    std::string quota;
    double period = 0;
    if (!(in >> quota >> period)) continue;
    if (quota != "max" && period > 0) {
      const double q = std::atof(quota.c_str());
      if (q > 0) n = std::min(n, std::max(1, static_cast<int>(std::ceil(q / period))));
    }
    break;
  }
  return std::max(1, n);
}

int threads_per_run(int jobs) { return std::max(1, usable_cores() / std::max(1, jobs)); }

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_stop(int) { g_stop = true; }
}  // namespace

PoolSummary run_local(const Plan& plan, const LocalOptions& opt) {
  PoolSummary s;
  auto log = [&](const std::string& l) {
    if (opt.log) opt.log(l);
  };
  std::set<std::string> only(opt.only.begin(), opt.only.end());
  for (const auto& id : only)
    if (!plan.find(id)) throw ConfigError("--only", "run '" + id + "' is not in the plan (see " + plan.dir + "/runs.tsv)");
  std::deque<const PlannedRun*> todo;
  for (const PlannedRun& r : plan.runs) {
    if (!only.empty() && !only.count(r.id)) continue;
    ++s.planned;
    const TaskStatus st = read_status(plan.run_dir(r.id));
    if (st.state == TaskState::done) {
      ++s.already_done;
      continue;
    }
    if (st.state == TaskState::failed && !opt.retry_failed) {
      ++s.skipped_failed;
      continue;
    }
    todo.push_back(&r);
  }
  const int jobs = std::max(1, opt.jobs);
  const int threads = opt.threads > 0 ? opt.threads : threads_per_run(jobs);
  const std::string why = opt.threads > 0 ? "--threads"
                                          : std::to_string(usable_cores()) + " cores / " + std::to_string(jobs) +
                                                (jobs == 1 ? " job" : " jobs") + "; --threads T to change";
  log("sweep " + plan.name + ": " + std::to_string(s.planned) + " runs, " + std::to_string(s.already_done) +
      " already done, " + std::to_string(s.skipped_failed) + " failed before" +
      (s.skipped_failed ? " (rerun them with --retry-failed)" : "") + ", " + std::to_string(todo.size()) +
      " to run with " + std::to_string(jobs) + (jobs == 1 ? " job" : " jobs") + " x " + std::to_string(threads) +
      " torch " + (threads == 1 ? "thread" : "threads") + " per run (" + why + ")");

  g_stop = false;
  auto old_int = std::signal(SIGINT, on_stop);
  auto old_term = std::signal(SIGTERM, on_stop);
  std::map<pid_t, const PlannedRun*> running;
  const std::string exe = opt.exe.empty() ? self_exe() : opt.exe;
  const std::size_t total = todo.size();
  std::size_t finished = 0;
  while (!todo.empty() || !running.empty()) {
    while (!g_stop && !todo.empty() && static_cast<int>(running.size()) < jobs) {
      const PlannedRun* r = todo.front();
      todo.pop_front();
      std::vector<std::string> argv = {exe, "sweep", "run-task", plan.dir, "--id", r->id, "--threads",
                                       std::to_string(threads)};
      if (opt.retry_failed) argv.push_back("--retry-failed");
      running[spawn(argv, "")] = r;
      ++s.launched;
    }
    if (running.empty()) break;
    int st = 0;
    const pid_t pid = ::waitpid(-1, &st, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const PlannedRun* r = it->second;
    running.erase(it);
    const int code = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
    const TaskOutcome o = outcome_from_exit_code(code);
    ++finished;
    switch (o) {
      case TaskOutcome::done: case TaskOutcome::skipped_done: ++s.done; break;
      case TaskOutcome::failed: ++s.failed; break;
      case TaskOutcome::busy: ++s.busy; break;
      case TaskOutcome::interrupted: ++s.interrupted; break;
      case TaskOutcome::skipped_failed: ++s.skipped_failed; break;
    }
    std::string line = "[" + std::to_string(finished) + "/" + std::to_string(total) + "] " + r->id + " " + name_of(o);
    if (o == TaskOutcome::failed) {
      const TaskStatus rs = read_status(plan.run_dir(r->id));
      line += ": " + (rs.error.empty() ? "run-task exited with code " + std::to_string(code) : rs.error);
    }
    log(line);
  }
  std::signal(SIGINT, old_int);
  std::signal(SIGTERM, old_term);
  if (g_stop) log("stopped by a signal: " + std::to_string(todo.size()) + " runs not started; rerun to continue");
  return s;
}

}  // namespace polarlab::sweep
