// `polarlab --bench`: the live lab's performance benchmark (issue: ≥ 60 fps with all panels and 10⁵-point
// series, solver ≥ 90 % of its headless speed). Phases, driven once per frame by the frame loop:
//   warm     the solver runs under the GUI until every series holds ≥ 10⁵ points;
//   measure  bench_seconds of frames while the solver keeps running: fps, and the steps it took;
//   headless the same step range [s0, s1) run again headless in this process (same records, same state);
//   static   the run paused, uncapped frames on the ≥ 10⁵-point series.
#pragma once
#include <cstdint>
#include <string>

#include "app/gui/shell/app_state.hpp"
#include "core/job/job.hpp"

namespace polarlab::gui {

class GuiBench {
 public:
  GuiBench(ExperimentConfig config, double phase_seconds, std::size_t min_points)
      : config_(std::move(config)), phase_seconds_(phase_seconds), min_points_(min_points) {}

  // Called after each rendered frame. Returns true when the benchmark is over. Sets *frame_cap to 0 for the
  // uncapped phase.
  bool on_frame(AppState& app, double* frame_cap);

 private:
  enum class Phase { warm, measure, uncapped } phase_ = Phase::warm;
  ExperimentConfig config_;
  double phase_seconds_;
  std::size_t min_points_;
  double t0_ = monotonic_seconds();
  int frames_ = 0;
  std::int64_t steps0_ = 0;
  double cpu0_ = 0;
};

}  // namespace polarlab::gui
