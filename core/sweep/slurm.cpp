#include "core/sweep/slurm.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/atomic_file.hpp"
#include "core/sweep/run_status.hpp"
#include "core/types.hpp"

namespace polarlab::sweep {
namespace fs = std::filesystem;

namespace {
std::string quote(const std::string& s) {  // for sh
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}
}  // namespace

bool have_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(ss, dir, ':');)
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
  return false;
}

std::optional<CommandOutput> run_command(const std::vector<std::string>& argv, bool merge_stderr) {
  if (argv.empty() || !have_program(argv[0])) return std::nullopt;
  int fds[2];
  if (::pipe(fds) != 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid < 0) return std::nullopt;
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    if (merge_stderr) ::dup2(fds[1], STDERR_FILENO);
    else if (const int nul = ::open("/dev/null", O_WRONLY); nul >= 0) ::dup2(nul, STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> a;
    for (const auto& s : argv) a.push_back(const_cast<char*>(s.c_str()));
    a.push_back(nullptr);
    ::execvp(a[0], a.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  CommandOutput r;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

std::string sbatch_script(const Plan& plan, const SlurmOptions& opt, const std::string& index_file, int runs) {
  std::ostringstream s;
  const std::string logs = plan.dir + "/slurm/logs";
  s << "#!/bin/bash\n"
    << "# polarlab sweep '" << plan.name << "': " << runs << " runs, one per array task.\n"
    << "# Written by polarlab-cli sweep submit; resubmitting skips finished runs.\n"
    << "#SBATCH --job-name=polarlab-" << plan.name << '\n'
    << "#SBATCH --array=0-" << runs - 1;
  if (opt.throttle > 0) s << '%' << opt.throttle;
  s << '\n'
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << opt.cpus << '\n'
    << "#SBATCH --time=" << opt.time << '\n'
    << "#SBATCH --output=" << logs << "/%A_%a.out\n";
  if (!opt.partition.empty()) s << "#SBATCH --partition=" << opt.partition << '\n';
  if (opt.gpus > 0) s << "#SBATCH --gpus=" << opt.gpus << '\n';
  if (!opt.mem.empty()) s << "#SBATCH --mem=" << opt.mem << '\n';
  for (const auto& e : opt.extra) s << "#SBATCH " << e << '\n';
  s << "set -u\n"
    << "exec " << quote(opt.exe) << " sweep run-task " << quote(plan.dir) << " --index-file " << quote(index_file)
    << " --index \"$SLURM_ARRAY_TASK_ID\" --threads " << opt.cpus << " --backend slurm"
    << (opt.retry_failed ? " --retry-failed" : "") << (opt.gpus > 0 ? " --device cuda" : "") << '\n';
  return s.str();
}

std::vector<std::string> recorded_jobs(const std::string& sweep_dir) {
  std::vector<std::string> jobs;
  std::ifstream in(sweep_dir + "/slurm/jobs.tsv");
  for (std::string l; std::getline(in, l);) {
    if (l.empty() || l[0] == '#') continue;
    jobs.push_back(l.substr(0, l.find('\t')));
  }
  return jobs;
}

Submission submit_slurm(const Plan& plan, const SlurmOptions& opt) {
  if (opt.throttle < 0) throw ConfigError("--throttle", "must be >= 0");
  if (opt.cpus < 1) throw ConfigError("--cpus", "must be >= 1");
  if (!opt.dry_run && !have_program("sbatch"))
    throw ConfigError("--slurm", "sbatch is not on PATH (is this a Slurm login node? --dry-run writes the script only)");
  std::vector<std::string> ids;
  for (const PlannedRun& r : plan.runs) {
    const TaskStatus st = read_status(plan.run_dir(r.id));
    if (st.state == TaskState::done) continue;
    if (st.state == TaskState::failed && !opt.retry_failed) continue;
    ids.push_back(r.id);
  }
  Submission sub;
  sub.runs = static_cast<int>(ids.size());
  if (ids.empty()) return sub;
  if (opt.max_array < 1) throw ConfigError("--max-array", "must be >= 1");
  const std::string sdir = plan.dir + "/slurm";
  fs::create_directories(sdir + "/logs");
  int n = 0;
  for (std::size_t first = 0; first < ids.size(); first += opt.max_array) {
    const std::size_t count = std::min(ids.size() - first, static_cast<std::size_t>(opt.max_array));
    while (fs::exists(sdir + "/ids-" + std::to_string(n) + ".txt")) ++n;
    const std::string index_file = sdir + "/ids-" + std::to_string(n) + ".txt";
    const std::string script = sdir + "/array-" + std::to_string(n) + ".sbatch";
    write_file_atomically(index_file, [&](std::ostream& os) {
      for (std::size_t k = first; k < first + count; ++k) os << ids[k] << '\n';
    });
    const std::string text = sbatch_script(plan, opt, index_file, static_cast<int>(count));
    write_file_atomically(script, [&](std::ostream& os) { os << text; });
    write_file_atomically(sdir + "/array.sbatch", [&](std::ostream& os) { os << text; });
    sub.index_files.push_back(index_file);
    sub.scripts.push_back(script);
    if (opt.dry_run) continue;
    auto r = run_command({"sbatch", "--parsable", script}, true);
    if (!r || r->status != 0)
      throw std::runtime_error("sbatch failed (exit " + std::to_string(r ? r->status : -1) + "): " + (r ? r->out : "") +
                               (sub.job_ids.empty() ? "" : " (earlier array jobs were submitted and recorded)"));
    std::string id = r->out.substr(0, r->out.find_first_of(";\n"));
    if (id.empty()) throw std::runtime_error("sbatch printed no job id: '" + r->out + "'");
    sub.job_ids.push_back(id);
    std::ofstream jobs(sdir + "/jobs.tsv", std::ios::app);
    jobs << id << '\t' << utc_now() << '\t' << count << '\t' << index_file << '\n';
  }
  return sub;
}

}  // namespace polarlab::sweep
