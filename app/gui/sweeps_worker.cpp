#include "app/gui/sweeps_worker.hpp"

#ifdef HAVE_POLARLAB_SWEEP  // polarlab_sweep needs yaml-cpp and SQLite

#include <functional>

namespace polarlab::gui {

SweepsWorker::SweepsWorker() : thread_([this] { loop(); }) {}

SweepsWorker::~SweepsWorker() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void SweepsWorker::open(const std::string& path, bool collect) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_job_ = OpenJob{path, collect};
    publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
  }
  cv_.notify_all();
}

void SweepsWorker::open_run(std::shared_ptr<const SweepData> sweep, const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    run_job_ = RunJob{std::move(sweep), id};
    publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
  }
  cv_.notify_all();
}

std::string SweepsWorker::busy_text() const {
  if (!working_.empty()) return working_;
  if (open_job_) return open_job_->collect ? "collecting " + open_job_->path : "reading " + open_job_->path;
  if (run_job_) return "reading run " + run_job_->id;
  return "";
}

void SweepsWorker::publish(const std::function<void(SweepsSnapshot&)>& change) {
  auto next = std::make_shared<SweepsSnapshot>(*snap_);
  change(*next);
  next->seq = snap_->seq + 1;
  snap_ = std::move(next);
}

void SweepsWorker::loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || open_job_ || run_job_; });
    if (stop_) return;
    if (open_job_) {
      const OpenJob job = *open_job_;
      open_job_.reset();
      working_ = job.collect ? "collecting " + job.path : "reading " + job.path;
      publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
      lock.unlock();
      std::shared_ptr<const SweepData> data;
      std::string error;
      try {
        data = job.collect ? collect_and_load(job.path) : load_sweep(job.path);
      } catch (const std::exception& e) {
        error = e.what();
      }
      lock.lock();
      working_.clear();
      publish([&](SweepsSnapshot& s) {
        s.sweep_error = error;
        if (data) {
          // A new database: the run shown belonged to the old one.
          if (!s.sweep || s.sweep->dir != data->dir) s.run.reset(), s.run_error.clear();
          s.sweep = data;
        } else if (s.sweep && s.sweep->source != job.path) {
          s.sweep.reset();  // a different sweep failed to open: do not show the old one as if it were it
          s.run.reset();
        }
        s.busy = busy_text();
      });
      continue;
    }
    const RunJob job = *run_job_;
    run_job_.reset();
    working_ = "reading run " + job.id;
    publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
    lock.unlock();
    std::shared_ptr<const RunDetail> run;
    std::string error;
    try {
      run = load_run(*job.sweep, job.id);
    } catch (const std::exception& e) {
      error = e.what();
    }
    lock.lock();
    working_.clear();
    publish([&](SweepsSnapshot& s) {
      s.run = run;
      s.run_error = error;
      s.busy = busy_text();
    });
  }
}

}  // namespace polarlab::gui
#endif
