// The Slurm back end. `sweep submit SWEEPDIR --slurm` writes
//   SWEEPDIR/slurm/ids-<n>.txt        the unfinished run ids of this submission, one per line
//   SWEEPDIR/slurm/array-<n>.sbatch   #SBATCH --array=0-(k-1)%throttle; each task runs
//                                     polarlab-cli sweep run-task SWEEPDIR --index-file ids-<n>.txt
//                                                                 --index $SLURM_ARRAY_TASK_ID
//   SWEEPDIR/slurm/array.sbatch       a copy of the latest script
//   SWEEPDIR/slurm/jobs.tsv           one line per submission: job id, time, runs, index file
// and submits it with `sbatch --parsable`. Array tasks skip runs finished meanwhile and never run a run that
// another task holds (run_task's flock), so resubmitting is always safe.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/sweep/plan.hpp"

namespace polarlab::sweep {

struct SlurmOptions {
  std::string exe;            // polarlab-cli to run on the nodes (absolute; shared filesystem)
  std::string partition;      // empty: the cluster's default
  std::string time = "02:00:00";
  int gpus = 0;               // per task; > 0 also sets device=cuda unless the spec sets device
  int cpus = 1;               // per task (= train --threads)
  std::string mem;            // e.g. 4G; empty: the cluster's default
  int throttle = 0;           // %K: at most K tasks at once (per array job); 0: no throttle
  int max_array = 1000;       // tasks per array job: Slurm's default MaxArraySize is 1001, so an 8,640-run
                              // sweep becomes 9 array jobs (one ids-<n>.txt / array-<n>.sbatch each)
  bool retry_failed = false;
  std::vector<std::string> extra;  // more #SBATCH lines, e.g. "--account=abc"
  bool dry_run = false;       // write the script, do not call sbatch
};

struct Submission {
  std::vector<std::string> job_ids;  // one per array job; empty on a dry run or when nothing was left to run
  int runs = 0;
  std::vector<std::string> scripts, index_files;
};

// The script text (exposed for tests).
std::string sbatch_script(const Plan& plan, const SlurmOptions& opt, const std::string& index_file, int runs);
Submission submit_slurm(const Plan& plan, const SlurmOptions& opt);

// Job ids recorded in slurm/jobs.tsv (oldest first).
std::vector<std::string> recorded_jobs(const std::string& sweep_dir);

// Runs a command, capturing stdout (stderr too when merge_stderr, else dropped: sacct's "accounting storage is
// disabled") and its exit status. nullopt when it cannot start (e.g. not installed).
struct CommandOutput {
  int status = -1;
  std::string out;
};
std::optional<CommandOutput> run_command(const std::vector<std::string>& argv, bool merge_stderr = false);
bool have_program(const std::string& name);  // on PATH

}  // namespace polarlab::sweep
