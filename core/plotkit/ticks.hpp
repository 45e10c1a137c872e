// Tick placement shared by the screen (app/widgets) and the figures (core/figure): one algorithm, the
// figures' (matplotlib's look): linear steps of 1, 2, 2.5 or 5 × 10^k whose count is closest to a target,
// decades on log axes with minor ticks at 2..9 × 10^k. The screen adds bounds on the count (see TickCount).
#pragma once
#include <string>
#include <vector>

#include "core/plotkit/format.hpp"
#include "core/plotkit/scale.hpp"

namespace polarlab::plotkit {

struct Tick {
  double value = 0.0;
  std::string label;     // in the requested notation; empty for minor ticks
  bool major = true;
  std::string mantissa;  // decade labels, for a raised exponent: "10" …
  std::string exponent;  // … and "3" (plain ASCII); both empty for other labels
};

struct TickCount {
  int target = 5;    // intervals wanted: the nice step whose count of intervals is closest wins
  int at_least = 0;  // take finer steps until this many ticks fit (a short axis in lecture-size fonts)
  int at_most = 0;   // take coarser steps while there are more ticks than this (0: no bound)
};

// "Nice" step (1, 2, 2.5 or 5 × 10^k) whose number of intervals over [lo, hi] is closest to `target`.
double nice_step(double lo, double hi, int target = 5);
// The nice steps next to `step`: 5 → 2.5 → 2 → 1 → 0.5 (× a power of ten) and back.
double finer_step(double step);
double coarser_step(double step);

// Major ticks at multiples of the step inside [lo, hi] (with a tiny tolerance), labelled by format_tick.
std::vector<Tick> linear_ticks(double lo, double hi, TickCount count, Notation notation = Notation::markup);
inline std::vector<Tick> linear_ticks(double lo, double hi, int target = 5, Notation notation = Notation::markup) {
  return linear_ticks(lo, hi, TickCount{target, 0, 0}, notation);
}
// Majors at decades 10^k inside [lo, hi] (lo > 0; every n-th decade when there are more than max_major, on
// multiples of n so that labels stay put while panning), minors at m·10^k for m = 2..9 (and at the skipped
// decades). Less than two decades visible: some minor ticks are labelled too (2 and 5, or all of up to four),
// and decades near 1 read as plain numbers ("1", not 10^0, beside "2" and "5").
std::vector<Tick> log_ticks(double lo, double hi, int max_major = 10, Notation notation = Notation::markup);
// linear_ticks or log_ticks (log: max_major = count.target).
std::vector<Tick> make_ticks(Scale scale, double lo, double hi, TickCount count, Notation notation = Notation::markup);

}  // namespace polarlab::plotkit
