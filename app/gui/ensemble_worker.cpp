#include "app/gui/ensemble_worker.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
#include <chrono>

namespace polarlab::gui {

namespace {
double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

EnsembleWorker::EnsembleWorker(ExperimentConfig base, EnsembleOptions options)
    : base_(std::move(base)), options_(std::move(options)) {
  total_ = static_cast<std::size_t>(options_.count) * std::max<std::size_t>(1, options_.kappas.size());
  t0_ = now_seconds();
  thread_ = std::thread([this] {
    try {
      auto res = std::make_shared<const EnsembleResult>(
          run_ensemble(base_, options_, &cancel_, [this](std::size_t done, std::size_t) {
            // Called from the ensemble's threads, in any order: keep the largest count.
            std::size_t prev = done_.load();
            while (prev < done && !done_.compare_exchange_weak(prev, done)) {}
          }));
      std::lock_guard<std::mutex> lock(mutex_);
      result_ = std::move(res);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = e.what();
    }
    seconds_ = now_seconds() - t0_;
    finished_ = true;
  });
}

EnsembleWorker::~EnsembleWorker() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
}

void EnsembleWorker::wait() {
  if (thread_.joinable()) thread_.join();
}

double EnsembleWorker::elapsed() const { return finished_ ? seconds_.load() : now_seconds() - t0_; }

}  // namespace polarlab::gui
#endif
