// The ensemble workspace's run life cycle (no ImGui, so tests drive it): start a worker, take over what it
// ends with together with its description.
#include "app/gui/ensemble/state.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
#include "core/experiment/presets.hpp"

namespace polarlab::gui {

namespace {
constexpr int kHistogramBins = 20;
}  // namespace

bool EnsembleState::start(JobHost& host) {
  try {
    if (count < 1 || count > 10'000'000) throw ConfigError("count", "must be between 1 and 10000000");
    if (!(threshold > 0.0 && threshold < 1.0)) throw ConfigError("threshold", "must be in (0, 1)");
    if (threads < 0 || threads > 256) throw ConfigError("threads", "must be in 0..256 (0: all cores)");
    if (first_seed < 0) throw ConfigError("first seed", "must be >= 0");
    nlohmann::json over = {{"method", method == Method::flow ? "flow" : "gd"}};
    if (t_end > 0.0) over["t_end"] = t_end;
    const ExperimentConfig base = resolve_preset(preset, over);
    validate(base);
    EnsembleOptions opt;
    opt.count = count;
    opt.threads = threads;
    opt.first_seed = static_cast<std::uint32_t>(first_seed);
    opt.polarized_threshold = threshold;
    // κ is the regression model's condition number; the other models have none to sweep.
    if (base.model == ModelKind::regression) opt.kappas = parse_kappa_range(kappa_range);
    poll();  // an ended run not yet taken over is kept, with its own label, before its worker goes
    // A run still going is cancelled and joined in the background (JobHost::retire): its members in flight
    // may take seconds, and the window does not wait for them.
    host.retire<EnsembleWorker>(std::move(worker), [](EnsembleWorker& w) { w.cancel(); },
                                [](const EnsembleWorker& w) { return !w.running(); });
    // The shown result keeps `ran`: it describes that result until this run's result replaces it.
    worker_ran = preset + ", " + std::to_string(count) + " runs × " +
                 std::to_string(std::max<std::size_t>(1, opt.kappas.size())) + " κ";
    worker_threshold = threshold;
    worker = std::make_unique<EnsembleWorker>(host, base, opt, worker_ran);
    refused.clear();
    return true;
  } catch (const std::exception& e) {
    refused = e.what();
    return false;
  }
}

bool EnsembleState::poll() {
  if (!worker || worker->running()) return worker != nullptr;  // progress bar moves while running
  auto r = worker->result();
  if (r && r != result) {
    result = std::move(r);
    ran = worker_ran;
    ran_threshold = worker_threshold;
    histogram = histogram_max_s(result->members, kHistogramBins);
    return true;
  }
  return false;
}

}  // namespace polarlab::gui
#endif
