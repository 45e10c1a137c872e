// Ensembles: many initializations of one model (different seeds, optionally a range of κ)
// integrated in parallel, reduced to the probability of polarization and of the predicted winner.
// This is the phase diagram the paper does not draw: how often does the flow pick argmax u(0)?
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/experiment/config.hpp"
#include "core/job/job.hpp"

namespace polarlab {

struct EnsembleOptions {
  int count = 1000;              // initializations per κ
  std::vector<double> kappas;    // empty: the config's κ only
  std::int64_t first_seed = 0;   // member i uses seed first_seed + i (checked to stay a 32-bit seed)
  int threads = 0;               // 0: all hardware threads
  double polarized_threshold = 0.9;
};

// The options checked before any member runs (CLI, Python and the GUI alike; messages use the CLI's flags):
// count in [1, 10⁷], every seed first_seed .. first_seed + count − 1 a 32-bit seed (no wrap), threads in
// [0, 256], the threshold in (0, 1), κ values only for the regression model, each finite and >= 1.
void check_ensemble_options(const ExperimentConfig& base, const EnsembleOptions& opt);

struct EnsembleMember {
  double kappa = 1.0;
  std::uint32_t seed = 0;
  double max_s = 0.0;
  double entropy = 0.0;
  double loss = 0.0;
  int winner = -1;
  int predicted_winner = -1;
  bool ok = false;    // false: the run stopped on a numerical fault, or never ran
  bool done = false;  // false: cancelled before it ran (neither a result nor a failure)
};

// The statistics are over the `count` members that finished ok; with none they are NaN (no value), not 0.
struct EnsembleSummary {
  double kappa = 1.0;
  int count = 0;       // finished ok
  int failed = 0;      // ran and stopped on a numerical fault
  int planned = 0;     // members asked for at this κ
  int unfinished = 0;  // cancelled before they ran: planned = count + failed + unfinished
  double p_polarized = 0.0;         // P(max s > threshold)
  double p_predicted_winner = 0.0;  // P(winner == argmax u(0))
  double max_s_mean = 0.0;
  double max_s_q10 = 0.0, max_s_q50 = 0.0, max_s_q90 = 0.0;
  int finished() const { return count + failed; }
};

struct EnsembleResult {
  std::vector<EnsembleMember> members;  // every planned member, ordered by κ, then seed
  std::vector<EnsembleSummary> summaries;
  std::size_t finished = 0;  // members that ran (ok or failed); fewer than members.size() when cancelled
  double seconds = 0.0;
  bool complete() const { return finished == members.size(); }
};

// Runs one member (its κ and seed over `base`) to the end and fills its results; false when the job was
// cancelled before it ended (checked between slices of at most 50 ms; a pause holds it there): the member stays
// not done.
bool run_member(EnsembleMember& member, const ExperimentConfig& base, JobControl* job = nullptr);

// An ensemble is a job (core/job): its progress counts finished members, a pause holds every worker thread
// between slices, a cancel stops early: members not run keep done = false and are left out of the summaries
// (counted as unfinished, not failed). progress(done, total) is also called from the worker threads.
EnsembleResult run_ensemble(const ExperimentConfig& base, const EnsembleOptions& opt, JobControl* job = nullptr,
                            const std::function<void(std::size_t, std::size_t)>& progress = {});

// run_ensemble in parts, for a caller that runs the members itself (the GUI's inline executor: a few members per
// frame). plan_ensemble validates and lists the members (none run, finished 0); finish_ensemble counts the
// finished members and summarizes them.
EnsembleResult plan_ensemble(const ExperimentConfig& base, const EnsembleOptions& opt);
void finish_ensemble(EnsembleResult& result, const EnsembleOptions& opt, double seconds);

std::vector<EnsembleSummary> summarize_ensemble(const std::vector<EnsembleMember>& members,
                                                double polarized_threshold);

}  // namespace polarlab
