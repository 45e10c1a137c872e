// Replay: the panels show a run up to a cursor time that moves at a pace in decades of t per second, so a
// speaker can narrate a run that the solver finishes in seconds. The cursor is log10 t (every decade of a run gets
// the same share of the time, as in the animations). No ImGui here: the App moves it, the timeline draws it.
#pragma once
#include <limits>
#include <optional>

namespace polarlab::gui {

struct History;

// Where the cursor may go for a run: log10 of its first record with t > 0 up to its last record so far (or a
// scene's start_t / end_t inside that).
struct ReplayRange {
  bool valid = false;      // false: no record with t > 0 yet
  double lo = 0.0, hi = 0.0;
  double end = 0.0;        // the cursor's last position: hi once the run finished, else the planned end
  bool finished = false;   // the run computed everything it will (hi is final)
};
ReplayRange replay_range(const History& h, std::optional<double> start_t = std::nullopt,
                         std::optional<double> end_t = std::nullopt);

struct Replay {
  static constexpr double kLecturePace = 0.25;  // one decade per 4 s: a speaker's pace
  static constexpr double kMinPace = 1.0 / 64, kMaxPace = 16.0;

  bool active = false;   // false: live, every record computed is shown
  bool playing = false;
  double pace = kLecturePace;  // decades of t per second
  double log_t = 0.0;          // the cursor, log10 t
  std::optional<double> start_t, end_t;  // a lecture scene's range (unset: the whole run)

  // From the range's start, playing.
  void restart(const ReplayRange& r);
  void go_live() { active = false, playing = false; }
  // Moves the cursor by `decades` within the range; a finished run's end stops it. True when it moved.
  bool advance(double decades, const ReplayRange& r);
  // Scrubbing: the cursor to log10 t = x (clamped to the range), paused.
  void seek(double x, const ReplayRange& r);
  void faster();  // pace × 2 (up to kMaxPace)
  void slower();  // pace ÷ 2 (down to kMinPace)
  // What the histories show: records with t <= t_max().
  double t_max() const;
  bool at_end(const ReplayRange& r) const { return r.valid && r.finished && log_t >= r.end - 1e-12; }
};

}  // namespace polarlab::gui
