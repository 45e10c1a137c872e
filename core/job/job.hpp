// One shape for background work: a run of the dynamics, an ensemble, a training. The thread doing the work and
// whoever watches it (the GUI, the CLI's Ctrl-C handler) share a JobControl: cancel, pause, progress, state and
// the error of a failed job. The work reads it between units of work (a GD slice, an ensemble member, an
// optimizer step); the watcher never waits on the work.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace polarlab {

// Seconds on the monotonic clock (for durations and rates; the one helper every worker uses).
double monotonic_seconds();
// CPU seconds the calling thread has used (a worker's own cost, for the benchmarks).
double thread_cpu_seconds();

enum class JobState { preparing, running, paused, finished, cancelled, failed };
const char* job_state_name(JobState s);  // "preparing", "running", ...
inline bool job_ended(JobState s) {
  return s == JobState::finished || s == JobState::cancelled || s == JobState::failed;
}

class JobControl {
 public:
  JobControl() : t0_(monotonic_seconds()) {}
  JobControl(const JobControl&) = delete;
  JobControl& operator=(const JobControl&) = delete;

  // The watcher's side.
  void request_cancel();
  bool cancel_requested() const { return cancel_.load(std::memory_order_relaxed); }
  void set_paused(bool paused);
  bool pause_requested() const { return paused_.load(std::memory_order_relaxed); }

  // The job's side, between units of work: blocks while paused (the state says paused meanwhile); false once a
  // cancel was requested.
  bool checkpoint();
  void set_progress(std::int64_t done, std::int64_t total);
  void add_done(std::int64_t n = 1) { done_.fetch_add(n, std::memory_order_relaxed); }
  void set_state(JobState s) { state_.store(s); }
  void fail(const std::string& why);
  // The same control over a new run of the work (the dynamics worker's reset or new config): no error, no
  // progress, preparing, elapsed from now; a requested cancel or pause stays.
  void restart();

  // Anyone.
  std::int64_t done() const { return done_.load(std::memory_order_relaxed); }
  std::int64_t total() const { return total_.load(std::memory_order_relaxed); }
  double fraction() const;
  JobState state() const { return state_.load(); }
  std::string error() const;
  double elapsed() const { return monotonic_seconds() - t0_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> t0_;
  std::atomic<bool> cancel_{false}, paused_{false};
  std::atomic<std::int64_t> done_{0}, total_{0};
  std::atomic<JobState> state_{JobState::preparing};
  mutable std::mutex mutex_;  // error_, and the pause wait
  std::condition_variable resume_;
  std::string error_;
};

}  // namespace polarlab
