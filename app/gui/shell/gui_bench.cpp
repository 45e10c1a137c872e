#include "app/gui/shell/gui_bench.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "app/widgets/plot.hpp"

namespace polarlab::gui {

namespace {
// The worker publishes at most once per frame interval; wait for a snapshot that says it stopped playing.
std::shared_ptr<const DynamicsSnapshot> wait_paused(DynamicsWorker& w) {
  std::shared_ptr<const DynamicsSnapshot> s = w.snapshot();
  for (int k = 0; k < 400 && s->playing; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    s = w.snapshot();
  }
  return s;
}
}  // namespace

bool GuiBench::on_frame(AppState& app, double* frame_cap) {
  ++frames_;
  const auto& snap = app.primary().history.snap;
  const double el = monotonic_seconds() - t0_;
  switch (phase_) {
    case Phase::warm:
      if (snap->total_records >= min_points_ || snap->status.state != RunState::running || el > 120.0) {
        if (snap->status.state != RunState::running || snap->total_records < min_points_) {
          std::printf("bench: the run ended or stalled with %zu records before reaching %zu; give it more steps\n",
                      snap->total_records, min_points_);
          return true;
        }
        std::printf("bench: warm-up done after %.1f s: %zu records per series, step %lld\n", el,
                    snap->total_records, static_cast<long long>(snap->steps));
        phase_ = Phase::measure, frames_ = 0, t0_ = monotonic_seconds();
        steps0_ = snap->steps, cpu0_ = snap->worker_cpu_seconds;
      }
      return false;
    case Phase::measure: {
      if (el < phase_seconds_) return false;
      const double fps = frames_ / el;
      for (Run& r : app.runs) r.worker->pause();
      const auto s = wait_paused(*app.primary().worker);
      const double wall = monotonic_seconds() - t0_;  // includes the wait for the pause: a conservative speed
      const std::int64_t steps = s->steps - steps0_;
      const double gui_speed = static_cast<double>(steps) / wall;
      const double gui_cpu_speed = static_cast<double>(steps) / (s->worker_cpu_seconds - cpu0_);
      if (s->status.state != RunState::running)
        std::printf("bench: warning: the run finished during the measurement; the solver speed is a lower bound\n");
      // The same step range headless, in this process: fast-forward (untimed), then time [s0, s1).
      Runner ref(config_);
      ref.advance(Budget{.max_steps = steps0_});
      const double c0 = thread_cpu_seconds();
      const double h0 = monotonic_seconds();
      ref.advance(Budget{.max_steps = steps});
      const double h_wall = monotonic_seconds() - h0, h_cpu = thread_cpu_seconds() - c0;
      const double headless = static_cast<double>(steps) / h_wall;
      std::printf("bench: while solving (frame cap 60): %.1f fps over %.1f s, %zu-point series\n", fps, el,
                  s->total_records);
      std::printf("bench: solver under the GUI %.3g steps/s wall (%.3g per worker CPU-second); headless, the same "
                  "%lld steps: %.3g steps/s wall (%.3g per CPU-second)\n",
                  gui_speed, gui_cpu_speed, static_cast<long long>(steps), headless,
                  static_cast<double>(steps) / h_cpu);
      std::printf("bench: solver speed ratio GUI/headless: %.1f%% wall clock, %.1f%% per CPU-second\n",
                  100.0 * gui_speed / headless, 100.0 * gui_cpu_speed / (static_cast<double>(steps) / h_cpu));
      phase_ = Phase::uncapped, frames_ = 0, t0_ = monotonic_seconds();
      widgets::Plot::reset_vertex_count();
      *frame_cap = 0.0;  // measure what the renderer can do
      return false;
    }
    case Phase::uncapped:
      if (el < phase_seconds_) return false;
      std::printf("bench: all panels, %zu-point series, solver paused, uncapped: %.1f fps (%.0f vertices/frame)\n",
                  snap->total_records, frames_ / el,
                  static_cast<double>(widgets::Plot::vertices_submitted()) / frames_);
      return true;
  }
  return true;
}

}  // namespace polarlab::gui
