#include "app/gui/ensemble/worker.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
namespace polarlab::gui {

EnsembleWorker::EnsembleWorker(JobHost& host, ExperimentConfig base, EnsembleOptions options, std::string name)
    : base_(std::move(base)), options_(std::move(options)), worker_(host) {
  total_ = static_cast<std::size_t>(options_.count) * std::max<std::size_t>(1, options_.kappas.size());
  name = "ensemble: " + name;
  if (host.executor() == Executor::threads) {
    worker_.start_once(std::move(name), "ensemble", [this](JobControl& job) {
      try {
        // Progress, pause and cancel go through the job; the result is published once, at the end.
        worker_.publish(std::make_shared<const EnsembleResult>(run_ensemble(base_, options_, &job)));
      } catch (const std::exception& e) {
        job.fail(e.what());
      }
      seconds_ = job.elapsed();
    });
  } else {
    worker_.start(std::move(name), "ensemble",
                  [this](JobControl& job, const SliceContext&) { return slice(job); });
  }
}

Slice EnsembleWorker::slice(JobControl& job) {
  // The inline executor's ensemble: the members one after another, as many as fit a slice (at least one).
  try {
    if (!plan_) {
      plan_ = std::make_unique<EnsembleResult>(plan_ensemble(base_, options_));
      job.set_progress(0, static_cast<std::int64_t>(plan_->members.size()));
      job.set_state(JobState::running);
      return Slice::more;
    }
    const double t0 = monotonic_seconds();
    while (next_ < plan_->members.size() && !job.cancel_requested()) {
      if (job.pause_requested()) {
        job.set_state(JobState::paused);
        return Slice::idle;
      }
      job.set_state(JobState::running);
      run_member(plan_->members[next_++], base_, &job);
      job.add_done();
      if (monotonic_seconds() - t0 >= 0.008) return Slice::more;
    }
  } catch (const std::exception& e) {
    job.fail(e.what());
    seconds_ = job.elapsed();
    return Slice::ended;
  }
  job.set_state(job.cancel_requested() ? JobState::cancelled : JobState::finished);
  finish_ensemble(*plan_, options_, job.elapsed());
  seconds_ = job.elapsed();
  worker_.publish(std::shared_ptr<const EnsembleResult>(std::move(plan_)));
  return Slice::ended;
}

}  // namespace polarlab::gui
#endif
