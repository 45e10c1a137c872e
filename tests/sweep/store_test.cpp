// The results store and the executor: concurrent finishers and collectors give exactly the right rows; run_task
// records done / failed / busy from a real child process.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <utility>
#include <vector>

#include "core/sweep/executor.hpp"
#include "core/sweep/results_store.hpp"
#include "core/sweep/slurm.hpp"
#include "core/types.hpp"
#include "sweep_test_util.hpp"

namespace sw = polarlab::sweep;

namespace {

nlohmann::json induction_summary(int seed, int heads) {
  nlohmann::json s;
  s["eval_accuracy"] = 0.5 + seed / 1000.0;
  s["eval_loss"] = 0.1;
  s["steps"] = 5;
  s["total_steps"] = 5;
  s["seconds_per_step"] = 0.01 * (seed + 1);
  s["device"] = "cpu";
  nlohmann::json l1 = nlohmann::json::array(), l2 = nlohmann::json::array(), h1 = nlohmann::json::array(),
                 h2 = nlohmann::json::array();
  for (int h = 0; h < heads; ++h) {
    const double v = (seed + h) % 3 == 0 ? 0.95 : 0.2;  // a sink head every third (seed + h)
    l1.push_back(0.1);
    l2.push_back(v);
    h1.push_back(false);
    h2.push_back(v > 0.9);
  }
  s["sink_scores"] = {l1, l2};
  s["sink_heads"] = {h1, h2};
  return s;
}

int expected_sinks(int seed, int heads) {
  int n = 0;
  for (int h = 0; h < heads; ++h) n += (seed + h) % 3 == 0;
  return n;
}

}  // namespace

TEST(SweepStore, ConcurrentFinishersAndCollectorsGiveExactRows) {
  std::string seeds;
  for (int s = 0; s < 48; ++s) seeds += (s ? ", " : "") + std::to_string(s);
  const sw::Plan plan = sweep_test::plan_from_yaml("store_concurrent",
                                                   "method: grid\nparameters:\n  seed: {values: [" + seeds +
                                                       "]}\n  heads: {values: [2, 4]}\n  task: {value: induction}\n");
  ASSERT_EQ(plan.runs.size(), 96u);
  // 12 finisher processes (8 runs each, all at once) and 4 collector processes collecting in a loop meanwhile.
  std::vector<pid_t> kids;
  for (int w = 0; w < 12; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (std::size_t k = w; k < plan.runs.size(); k += 12) {
        const auto& r = plan.runs[k];
        sweep_test::finish_run(plan, r, induction_summary(r.params.at("seed").get<int>(), r.params.at("heads").get<int>()));
      }
      ::_exit(0);
    }
    kids.push_back(pid);
  }
  for (int c = 0; c < 4; ++c) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        for (int k = 0; k < 10; ++k) sw::collect(plan, 60000);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "collector: %s\n", e.what());
        code = 1;
      }
      ::_exit(code);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int st = 0;
    ASSERT_EQ(::waitpid(pid, &st, 0), pid);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "a finisher or a concurrent collect failed";
  }
  const sw::CollectSummary sum = sw::collect(plan);
  EXPECT_EQ(sum.rows, 96);
  EXPECT_EQ(sum.by_status.at("done"), 96);
  const auto rows = sw::read_rows(sw::results_path(plan.dir));
  ASSERT_EQ(rows.size(), 96u);
  std::map<std::string, int> seen;
  for (const auto& row : rows) {
    const int seed = static_cast<int>(*row.num("seed")), heads = static_cast<int>(*row.num("heads"));
    ++seen[row.str("id")];
    EXPECT_EQ(row.str("status"), "done");
    EXPECT_DOUBLE_EQ(*row.num("eval_accuracy"), 0.5 + seed / 1000.0);
    EXPECT_EQ(*row.num("sink_heads_l2"), expected_sinks(seed, heads));
    EXPECT_DOUBLE_EQ(*row.num("sink_l2_h0"), seed % 3 == 0 ? 0.95 : 0.2);
    EXPECT_EQ(row.num("sink_l2_h3").has_value(), heads == 4);
    EXPECT_EQ(nlohmann::json::parse(row.str("sink_layer2")).size(), static_cast<std::size_t>(heads));
    EXPECT_DOUBLE_EQ(*row.num("seconds_per_step"), 0.01 * (seed + 1));
    EXPECT_EQ(row.str("host"), sw::hostname());
    EXPECT_EQ(row.str("task"), "induction");
  }
  EXPECT_EQ(seen.size(), 96u) << "one row per run";
  // Idempotent: collecting again changes nothing but collected_at.
  EXPECT_EQ(sw::collect(plan).rows, 96);
  EXPECT_EQ(sw::read_rows(sw::results_path(plan.dir)).size(), 96u);
  std::filesystem::remove_all(plan.dir);
}

TEST(SweepStore, StatesOfUnfinishedRuns) {
  const sw::Plan plan = sweep_test::plan_from_yaml("store_states", "method: grid\nparameters:\n  seed: {values: [0, 1, 2, 3, 4]}\n");
  sweep_test::finish_run(plan, plan.runs[0], induction_summary(0, 2));
  sweep_test::finish_run(plan, plan.runs[1], {}, sw::TaskState::failed, "train exited with code 3:\nNaN loss");
  sweep_test::finish_run(plan, plan.runs[2], {}, sw::TaskState::started);  // our own pid: alive
  // A started run whose process is gone (a child that already exited): interrupted.
  const pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ::waitpid(gone, nullptr, 0);
  sweep_test::finish_run(plan, plan.runs[3], {}, sw::TaskState::started);
  auto st = sw::read_status(plan.run_dir(plan.runs[3].id));
  st.pid = gone;
  sw::write_status(plan.run_dir(plan.runs[3].id), st);
  const auto sum = sw::collect(plan);
  EXPECT_EQ(sum.by_status.at("done"), 1);
  EXPECT_EQ(sum.by_status.at("failed"), 1);
  EXPECT_EQ(sum.by_status.at("running"), 1);
  EXPECT_EQ(sum.by_status.at("interrupted"), 1);
  EXPECT_EQ(sum.by_status.at("pending"), 1);
  const auto failed = sw::read_rows(sw::results_path(plan.dir), "status = 'failed'");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].str("error"), "train exited with code 3:\nNaN loss");
  EXPECT_FALSE(failed[0].num("eval_accuracy").has_value());
  std::filesystem::remove_all(plan.dir);
}

namespace {
// A stand-in for `polarlab-cli train`: a shell script that writes what train writes, or fails.
std::string fake_trainer(const std::string& dir, bool fail) {
  const std::string path = dir + (fail ? "/fail.sh" : "/ok.sh");
  std::ofstream(path) << "#!/bin/sh\n"
                         "out=''\nwhile [ $# -gt 0 ]; do [ \"$1\" = --out ] && out=$2; shift; done\n"
                      << (fail ? "echo 'polarlab-cli: error: heads: must divide 128' >&2\nexit 2\n"
                               : "echo '{\"eval_accuracy\": 0.97, \"steps\": 5}' > \"$out/summary.json\"\n");
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}
}  // namespace

TEST(SweepExecutor, RunTaskRecordsDoneFailedAndBusy) {
  // (heads 3 would be refused at plan time now; the fake trainer's failure stands for any failing run.)
  const sw::Plan plan = sweep_test::plan_from_yaml("executor", "method: grid\nparameters:\n  heads: {values: [2, 4]}\n");
  sw::RunTaskOptions ok;
  ok.exe = fake_trainer(plan.dir, false);
  sw::RunTaskOptions bad;
  bad.exe = fake_trainer(plan.dir, true);
  const std::string a = plan.runs[0].id, b = plan.runs[1].id;
  EXPECT_EQ(sw::run_task(plan, a, ok), sw::TaskOutcome::done);
  EXPECT_EQ(sw::read_status(plan.run_dir(a)).state, sw::TaskState::done);
  EXPECT_EQ(sw::run_task(plan, a, ok), sw::TaskOutcome::skipped_done) << "a done run is never redone";
  EXPECT_EQ(sw::run_task(plan, b, bad), sw::TaskOutcome::failed);
  const auto st = sw::read_status(plan.run_dir(b));
  EXPECT_EQ(st.state, sw::TaskState::failed);
  EXPECT_EQ(st.exit_code, 2);
  EXPECT_NE(st.error.find("heads: must divide 128"), std::string::npos) << st.error;
  EXPECT_EQ(sw::run_task(plan, b, bad), sw::TaskOutcome::skipped_failed);
  // Retried alone, it succeeds (attempt 2); while another process holds its lock, it is busy.
  const int fd = ::open((plan.run_dir(b) + "/.lock").c_str(), O_RDWR);
  const pid_t holder = ::fork();
  if (holder == 0) {
    ::flock(fd, LOCK_EX);
    ::sleep(30);
    ::_exit(0);
  }
  for (int k = 0; k < 100; ++k) {  // wait until the child holds the lock
    const int probe = ::open((plan.run_dir(b) + "/.lock").c_str(), O_RDWR);
    const bool free = ::flock(probe, LOCK_EX | LOCK_NB) == 0;
    ::close(probe);
    if (!free) break;
    ::usleep(20000);
  }
  ok.retry_failed = true;
  EXPECT_EQ(sw::run_task(plan, b, ok), sw::TaskOutcome::busy);
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);
  ::close(fd);
  EXPECT_EQ(sw::run_task(plan, b, ok), sw::TaskOutcome::done);
  EXPECT_EQ(sw::read_status(plan.run_dir(b)).attempt, 2);
  std::ifstream log(plan.run_dir(b) + "/attempts.log");
  int starts = 0, ends = 0;
  for (std::string l; std::getline(log, l);) starts += l.rfind("start", 0) == 0, ends += l.rfind("end", 0) == 0;
  EXPECT_EQ(starts, 2);
  EXPECT_EQ(ends, 2);
  std::filesystem::remove_all(plan.dir);
}

TEST(SweepSlurm, ScriptsSplitUnderMaxArrayAndSkipFinishedRuns) {
  std::string seeds;
  for (int s = 0; s < 25; ++s) seeds += (s ? ", " : "") + std::to_string(s);
  const sw::Plan plan = sweep_test::plan_from_yaml("slurm_script", "method: grid\nparameters:\n  seed: {values: [" + seeds + "]}\n");
  sweep_test::finish_run(plan, plan.runs[0], {{"eval_accuracy", 1.0}});
  sweep_test::finish_run(plan, plan.runs[1], {}, sw::TaskState::failed, "x");
  sw::SlurmOptions o;
  o.exe = "/opt/polarlab/bin/polarlab-cli";
  o.throttle = 3;
  o.max_array = 10;
  o.partition = "cpu";
  o.dry_run = true;
  const sw::Submission s = sw::submit_slurm(plan, o);
  EXPECT_EQ(s.runs, 23) << "done and failed runs are left out";
  ASSERT_EQ(s.scripts.size(), 3u);
  EXPECT_TRUE(s.job_ids.empty());
  auto read = [](const std::string& f) {
    std::ifstream in(f);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  };
  EXPECT_NE(read(s.scripts[0]).find("\n#SBATCH --array=0-9%3\n"), std::string::npos) << read(s.scripts[0]);
  EXPECT_NE(read(s.scripts[2]).find("\n#SBATCH --array=0-2%3\n"), std::string::npos);
  EXPECT_NE(read(s.scripts[0]).find("\n#SBATCH --partition=cpu\n"), std::string::npos);
  EXPECT_NE(read(s.scripts[1]).find("'/opt/polarlab/bin/polarlab-cli' sweep run-task '" + plan.dir + "' --index-file '" +
                                    s.index_files[1] + "' --index \"$SLURM_ARRAY_TASK_ID\""),
            std::string::npos)
      << read(s.scripts[1]);
  std::vector<std::string> ids;
  for (const auto& f : s.index_files)
    for (int k = 0;; ++k) {
      try {
        ids.push_back(sw::id_at_index(f, k));
      } catch (const polarlab::ConfigError&) {
        break;
      }
    }
  ASSERT_EQ(ids.size(), 23u);
  for (std::size_t k = 0; k < ids.size(); ++k) EXPECT_EQ(ids[k], plan.runs[k + 2].id);
  o.retry_failed = true;
  EXPECT_EQ(sw::submit_slurm(plan, o).runs, 24);
  std::filesystem::remove_all(plan.dir);
}

namespace {
// A stand-in for the program a sweep runs: writes its arguments, one per line, to ARGSDIR/<id or "train">.args and
// does what train or run-task would (train: a summary.json; run-task: exit 0).
std::string recording_exe(const std::string& dir) {
  const std::string path = dir + "/record.sh";
  std::ofstream(path) << "#!/bin/sh\n"
                         "out=''; id=''; prev=''\n"
                         "for a in \"$@\"; do [ \"$prev\" = --out ] && out=$a; [ \"$prev\" = --id ] && id=$a; prev=$a; done\n"
                         "name=${id:-train}\n"
                         "printf '%s\\n' \"$@\" > \"" << dir << "/$name.args\"\n"
                         "[ -n \"$out\" ] && echo '{\"eval_accuracy\": 0.97}' > \"$out/summary.json\"\n"
                         "exit 0\n";
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> v;
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

// The value after `flag` in an argument list ("" when absent).
std::string value_after(const std::vector<std::string>& args, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == flag) return args[i + 1];
  return "";
}
}  // namespace

// Torch threads of a local sweep: max(1, cores / jobs) per run by default, shown in the first line; --threads
// overrides; run-task hands the value to train as --threads unless the spec sets threads.
TEST(SweepExecutor, ThreadsPerRunAreCoresOverJobsUnlessGiven) {
  const int cores = sw::usable_cores();
  EXPECT_GE(cores, 1);
  EXPECT_LE(cores, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  EXPECT_EQ(sw::threads_per_run(1), cores);
  EXPECT_EQ(sw::threads_per_run(2), std::max(1, cores / 2));
  EXPECT_EQ(sw::threads_per_run(4 * cores), 1) << "at least 1";

  const sw::Plan plan = sweep_test::plan_from_yaml("threads", "method: grid\nparameters:\n  seed: {values: [1, 2, 3]}\n");
  const std::string exe = recording_exe(plan.dir);
  for (const auto& [jobs, given] : std::vector<std::pair<int, int>>{{1, 0}, {2, 0}, {3, 0}, {2, 5}}) {
    for (const auto& r : plan.runs) std::filesystem::remove_all(plan.run_dir(r.id));
    sw::LocalOptions lo;
    lo.exe = exe;
    lo.jobs = jobs;
    lo.threads = given;
    std::vector<std::string> log;
    lo.log = [&](const std::string& l) { log.push_back(l); };
    const sw::PoolSummary s = sw::run_local(plan, lo);
    EXPECT_EQ(s.launched, 3);
    const int want = given > 0 ? given : std::max(1, cores / jobs);
    ASSERT_FALSE(log.empty());
    const std::string per_run = std::to_string(want) + (want == 1 ? " torch thread per run" : " torch threads per run");
    EXPECT_NE(log[0].find(per_run), std::string::npos) << log[0];
    EXPECT_NE(log[0].find(given > 0 ? "(--threads)" : "(" + std::to_string(cores) + " cores / " + std::to_string(jobs)),
              std::string::npos)
        << log[0];
    for (const auto& r : plan.runs) {
      const auto args = lines_of(plan.dir + "/" + r.id + ".args");
      ASSERT_GE(args.size(), 3u) << "run-task of " << r.id << " not called";
      EXPECT_EQ(args[0], "sweep");
      EXPECT_EQ(args[1], "run-task");
      EXPECT_EQ(value_after(args, "--threads"), std::to_string(want)) << "jobs " << jobs << " given " << given;
    }
  }

  // run_task: train gets --threads T; a spec that sets threads wins.
  sw::RunTaskOptions to;
  to.exe = exe;
  to.threads = 3;
  EXPECT_EQ(sw::run_task(plan, plan.runs[0].id, to), sw::TaskOutcome::done);
  auto args = lines_of(plan.dir + "/train.args");
  ASSERT_FALSE(args.empty());
  EXPECT_EQ(args[0], "train");
  EXPECT_EQ(value_after(args, "--threads"), "3");
  const sw::Plan fixed = sweep_test::plan_from_yaml("threads_fixed", "method: grid\nparameters:\n  threads: {value: 1}\n");
  to.exe = recording_exe(fixed.dir);
  EXPECT_EQ(sw::run_task(fixed, fixed.runs[0].id, to), sw::TaskOutcome::done);
  args = lines_of(fixed.dir + "/train.args");
  EXPECT_EQ(std::count(args.begin(), args.end(), "--threads"), 1) << "one --threads: the spec's";
  EXPECT_EQ(value_after(args, "--threads"), "1");
  std::filesystem::remove_all(plan.dir);
  std::filesystem::remove_all(fixed.dir);
}
