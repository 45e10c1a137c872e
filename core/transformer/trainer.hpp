// Trains one transformer of spec §7 with AdamW and measures its heads. Torch-free: the libtorch part is an
// engine (trainer_engine.hpp) from the plugin that torch_plugin.hpp loads when the first Trainer is made, so the
// CLI and the GUI neither include nor load libtorch until something trains. One trainer belongs to one worker thread; the control
// calls (pause, cancel) and progress() may come from any thread.
#pragma once
#include "core/job/job.hpp"
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/transformer/config.hpp"
#include "core/transformer/trainer_types.hpp"

namespace polarlab::transformer {

class TrainerEngine;

// A training is a job (core/job): its state is the job's, named as every job's state is.
using TrainState = JobState;
inline const char* name_of(TrainState s) { return job_state_name(s); }

// Written by the training thread, read by anyone.
struct Progress {
  std::atomic<long long> step{0};
  std::atomic<long long> total{0};
  std::atomic<double> seconds{0};      // training wall time, resumes included
  std::atomic<double> eta_seconds{0};  // from this session's mean step time
  double fraction() const { const long long t = total.load(); return t > 0 ? double(step.load()) / t : 0.0; }
};

class Trainer {
 public:
  // Builds data, model (torch::manual_seed(seed)) and optimizer; throws ConfigError for bad configs,
  // --device cuda without a GPU, or a libtorch plugin that cannot be loaded (field "libtorch").
  explicit Trainer(TrainConfig config);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  const TrainConfig& config() const;
  std::string device() const;        // "cpu" or "cuda"
  static bool cuda_available();        // these two load the plugin (throw ConfigError when it cannot)
  static std::string torch_version();
  long long num_parameters() const;
  long long step() const;            // optimizer steps taken
  long long total_steps() const;
  bool done() const { return step() >= total_steps(); }

  double train_step();               // one AdamW step on the next batch; returns its loss
  Evaluation evaluate(bool with_maps = true);
  FlipRate flip_rate(int pairs);     // classification; deterministic in the seed
  std::vector<ClsAttentionRecord> cls_attention();  // classification: one record per label
  EvalAttention eval_attention(int max_samples);    // the first max_samples eval sequences (fewer if the set is smaller)

  // Model + optimizer + step + seconds. Data and shuffles are functions of (seed, epoch), so a resumed run
  // continues exactly where the checkpoint was taken.
  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);
  std::vector<float> flat_parameters() const;  // all parameters, concatenated (for tests)

  // Runs steps until done or cancelled; pausing blocks between steps. on_row gets a row every log_every
  // steps and at the end; on_step (optional) after every step (GUI, CLS recording, checkpoints).
  // `job` (default: the trainer's own) is the control the loop obeys and reports to: a worker passes its own,
  // so a pause or stop requested before the trainer existed applies without being copied over.
  TrainState run(const std::function<void(const MetricsRow&, const Evaluation&)>& on_row,
                 const std::function<void(long long step)>& on_step = {}, JobControl* job = nullptr);
  // The same loop for at most `max_seconds` (at least one step): running while steps remain. run() is this
  // until it ends; a caller without threads (the GUI's inline executor) calls it once per frame, and checks the
  // job's pause before each call (a paused job would block in it).
  TrainState run_for(double max_seconds, const std::function<void(const MetricsRow&, const Evaluation&)>& on_row,
                     const std::function<void(long long step)>& on_step = {}, JobControl* job = nullptr);
  void request_cancel() { job_.request_cancel(); }
  void set_paused(bool paused) { job_.set_paused(paused); }
  bool cancel_requested() const { return job_.cancel_requested(); }
  // Cancel, pause, state and steps done of the running training, for any thread.
  JobControl& job() { return job_; }
  const JobControl& job() const { return job_; }
  const Progress& progress() const { return progress_; }
  double mean_step_seconds() const;  // this session's steps (evaluation excluded); else the earlier sessions' mean

 private:
  std::unique_ptr<TrainerEngine> engine_;
  Progress progress_;
  JobControl job_;
  bool running_ = false;  // run_for has set up this session's run (progress, state, the mean loss's start)
};

}  // namespace polarlab::transformer
