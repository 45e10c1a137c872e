// The screen's axes: core/plotkit's scales, ticks and number formats (shared with the figures) with the
// screen's choices (ASCII labels, tick counts bounded by the room for labels), and the polyline
// simplification of the plot widget. No ImGui here.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/plotkit/scale.hpp"
#include "core/plotkit/ticks.hpp"

namespace polarlab::widgets {

using plotkit::axis_space;
using plotkit::AxisMap;
using plotkit::pad_range;
using plotkit::Scale;
using plotkit::Tick;

// Ticks for an axis with room for about max_ticks labels: plotkit's placement aiming at max_ticks - 1
// intervals, never more than max_ticks ticks, and finer steps until at least two fit (a short axis in
// lecture-size fonts); log axes label at most max_ticks decades. Labels in plain ASCII, decades with
// mantissa "10" and exponent for a raised exponent (draw_util.hpp).
std::vector<Tick> make_ticks(Scale scale, double lo, double hi, int max_ticks);
inline std::vector<Tick> linear_ticks(double lo, double hi, int max_ticks) {
  return make_ticks(Scale::linear, lo, hi, max_ticks);
}
inline std::vector<Tick> log_ticks(double lo, double hi, int max_ticks) { return make_ticks(Scale::log, lo, hi, max_ticks); }

// Compact number text for labels and readouts (plotkit::format_number in ASCII): 0.25, 1.5e-05, 3000.
inline std::string format_number(double v, int significant = 4) {
  return plotkit::format_number(v, plotkit::Notation::plain, significant);
}
// Label of a linear tick given the spacing (plotkit::format_tick in ASCII): 0.1, 0.2, 0.3, not 0.30000000000000004.
inline std::string format_tick(double v, double step) { return plotkit::format_tick(v, step, plotkit::Notation::plain); }

// Drops points that lie within `tolerance` pixels of the segment joining their kept neighbours
// (greedy, one pass): smooth curves keep a few percent of their points, corners and spikes stay.
// pts is an array of (x, y) pairs in pixels; the kept points are compacted in place; returns the count.
std::size_t simplify_polyline(float* xy, std::size_t n, float tolerance);

}  // namespace polarlab::widgets
