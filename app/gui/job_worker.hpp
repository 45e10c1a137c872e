// The GUI's one worker shape over a core job (core/job): a thread that runs the job's body with a JobControl
// (cancel, pause, progress, state, error) and publishes immutable snapshots by pointer swap; the UI reads the
// latest snapshot each frame and never waits on the work. Owners hold a JobWorker as their LAST member, so it
// joins its thread before anything the body uses is destroyed.
#pragma once
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "core/job/job.hpp"

namespace polarlab::gui {

template <class Snapshot>
class JobWorker {
 public:
  JobWorker() = default;
  ~JobWorker() {
    job_.request_cancel();
    join();
  }
  JobWorker(const JobWorker&) = delete;
  JobWorker& operator=(const JobWorker&) = delete;

  // Runs `body` on the worker's thread (once).
  void start(std::function<void(JobControl&)> body) {
    thread_ = std::thread([this, body = std::move(body)] {
      body(job_);
      ended_ = true;
    });
  }
  JobControl& job() { return job_; }
  const JobControl& job() const { return job_; }
  // The thread's side: the snapshot everybody sees from now on.
  void publish(std::shared_ptr<const Snapshot> s) {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_ = std::move(s);
  }
  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return snap_;
  }
  bool ended() const { return ended_.load(); }  // the body returned: joining does not wait
  void join() {
    if (thread_.joinable()) thread_.join();
  }

 private:
  JobControl job_;
  // Held only to copy or swap the pointer (a reference-count bump), never while working or drawing. (libstdc++
  // 12's std::atomic<shared_ptr> does the same with a spin bit that ThreadSanitizer cannot see through, so a
  // plain mutex keeps the TSan tests meaningful.)
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snap_;
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

}  // namespace polarlab::gui
