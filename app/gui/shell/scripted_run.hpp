// The rules of a scripted run (--run-for, --screenshot, --export-figure, --record, --bench) as an object the
// frame loop consults after every drawn frame, and the headless tests drive: when the run ends, what it writes,
// and the exit status (0 done, 1 a file it could not write or a video it could not encode, 2 a bad --record).
#pragma once
#include <memory>
#include <string>

#include "app/gui/shell/app.hpp"
#include "app/gui/shell/command_line.hpp"

namespace polarlab::gui {

class GuiBench;

class ScriptedRun {
 public:
  explicit ScriptedRun(const LaunchOptions& options);
  ~ScriptedRun();

  // Before the first frame: starts --record's video. False (exit status 2, the reason printed) when it cannot.
  bool start(App& app);
  // After a drawn frame (its pixels still in the back buffer), `seconds` after the run began: true when the run
  // is over (its files written or refused); exit_status() then says how it went.
  bool after_frame(App& app, double seconds);
  int exit_status() const { return exit_; }
  // The frame-rate cap for the window (seconds per frame; the benchmark's uncapped phase sets 0).
  double frame_cap() const { return frame_cap_; }

 private:
  LaunchOptions options_;
  std::unique_ptr<GuiBench> bench_;
  double frame_cap_ = 1.0 / 60.0;
  int exit_ = 0;
};

}  // namespace polarlab::gui
