// The ensemble workspace's worker: a job on the App's host. With threads it runs core/ensemble's run_ensemble
// (which fans out to its own threads); inline, a few members per slice. Cancel, pause and progress go through the
// job; the result is handed over once, as an immutable object.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/gui/shell/job_worker.hpp"
#include "core/ensemble/ensemble.hpp"
#include "core/experiment/config.hpp"

namespace polarlab::gui {

class EnsembleWorker {
 public:
  // `name` describes the run in the job footer ("fig3, 200 runs × 10 κ").
  EnsembleWorker(JobHost& host, ExperimentConfig base, EnsembleOptions options, std::string name = {});
  ~EnsembleWorker() = default;  // the JobWorker cancels and joins
  EnsembleWorker(const EnsembleWorker&) = delete;
  EnsembleWorker& operator=(const EnsembleWorker&) = delete;

  void cancel() { worker_.job().request_cancel(); }
  void wait() { worker_.join(); }  // runs or waits until the run ends (cancelled or not); the owning thread only
  bool running() const { return !worker_.ended(); }
  std::size_t done() const { return static_cast<std::size_t>(worker_.job().done()); }
  std::size_t total() const { return total_; }
  double elapsed() const { return worker_.ended() ? seconds_.load() : worker_.job().elapsed(); }
  // Set once when the run ends (a cancelled run's result summarizes the members that finished); null before.
  std::shared_ptr<const EnsembleResult> result() const { return worker_.snapshot(); }
  std::string error() const { return worker_.job().error(); }
  bool cancelled() const { return worker_.job().cancel_requested(); }

 private:
  ExperimentConfig base_;
  EnsembleOptions options_;
  std::size_t total_ = 0;
  std::atomic<double> seconds_{0.0};
  Slice slice(JobControl& job);          // inline executor
  std::unique_ptr<EnsembleResult> plan_;  // inline: the members, filled one by one
  std::size_t next_ = 0;
  JobWorker<EnsembleResult> worker_;  // last: joins before the members above go
};

}  // namespace polarlab::gui
