// polarlab-cli sweep: grids of transformer runs (spec §7) planned from a YAML spec, executed locally or through
// Slurm, collected into SQLite and drawn as the paper's sweep figures. See core/sweep/*.hpp.
#ifdef HAVE_POLARLAB_SWEEP
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>

#include "app/cli/checked_flags.hpp"
#include "app/cli/command.hpp"
#include "core/sweep/executor.hpp"
#include "core/sweep/plan.hpp"
#include "core/sweep/report.hpp"
#include "core/sweep/results_store.hpp"
#include "core/sweep/run_status.hpp"
#include "core/sweep/slurm.hpp"
#include "core/types.hpp"

namespace polarlab::cli {
namespace {
namespace sw = polarlab::sweep;

struct SweepOptions {
  std::string spec, dir, out, id, index_file, backend = "local", device;
  int jobs = 1, threads = 0, index = -1;
  bool local = false, slurm = false, retry_failed = false, dry_run = false;
  std::vector<std::string> only, sbatch_args;
  sw::SlurmOptions so;
};

void print_counts(const std::map<std::string, int>& by) {
  for (const char* s : {"done", "failed", "running", "interrupted", "pending"}) {
    auto it = by.find(s);
    std::printf("  %-12s %d\n", s, it == by.end() ? 0 : it->second);
  }
}

void plan(const SweepOptions& o) {
  checked::check_writable_folder(o.dir, "--out");
  const sw::Plan p = sw::write_plan(o.spec, o.dir);
  int done = 0;
  for (const auto& r : p.runs) done += sw::read_status(p.run_dir(r.id)).state == sw::TaskState::done;
  std::printf("sweep %s: %zu runs over", p.name.c_str(), p.runs.size());
  for (const auto& prm : p.parameters) std::printf(" %s(%zu)", prm.name.c_str(), prm.values.size());
  std::printf("\n  plan: %s/plan.json, runs.tsv", p.dir.c_str());
  if (done) std::printf(" (%d already done)", done);
  if (p.id_scheme != sw::kIdScheme)
    std::printf("\n  ids: scheme %d, kept from the plan already in this folder (its runs keep their ids)", p.id_scheme);
  std::printf("\n  next: polarlab-cli sweep run %s --local --jobs N   or   polarlab-cli sweep submit %s --slurm\n",
              p.dir.c_str(), p.dir.c_str());
}

void run(const SweepOptions& o) {
  if (o.slurm) throw ConfigError("--slurm", "use 'polarlab-cli sweep submit SWEEPDIR --slurm' for Slurm");
  const sw::Plan p = sw::read_plan(o.dir);
  sw::LocalOptions lo;
  lo.exe = sw::self_exe();
  lo.jobs = o.jobs;
  lo.retry_failed = o.retry_failed;
  lo.only = o.only;
  lo.threads = o.threads;
  lo.log = [](const std::string& l) {
    std::printf("%s\n", l.c_str());
    std::fflush(stdout);
  };
  const sw::PoolSummary s = sw::run_local(p, lo);
  const sw::CollectSummary c = sw::collect(p);
  std::printf("ran %d: %d done, %d failed, %d busy elsewhere, %d interrupted; results: %s (%d rows)\n", s.launched,
              s.done, s.failed, s.busy, s.interrupted, sw::results_path(p.dir).c_str(), c.rows);
  if (s.failed) exit_code() = kExitRunFailed;
  if (s.interrupted) exit_code() = 130;
}

void run_task(const SweepOptions& o) {
  const sw::Plan p = sw::read_plan(o.dir);
  std::string id = o.id;
  if (id.empty()) {
    if (o.index_file.empty() || o.index < 0) throw ConfigError("run-task", "give --id ID, or --index-file FILE --index I");
    id = sw::id_at_index(o.index_file, o.index);
  }
  sw::RunTaskOptions to;
  to.exe = sw::self_exe();
  to.retry_failed = o.retry_failed;
  to.threads = o.threads;
  if (to.threads <= 0)
    if (const char* c = std::getenv("SLURM_CPUS_PER_TASK")) to.threads = std::atoi(c);
  to.device = o.device;
  to.backend = o.backend;
  if (const char* j = std::getenv("SLURM_ARRAY_JOB_ID")) {
    const char* t = std::getenv("SLURM_ARRAY_TASK_ID");
    to.slurm_job = std::string(j) + "_" + (t ? t : "?");
  } else if (const char* j2 = std::getenv("SLURM_JOB_ID")) {
    to.slurm_job = j2;
  }
  const sw::TaskOutcome out = sw::run_task(p, id, to);
  std::printf("run %s: %s\n", id.c_str(), sw::name_of(out));
  if (out == sw::TaskOutcome::failed) std::fprintf(stderr, "%s\n", sw::read_status(p.run_dir(id)).error.c_str());
  int code = sw::exit_code_of(out);
  // Under Slurm a skipped run is a successful array task.
  if (o.backend == "slurm" && (out == sw::TaskOutcome::skipped_done || out == sw::TaskOutcome::skipped_failed ||
                               out == sw::TaskOutcome::busy))
    code = 0;
  exit_code() = code;
}

void submit(SweepOptions o) {
  if (!o.slurm) throw ConfigError("submit", "name the back end: --slurm (local runs: polarlab-cli sweep run --local)");
  const sw::Plan p = sw::read_plan(o.dir);
  o.so.exe = sw::self_exe();
  o.so.retry_failed = o.retry_failed;
  o.so.dry_run = o.dry_run;
  o.so.extra = o.sbatch_args;
  const sw::Submission s = sw::submit_slurm(p, o.so);
  if (s.runs == 0) {
    std::printf("nothing to submit: every run is done%s\n", o.retry_failed ? "" : " or failed (--retry-failed)");
    return;
  }
  if (s.job_ids.empty()) {
    std::printf("dry run: %d runs in %zu array script(s), e.g. %s (not submitted)\n", s.runs, s.scripts.size(),
                s.scripts.front().c_str());
  } else {
    std::string ids;
    for (const auto& j : s.job_ids) ids += (ids.empty() ? "" : ", ") + j;
    std::printf("submitted %d runs as %zu array job(s): %s (%s)\n", s.runs, s.job_ids.size(), ids.c_str(),
                s.scripts.back().c_str());
  }
  std::printf("  progress: polarlab-cli sweep status %s\n", p.dir.c_str());
}

void status(const SweepOptions& o) {
  const sw::Plan p = sw::read_plan(o.dir);
  sw::collect(p);
  // The counts as the results store holds them.
  const auto rows = sw::read_rows(sw::results_path(p.dir));
  std::map<std::string, int> by;
  std::vector<const sw::RunRow*> failed;
  for (const auto& r : rows) {
    ++by[r.str("status")];
    if (r.str("status") == "failed") failed.push_back(&r);
  }
  std::printf("sweep %s (%s): %zu runs\n", p.name.c_str(), p.dir.c_str(), rows.size());
  print_counts(by);
  for (std::size_t i = 0; i < failed.size() && i < 10; ++i) {
    std::string e = failed[i]->str("error");
    if (auto nl = e.find('\n'); nl != std::string::npos && nl + 1 < e.size()) e = e.substr(nl + 1);
    if (e.size() > 160) e = e.substr(0, 160) + "...";
    std::printf("  failed %s: %s\n", failed[i]->str("id").c_str(), e.c_str());
  }
  if (failed.size() > 10) std::printf("  ... %zu more failed runs (SELECT id, error FROM runs WHERE status='failed')\n", failed.size() - 10);
  const auto jobs = sw::recorded_jobs(p.dir);
  if (jobs.empty()) return;
  std::string list;
  for (const auto& j : jobs) list += (list.empty() ? "" : ",") + j;
  std::printf("slurm jobs: %s\n", list.c_str());
  if (auto q = sw::run_command({"squeue", "-h", "-j", list, "-o", "%i %T %M %R"})) {
    std::map<std::string, int> states;
    std::istringstream in(q->out);
    int lines = 0;
    for (std::string l; std::getline(in, l);) {
      if (l.empty()) continue;
      std::istringstream ls(l);
      std::string id, st;
      ls >> id >> st;
      ++states[st];
      if (lines++ < 20) std::printf("  squeue: %s\n", l.c_str());
    }
    if (lines == 0) std::printf("  squeue: no queued or running tasks\n");
    for (const auto& [st, n] : states) std::printf("  squeue %s: %d\n", st.c_str(), n);
  } else {
    std::printf("  squeue not available on this machine\n");
  }
  if (auto a = sw::run_command({"sacct", "-n", "-X", "-P", "-j", list, "-o", "JobID,State,ExitCode"});
      a && a->status == 0 && !a->out.empty()) {
    std::map<std::string, int> states;
    std::istringstream in(a->out);
    for (std::string l; std::getline(in, l);) {
      auto f = l.find('|'), g = l.find('|', f + 1);
      if (f != std::string::npos) ++states[l.substr(f + 1, g - f - 1)];
    }
    for (const auto& [st, n] : states) std::printf("  sacct %s: %d\n", st.c_str(), n);
  }
}

void collect(const SweepOptions& o) {
  const sw::Plan p = sw::read_plan(o.dir);
  const sw::CollectSummary c = sw::collect(p);
  std::printf("collected %d runs into %s\n", c.rows, sw::results_path(p.dir).c_str());
  print_counts(c.by_status);
}

void report(const SweepOptions& o) {
  const sw::Plan p = sw::read_plan(o.dir);
  std::string out = o.out;  // "figs/" → "figs": one separator in the paths printed and written
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  checked::check_writable_folder(out, "--out");  // before the collect and the figures
  sw::collect(p);
  const sw::ReportResult r = sw::write_report(p.dir, out);
  std::printf("report: %s/report.md (%zu files)\n", out.c_str(), r.files.size());
  for (const auto& n : r.notes) std::printf("  %s\n", n.c_str());
}

RegisterCommand reg("sweep", 40, [](CLI::App& app) {
  static SweepOptions o;
  auto* sweep = app.add_subcommand("sweep", "Grids of transformer runs: plan, run (local or Slurm), collect, report");
  sweep->require_subcommand(1);

  auto* p = sweep->add_subcommand("plan", "Expand a grid spec (YAML, wandb format) into SWEEPDIR/plan.json");
  p->add_option("SPEC", o.spec, "Sweep spec (assets/sweeps/*.yaml)")->required()->check(CLI::ExistingFile);
  p->add_option("--out", o.dir, "Sweep folder")->required();
  p->callback([] { plan(o); });

  auto* r = sweep->add_subcommand("run", "Run the unfinished runs on this machine (process pool): each run writes "
                                         "SWEEPDIR/runs/ID/, and at the end the results are collected into "
                                         "SWEEPDIR/results.sqlite");
  r->add_option("SWEEPDIR", o.dir, "Planned sweep folder (sweep plan --out)")->required();
  r->add_flag("--local", o.local, "The local back end (the default)");
  r->add_flag("--slurm", o.slurm, "Refused: Slurm runs go through 'sweep submit SWEEPDIR --slurm'");
  r->add_option("--jobs,-j", o.jobs, "Runs at once")->check(integer_in(1, 1024));
  r->add_option("--threads", o.threads, "Torch threads per run (0: cores / jobs, at least 1)")
      ->check(integer_in(0, 256));
  r->add_flag("--retry-failed", o.retry_failed, "Run failed runs again");
  r->add_option("--only", o.only, "Only these run ids (repeat the flag or list them)");
  r->callback([] { run(o); });

  auto* t = sweep->add_subcommand("run-task", "Execute one planned run (what each local job and Slurm array task runs)");
  t->add_option("SWEEPDIR", o.dir, "Planned sweep folder")->required();
  t->add_option("--id", o.id, "Run id (runs.tsv)");
  t->add_option("--index-file", o.index_file, "File of run ids, one per line")->check(CLI::ExistingFile);
  t->add_option("--index", o.index, "0-based line of --index-file (e.g. $SLURM_ARRAY_TASK_ID)")
      ->check(integer_in(0, std::numeric_limits<int>::max()));
  t->add_option("--threads", o.threads, "Torch threads (0: $SLURM_CPUS_PER_TASK, else train's default)")
      ->check(integer_in(0, 256));
  t->add_option("--device", o.device, "train --device unless the spec sets it")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  t->add_option("--backend", o.backend, "Back end recorded in status.json; slurm: skipped and busy runs exit 0")
      ->check(CLI::IsMember({"local", "slurm"}));
  t->add_flag("--retry-failed", o.retry_failed, "Run it again when it failed before");
  t->callback([] { run_task(o); });

  auto* s = sweep->add_subcommand("submit", "Submit the unfinished runs as a Slurm job array (sbatch --array)");
  s->add_option("SWEEPDIR", o.dir, "Planned sweep folder (on a filesystem the nodes share)")->required();
  s->add_flag("--slurm", o.slurm, "The Slurm back end");
  s->add_option("--partition", o.so.partition, "Slurm partition (default: the cluster's)");
  s->add_option("--time", o.so.time, "Time limit per run (HH:MM:SS)");
  s->add_option("--gpus", o.so.gpus, "GPUs per run (> 0: train on cuda)")->check(integer_in(0, 64));
  s->add_option("--cpus", o.so.cpus, "CPUs per run (= torch threads)")->check(integer_in(1, 256));
  s->add_option("--mem", o.so.mem, "Memory per run, e.g. 4G (default: the cluster's)");
  s->add_option("--throttle", o.so.throttle, "At most K array tasks at once (%K, per array job; 0: no limit)")
      ->check(integer_in(0, 1000000));
  s->add_option("--max-array", o.so.max_array, "Tasks per array job (Slurm's MaxArraySize; default 1000)")
      ->check(integer_in(1, 10000000));
  s->add_option("--sbatch-arg", o.sbatch_args, "Extra #SBATCH line, e.g. --sbatch-arg=--account=abc");
  s->add_flag("--retry-failed", o.retry_failed, "Include failed runs");
  s->add_flag("--dry-run", o.dry_run, "Write the script, do not submit");
  s->callback([] { submit(o); });

  auto* st = sweep->add_subcommand("status", "Collect, then count the runs by state (done, failed, running, "
                                            "interrupted, pending), list failed runs' errors, and show the Slurm "
                                            "queue of submitted jobs");
  st->add_option("SWEEPDIR", o.dir, "Sweep folder")->required();
  st->callback([] { status(o); });

  auto* c = sweep->add_subcommand("collect",
                                  "Load every run's files into SWEEPDIR/results.sqlite (one transaction, idempotent "
                                  "upsert)");
  c->add_option("SWEEPDIR", o.dir, "Sweep folder")->required();
  c->callback([] { collect(o); });

  auto* rep = sweep->add_subcommand("report", "Draw the paper's sweep figures (PNG + CSV) and report.md");
  rep->add_option("SWEEPDIR", o.dir, "Sweep folder")->required();
  rep->add_option("--out", o.out, "Output folder")->required();
  rep->callback([] { report(o); });
});

}  // namespace
}  // namespace polarlab::cli
#endif  // HAVE_POLARLAB_SWEEP
