#include "app/gui/ensemble_worker.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
namespace polarlab::gui {

EnsembleWorker::EnsembleWorker(ExperimentConfig base, EnsembleOptions options)
    : base_(std::move(base)), options_(std::move(options)) {
  total_ = static_cast<std::size_t>(options_.count) * std::max<std::size_t>(1, options_.kappas.size());
  worker_.start([this](JobControl& job) {
    try {
      // Progress, pause and cancel go through the job; the result is published once, at the end.
      worker_.publish(std::make_shared<const EnsembleResult>(run_ensemble(base_, options_, &job)));
    } catch (const std::exception& e) {
      job.fail(e.what());
    }
    seconds_ = job.elapsed();
  });
}

}  // namespace polarlab::gui
#endif
