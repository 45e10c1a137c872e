#include "app/gui/lecture/replay.hpp"

#include <algorithm>
#include <cmath>

#include "app/gui/dynamics/history.hpp"

namespace polarlab::gui {

ReplayRange replay_range(const History& h, std::optional<double> start_t, std::optional<double> end_t) {
  ReplayRange r;
  if (!h.snap || !h.info) return r;
  const auto first = std::find_if(h.records.begin(), h.records.end(), [](const Record* rec) { return rec->t > 0.0; });
  if (first == h.records.end()) return r;
  r.valid = true;
  r.lo = std::log10((*first)->t);
  r.hi = std::log10(h.records.back()->t);
  const RunState st = h.snap->status.state;
  r.finished = st == RunState::finished || st == RunState::failed;
  const double planned = h.info->config.end_time();
  r.end = r.finished || !(planned > 0.0) ? r.hi : std::max(r.hi, std::log10(planned));
  if (end_t && *end_t > 0.0) r.end = std::min(r.end, std::log10(*end_t));
  if (start_t && *start_t > 0.0) r.lo = std::min(std::max(r.lo, std::log10(*start_t)), r.end);
  r.end = std::max(r.end, r.lo);
  // A scene's end before the run's: the cursor's range is final once the run got there.
  if (r.hi >= r.end) r.finished = true;
  r.hi = std::min(r.hi, r.end);
  return r;
}

void Replay::restart(const ReplayRange& r) {
  active = true;
  playing = true;
  log_t = r.valid ? r.lo : -std::numeric_limits<double>::infinity();
}

bool Replay::advance(double decades, const ReplayRange& r) {
  if (!r.valid) return false;
  if (!std::isfinite(log_t)) log_t = r.lo;
  const double before = log_t;
  log_t = std::clamp(log_t + decades, r.lo, r.hi);
  if (at_end(r)) playing = false;
  return log_t != before;
}

void Replay::seek(double x, const ReplayRange& r) {
  active = true;
  playing = false;
  if (r.valid) log_t = std::clamp(x, r.lo, r.hi);
}

void Replay::faster() { pace = std::min(kMaxPace, pace * 2.0); }
void Replay::slower() { pace = std::max(kMinPace, pace / 2.0); }

double Replay::t_max() const {
  if (!active) return std::numeric_limits<double>::infinity();
  // A hair above the cursor, so a record at exactly the cursor's time is shown despite rounding in pow.
  return std::pow(10.0, log_t) * (1.0 + 1e-12);
}

}  // namespace polarlab::gui
