// Axis scales shared by the screen (app/widgets) and the figures (core/figure): the data ↔ fraction map of
// one axis and the padding of a data range. No ImGui, no Cairo.
#pragma once
#include <vector>

namespace polarlab::plotkit {

enum class Scale { linear, log };

// A value in the axis's own space: log10(v) on a log axis (NaN where v ≤ 0), v on a linear one.
// AxisMap::forward is affine in it, so callers may cache it per point.
double axis_space(Scale scale, double v);
// The inverse of axis_space: 10^a on a log axis.
double from_axis_space(Scale scale, double a);

// Maps data to [0, 1] along one axis (log axes in log10 space).
struct AxisMap {
  Scale scale = Scale::linear;
  double lo = 0.0, hi = 1.0;
  double forward(double v) const;  // data → fraction (NaN where a log axis has v ≤ 0)
  double inverse(double f) const;  // fraction → data
};

// [lo, hi] padded by `margin` of its span (in log space for log axes, as matplotlib does) and made non-empty:
// a single value gets ±half its size (±1 at zero; ±half a decade on a log axis). A log axis with a
// non-positive or non-finite end gets a usable one (a decade beside the other end).
void pad_range(Scale scale, double& lo, double& hi, double margin);
// Limits of data: its finite values (positive ones on a log axis), padded by pad_range.
// Returns false when there is no usable value.
bool padded_limits(const std::vector<double>& values, Scale scale, double& lo, double& hi, double margin = 0.05);

}  // namespace polarlab::plotkit
