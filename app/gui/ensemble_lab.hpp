// The ensemble workspace: many initializations of a preset (optionally over a κ range) integrated in
// parallel by core/ensemble, then the phase diagram: P(max s > threshold) and P(winner = argmax u(0))
// against κ, the final max s quantiles, and the distribution of the final max s per κ as a histogram.
#pragma once
#include <memory>
#include <string>

#include "app/gui/ensemble_stats.hpp"
#include "app/gui/ensemble_worker.hpp"

namespace polarlab::gui {

struct AppState;

struct EnsembleLab {
  // Settings (the CLI's `ensemble` options).
  std::string preset = "fig3";
  int count = 200;
  char kappa_range[64] = "1:10:10";
  int method = 0;             // 0 flow, 1 GD
  double t_end = 0.0;         // 0: the preset's
  double threshold = 0.9;
  int threads = 0;            // 0: all cores
  int first_seed = 0;
  char csv_path[512] = "polarlab-ensemble.csv";

  std::unique_ptr<EnsembleWorker> worker;
  std::shared_ptr<const EnsembleResult> result;  // the last finished run
  MaxSHistogram histogram;
  std::string ran;            // "fig3, 200 × 10 κ" of the result shown
  double ran_threshold = 0.9;
  std::string refused, message;

  bool start();              // refuses with the reason in `refused`
  bool poll();               // picks up a finished result; true when something changed
  bool running() const { return worker && worker->running(); }
};

void draw_ensemble(AppState& app, EnsembleLab& lab);
void ensemble_controls(AppState& app, EnsembleLab& lab);
void view_ensemble(AppState& app, EnsembleLab& lab);

}  // namespace polarlab::gui
