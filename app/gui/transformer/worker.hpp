// The transformer lab's training thread: owns the Trainer (built on the thread, so a 100,000-sequence data
// set never blocks a frame) and publishes immutable snapshots by pointer swap: the metrics rows so far, the
// latest evaluation with the attention maps, progress, state and the error of a failed run. The UI never
// waits on training: pause, resume and stop are flags the trainer reads between steps.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/gui/shell/job_worker.hpp"
#include "core/transformer/config.hpp"
#include "core/transformer/trainer.hpp"

namespace polarlab::gui {

// A training's phase is its job's state (core/job); phase_name says it as the Transformer tab does.
using TrainPhase = JobState;
const char* phase_name(TrainPhase p);

struct TrainSnapshot {
  std::uint64_t seq = 0;
  TrainPhase phase = TrainPhase::preparing;
  transformer::TrainConfig config;  // resolved
  std::string device;               // "cpu" / "cuda" once the trainer exists
  long long parameters = 0;
  long long step = 0, total = 0;
  double seconds = 0.0, eta_seconds = 0.0, seconds_per_step = 0.0;
  std::shared_ptr<const std::vector<transformer::MetricsRow>> rows;  // every logged row, in order
  std::shared_ptr<const transformer::Evaluation> eval;              // latest (maps of config.attention_samples)
  std::string error;                                                // failed: why
};

class TrainWorker {
 public:
  // Resolves and validates on the caller's thread: a bad config throws ConfigError naming the field.
  TrainWorker(JobHost& host, transformer::TrainConfig config, bool start_paused = false);
  ~TrainWorker() { stop(); }  // the JobWorker then joins
  TrainWorker(const TrainWorker&) = delete;
  TrainWorker& operator=(const TrainWorker&) = delete;

  void set_paused(bool paused);
  bool paused() const { return worker_.job().pause_requested(); }
  void stop();
  bool ended() const { return worker_.ended(); }  // the thread has returned (joining it does not wait)
  std::shared_ptr<const TrainSnapshot> snapshot() const { return worker_.snapshot(); }

 private:
  void loop(JobControl& job);                 // threads: the whole training
  Slice slice(JobControl& job);               // inline: the trainer built, then steps for a few milliseconds
  bool prepare(JobControl& job);              // builds the trainer; false: failed (published)
  void on_row(const transformer::MetricsRow& row, const transformer::Evaluation& ev);
  void fail(JobControl& job, const std::string& why);
  void publish(TrainPhase phase, bool force, const std::string& error = {});

  transformer::TrainConfig config_;
  // Owned by the training thread.
  std::unique_ptr<transformer::Trainer> trainer_;
  std::shared_ptr<const std::vector<transformer::MetricsRow>> rows_;
  std::shared_ptr<const transformer::Evaluation> eval_;
  std::string device_;
  long long parameters_ = 0;
  double last_publish_ = -1.0;
  std::uint64_t seq_ = 0;
  JobWorker<TrainSnapshot> worker_;  // last: starts after everything above exists, joins before it goes
};

}  // namespace polarlab::gui
