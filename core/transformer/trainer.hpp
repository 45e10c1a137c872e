// Trains one transformer of spec §7 with AdamW and measures its heads. Torch-free interface (pimpl): the CLI
// and the GUI include this without libtorch headers. One trainer belongs to one worker thread; the control
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

namespace polarlab::transformer {

using HeadScores = std::vector<std::vector<double>>;  // [layer][head]

struct AttentionMap {
  int sample = 0;                 // index in the eval set
  std::vector<int64_t> tokens;    // its input tokens (T)
  int layers = 0, heads = 0, T = 0;
  std::vector<float> weights;     // [layer][head][query][key], row-major
  float at(int l, int h, int q, int k) const { return weights[((static_cast<size_t>(l) * heads + h) * T + q) * T + k]; }
};

struct Evaluation {
  long long step = 0;
  double eval_loss = 0, eval_accuracy = 0;
  HeadScores sink_scores;     // induction: spec §7 sink score
  HeadScores concentration;   // classification: max / sum of the CLS row
  std::vector<AttentionMap> maps;  // config.attention_samples
};

struct FlipRate {
  HeadScores rate;     // [layer][head], mean of the two directions' success rates
  double max = 0;      // what the paper reports (max over layers and heads)
};

struct MetricsRow {
  long long step = 0;
  int epoch = 0;
  double train_loss = 0;  // mean over the steps since the previous row
  double eval_loss = 0, eval_accuracy = 0;
  double seconds = 0;     // training wall time so far (resumes add up)
  HeadScores head_scores; // sink (induction) or concentration (classification)
};

// CLS rows of one fixed eval sample per label, recorded after a step (Fig 5).
struct ClsAttentionRecord {
  long long step = 0;
  int label = 0, sample = 0;
  std::vector<float> rows;  // [layer][head][key]
};

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
  // Builds data, model (torch::manual_seed(seed)) and optimizer; throws ConfigError for bad configs or
  // --device cuda without a GPU.
  explicit Trainer(TrainConfig config);
  ~Trainer();
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  const TrainConfig& config() const;
  std::string device() const;        // "cpu" or "cuda"
  static bool cuda_available();
  static std::string torch_version();
  long long num_parameters() const;
  long long step() const;            // optimizer steps taken
  long long total_steps() const;
  bool done() const { return step() >= total_steps(); }

  double train_step();               // one AdamW step on the next batch; returns its loss
  Evaluation evaluate(bool with_maps = true);
  FlipRate flip_rate(int pairs);     // classification; deterministic in the seed
  std::vector<ClsAttentionRecord> cls_attention();  // classification: one record per label

  // Model + optimizer + step + seconds. Data and shuffles are functions of (seed, epoch), so a resumed run
  // continues exactly where the checkpoint was taken.
  void save_checkpoint(const std::string& path) const;
  void load_checkpoint(const std::string& path);
  std::vector<float> flat_parameters() const;  // all parameters, concatenated (for tests)

  // Runs steps until done or cancelled; pausing blocks between steps. on_row gets a row every log_every
  // steps and at the end; on_step (optional) after every step (GUI, CLS recording, checkpoints).
  TrainState run(const std::function<void(const MetricsRow&, const Evaluation&)>& on_row,
                 const std::function<void(long long step)>& on_step = {});
  void request_cancel() { job_.request_cancel(); }
  void set_paused(bool paused) { job_.set_paused(paused); }
  bool cancel_requested() const { return job_.cancel_requested(); }
  // Cancel, pause, state and steps done of the running training, for any thread.
  JobControl& job() { return job_; }
  const JobControl& job() const { return job_; }
  const Progress& progress() const { return progress_; }
  double mean_step_seconds() const;  // this session's steps (evaluation excluded); else the earlier sessions' mean

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Progress progress_;
  JobControl job_;
};

}  // namespace polarlab::transformer
