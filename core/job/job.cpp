#include "core/job/job.hpp"

#include <chrono>
#include <ctime>

#include "core/util/enum_names.hpp"

namespace polarlab {

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

namespace {
constexpr EnumName<JobState> kJobStateNames[] = {
    {JobState::preparing, "preparing"}, {JobState::running, "running"},     {JobState::paused, "paused"},
    {JobState::finished, "finished"},   {JobState::cancelled, "cancelled"}, {JobState::failed, "failed"}};
}  // namespace

const char* job_state_name(JobState s) { return name_of(kJobStateNames, s); }

void JobControl::request_cancel() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    cancel_ = true;
  }
  resume_.notify_all();
}

void JobControl::set_paused(bool paused) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    paused_ = paused;
  }
  resume_.notify_all();
}

bool JobControl::checkpoint() {
  if (paused_.load() && !cancel_.load()) {
    const JobState before = state_.load();
    state_ = JobState::paused;
    std::unique_lock<std::mutex> lock(mutex_);
    resume_.wait(lock, [&] { return !paused_.load() || cancel_.load(); });
    state_ = before == JobState::paused ? JobState::running : before;
  }
  return !cancel_.load();
}

void JobControl::set_progress(std::int64_t done, std::int64_t total) {
  total_.store(total, std::memory_order_relaxed);
  done_.store(done, std::memory_order_relaxed);
}

double JobControl::fraction() const {
  const std::int64_t t = total();
  return t > 0 ? static_cast<double>(done()) / static_cast<double>(t) : 0.0;
}

void JobControl::fail(const std::string& why) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    error_ = why;
  }
  state_ = JobState::failed;
}

void JobControl::restart() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    error_.clear();
  }
  set_progress(0, 0);
  t0_.store(monotonic_seconds(), std::memory_order_relaxed);
  state_ = JobState::preparing;
}

std::string JobControl::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

}  // namespace polarlab
