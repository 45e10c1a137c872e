// The GUI's one worker shape over a core job (core/job): a job started on the App's JobHost (shell/job_host.hpp)
// with a JobControl (cancel, pause, progress, state, error) that publishes immutable snapshots by pointer swap;
// the UI reads the latest snapshot each frame and never waits on the work. Owners hold a JobWorker as their LAST
// member, so its job ends before anything the slices use is destroyed.
#pragma once
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "app/gui/shell/job_host.hpp"
#include "core/job/job.hpp"

namespace polarlab::gui {

template <class Snapshot>
class JobWorker {
 public:
  explicit JobWorker(JobHost& host) : host_(host) {}
  ~JobWorker() {
    job_.request_cancel();
    join();
  }
  JobWorker(const JobWorker&) = delete;
  JobWorker& operator=(const JobWorker&) = delete;

  // Starts the job (once): `slice` is called until it returns Slice::ended (job_host.hpp).
  void start(std::string name, std::string workspace, SliceFn slice, bool listed = true) {
    entry_ = host_.start(std::move(name), std::move(workspace), job_, std::move(slice), listed);
  }
  // A job that is one indivisible call (a libtorch probe, a file import): one slice. With the inline executor it
  // holds the frame for its whole length, so the GUI keeps such jobs short or out of single-threaded builds.
  void start_once(std::string name, std::string workspace, std::function<void(JobControl&)> body) {
    start(std::move(name), std::move(workspace), [body = std::move(body)](JobControl& job, const SliceContext&) {
      body(job);
      return Slice::ended;
    });
  }
  JobControl& job() { return job_; }
  const JobControl& job() const { return job_; }
  JobHost& host() const { return host_; }
  // The job's side: the snapshot everybody sees from now on.
  void publish(std::shared_ptr<const Snapshot> s) {
    std::lock_guard<std::mutex> lock(mutex_);
    snap_ = std::move(s);
  }
  std::shared_ptr<const Snapshot> snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return snap_;
  }
  // The slices are done: joining does not wait.
  bool ended() const { return joined_ || (entry_ && JobHost::ended(*entry_)); }
  // Waits for the job to end (threads: joins; inline: runs its slices); the owning thread only.
  void join() {
    if (!entry_) return;
    host_.end(entry_);
    entry_.reset();
    joined_ = true;
  }

 private:
  JobHost& host_;
  JobControl job_;
  // Held only to copy or swap the pointer (a reference-count bump), never while working or drawing. (libstdc++
  // 12's std::atomic<shared_ptr> does the same with a spin bit that ThreadSanitizer cannot see through, so a
  // plain mutex keeps the TSan tests meaningful.)
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snap_;
  std::shared_ptr<JobHost::Entry> entry_;
  bool joined_ = false;
};

}  // namespace polarlab::gui
