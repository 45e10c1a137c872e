// The ensemble workspace's worker: one thread that runs core/ensemble's run_ensemble (which fans out to its
// own threads) with a cancel flag and progress counters the UI reads every frame; the result is handed
// over once, as an immutable object.
#pragma once
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/ensemble/ensemble.hpp"
#include "core/experiment/config.hpp"

namespace polarlab::gui {

class EnsembleWorker {
 public:
  EnsembleWorker(ExperimentConfig base, EnsembleOptions options);
  ~EnsembleWorker();  // cancels and joins
  EnsembleWorker(const EnsembleWorker&) = delete;
  EnsembleWorker& operator=(const EnsembleWorker&) = delete;

  void cancel() { cancel_ = true; }
  void wait();  // blocks until the run ends (cancelled or not); call from the owning thread only
  bool running() const { return !finished_.load(); }
  std::size_t done() const { return done_.load(); }
  std::size_t total() const { return total_; }
  double elapsed() const;
  // Set once when the run ends (a cancelled run's result summarizes the members that finished); null before.
  std::shared_ptr<const EnsembleResult> result() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return result_;
  }
  std::string error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
  }
  bool cancelled() const { return cancel_.load(); }

 private:
  ExperimentConfig base_;
  EnsembleOptions options_;
  std::size_t total_ = 0;
  std::atomic<bool> cancel_{false}, finished_{false};
  std::atomic<std::size_t> done_{0};
  std::atomic<double> seconds_{0.0};
  double t0_ = 0.0;
  mutable std::mutex mutex_;
  std::shared_ptr<const EnsembleResult> result_;
  std::string error_;
  std::thread thread_;  // last
};

}  // namespace polarlab::gui
