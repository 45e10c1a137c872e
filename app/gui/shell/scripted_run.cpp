#include "app/gui/shell/scripted_run.hpp"

#include <cstdio>

#include "app/gui/shell/gui_bench.hpp"

namespace polarlab::gui {

ScriptedRun::ScriptedRun(const LaunchOptions& options) : options_(options) {}
ScriptedRun::~ScriptedRun() = default;

bool ScriptedRun::start(App& app) {
  if (options_.bench) {
    bench_ = std::make_unique<GuiBench>(app.state().edit, options_.bench_seconds, 100000);
    std::printf("bench: preset %s, %d records requested, %lld steps\n", options_.app.preset.c_str(),
                app.state().edit.records, static_cast<long long>(app.state().edit.steps));
  }
  if (options_.record.empty()) return true;
  if (const std::string err = app.start_recording(options_.record, options_.record_fps); !err.empty()) {
    std::fprintf(stderr, "polarlab: %s\n", err.c_str());
    exit_ = 2;
    return false;
  }
  std::fprintf(stderr, "polarlab: recording %s\n", app.state().recording.c_str());
  return true;
}

bool ScriptedRun::after_frame(App& app, double seconds) {
  // --record: over when the video is written (the run's end on the replay's clock), or could not be.
  if (bool ok = true; !options_.record.empty()) {
    std::string message;
    if (!app.take_recording_result(ok, message)) return false;
    std::fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "polarlab: ", message.c_str());
    if (!ok) exit_ = 1;
    return true;
  }
  if (bench_) return bench_->on_frame(app.state(), &frame_cap_);
  // --run-for (also implied by --screenshot and --export-figure): its seconds, and at least three frames, so the
  // layout has settled before the pictures are taken.
  if (options_.run_for < 0.0 || seconds < options_.run_for || app.frames() < 3) return false;
  if (!options_.export_figure.empty()) {
    const ExportResult r = app.export_figure(options_.export_figure, Panel::scores, false);
    std::fprintf(stderr, "polarlab: %s\n", r.message.c_str());
    if (!r.ok) exit_ = 1;
  }
  if (!options_.screenshot.empty()) {
    std::string err;
    if (!app.screenshot(options_.screenshot, err)) {
      std::fprintf(stderr, "polarlab: %s\n", err.c_str());
      exit_ = 1;
    }
  }
  return true;
}

}  // namespace polarlab::gui
