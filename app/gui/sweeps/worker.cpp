#include "app/gui/sweeps/worker.hpp"

#ifdef HAVE_POLARLAB_SWEEP  // polarlab_sweep needs yaml-cpp and SQLite

#include <functional>

namespace polarlab::gui {

SweepsWorker::SweepsWorker(JobHost& host) : worker_(host) {
  worker_.publish(std::make_shared<const SweepsSnapshot>());
  worker_.job().set_state(JobState::running);
  worker_.start("sweeps reader", "sweeps",
                [this](JobControl& job, const SliceContext& ctx) { return slice(job, ctx); }, false);
}

SweepsWorker::~SweepsWorker() {
  {
    // Under mutex_, so the thread either sees the cancel before it waits or is woken from the wait.
    std::lock_guard<std::mutex> lock(mutex_);
    worker_.job().request_cancel();
  }
  cv_.notify_all();
}

void SweepsWorker::open(const std::string& path, bool collect) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_request_ = OpenRequest{path, collect};
    publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
  }
  cv_.notify_all();
}

void SweepsWorker::open_run(std::shared_ptr<const SweepData> sweep, const std::string& id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    run_request_ = RunRequest{std::move(sweep), id};
    publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
  }
  cv_.notify_all();
}

std::string SweepsWorker::busy_text() const {
  if (!working_.empty()) return working_;
  if (open_request_)
    return open_request_->collect ? "collecting " + open_request_->path : "reading " + open_request_->path;
  if (run_request_) return "reading run " + run_request_->id;
  return "";
}

void SweepsWorker::publish(const std::function<void(SweepsSnapshot&)>& change) {
  const auto now = worker_.snapshot();
  auto next = std::make_shared<SweepsSnapshot>(*now);
  change(*next);
  next->seq = now->seq + 1;
  worker_.publish(std::move(next));
}

Slice SweepsWorker::slice(JobControl& job, const SliceContext& ctx) {
  std::unique_lock<std::mutex> lock(mutex_);
  {
    if (ctx.may_block) cv_.wait(lock, [&] { return job.cancel_requested() || open_request_ || run_request_; });
    if (job.cancel_requested()) {
      job.set_state(JobState::cancelled);
      return Slice::ended;
    }
    if (!open_request_ && !run_request_) return Slice::idle;
    if (open_request_) {
      const OpenRequest req = *open_request_;
      open_request_.reset();
      working_ = req.collect ? "collecting " + req.path : "reading " + req.path;
      publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
      lock.unlock();
      std::shared_ptr<const SweepData> data;
      std::string error;
      try {
        data = req.collect ? collect_and_load(req.path) : load_sweep(req.path);
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
        } else if (s.sweep && s.sweep->source != req.path) {
          s.sweep.reset();  // a different sweep failed to open: do not show the old one as if it were it
          s.run.reset();
        }
        s.busy = busy_text();
      });
      return Slice::more;
    }
    const RunRequest req = *run_request_;
    run_request_.reset();
    working_ = "reading run " + req.id;
    publish([&](SweepsSnapshot& s) { s.busy = busy_text(); });
    lock.unlock();
    std::shared_ptr<const RunDetail> run;
    std::string error;
    try {
      run = load_run(*req.sweep, req.id);
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
  return Slice::more;
}

}  // namespace polarlab::gui
#endif
