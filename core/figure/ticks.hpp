// Axis scales, tick placement and tick-label formatting (no cairo: unit-testable on its own).
// Labels use the renderer's small markup (see text.hpp): "10^{-2}", "2×10^{5}", "−0.5".
#pragma once
#include <string>
#include <vector>

namespace polarlab::figure {

enum class Scale { linear, log };

struct Tick {
  double value = 0.0;
  std::string label;  // markup; empty for minor ticks
  bool major = true;
};

// "Nice" step (1, 2, 2.5 or 5 × 10^k) whose number of intervals over [lo, hi] is closest to `target`.
double nice_step(double lo, double hi, int target = 5);
// Major ticks at multiples of nice_step inside [lo, hi] (with a tiny tolerance), labelled.
std::vector<Tick> linear_ticks(double lo, double hi, int target = 5);
// Majors at decades 10^k inside [lo, hi] (every n-th decade when there are too many, so that at most
// max_major are labelled), minors at m·10^k for m = 2..9 (and at the skipped decades).
std::vector<Tick> log_ticks(double lo, double hi, int max_major = 10);

// Label of a linear tick with the given step: "0", "0.25", "−1", "2×10^{5}" for very large or small values.
std::string format_linear_label(double v, double step);
// "10^{k}" (and "1" for k = 0, "10" for k = 1, as matplotlib writes them).
std::string format_log_label(int k);
// Compact number for legends and titles: "1", "0.05", "1×10^{-3}".
std::string format_number(double v);

// Limits of data padded as matplotlib does (5 % of the span, in log space for log axes).
// Non-positive values are ignored on log axes. Returns false when there is no usable value.
bool padded_limits(const std::vector<double>& values, Scale scale, double& lo, double& hi, double margin = 0.05);

}  // namespace polarlab::figure
