// The ensemble workspace: many initializations of a preset (optionally over a κ range) integrated in
// parallel by core/ensemble, then the phase diagram: P(max s > threshold) and P(winner = argmax u(0))
// against κ, the final max s quantiles, and the distribution of the final max s per κ as a histogram.
#pragma once
#include <memory>
#include <string>

#include "app/gui/ensemble/stats.hpp"
#include "app/gui/ensemble/worker.hpp"

namespace polarlab::gui {

struct AppState;

struct EnsembleState {
  // Settings (the CLI's `ensemble` options).
  std::string preset = "fig3";
  int count = 200;
  char kappa_range[64] = "1:10:10";
  Method method = Method::flow;
  double t_end = 0.0;         // 0: the preset's
  double threshold = 0.9;
  int threads = 0;            // 0: all cores
  int first_seed = 0;
  char csv_path[512] = "polarlab-ensemble.csv";

  std::unique_ptr<EnsembleWorker> worker;
  std::string worker_ran;     // "fig3, 200 runs × 10 κ" of the run in `worker`
  double worker_threshold = 0.9;
  // The result shown: the last run that ended (complete or cancelled), with its own description, taken over
  // together in poll() so that starting a new run never relabels the old result with the new settings.
  std::shared_ptr<const EnsembleResult> result;
  MaxSHistogram histogram;
  std::string ran;            // "fig3, 200 runs × 10 κ" of the result shown
  double ran_threshold = 0.9;
  std::string refused, message;

  bool start(JobHost& host);              // refuses with the reason in `refused`
  bool poll();               // picks up a finished result; true when something changed
  bool running() const { return worker && worker->running(); }
  // The result shown is not the current worker's (it runs, or ended without one): label it as the previous run.
  bool shows_previous() const { return result && worker && worker->result() != result; }
};

void draw_ensemble(AppState& app, EnsembleState& lab);
void ensemble_controls(AppState& app, EnsembleState& lab);
void view_ensemble(AppState& app, EnsembleState& lab);

// The workspace's lab in a running App (workspace_*.cpp); null when absent.
EnsembleState* ensemble_lab(const AppState& app);

}  // namespace polarlab::gui
