// Axis arithmetic for the plot widget, kept free of ImGui so it can be unit-tested:
// nice linear ticks, decade ticks for log axes, data ↔ pixel transforms and min/max decimation.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace polarlab::widgets {

enum class Scale { linear, log };

struct Tick {
  double value = 0.0;
  bool major = true;
  std::string label;     // plain text: "10^3", "0.25"; empty for minor ticks
  std::string mantissa;  // for log labels drawn with a raised exponent: "10" …
  std::string exponent;  // … and "3"; empty when the label is plain
};

// Ticks at 1, 2 or 5 × 10^k, at most max_ticks of them inside [lo, hi].
std::vector<Tick> linear_ticks(double lo, double hi, int max_ticks);
// Decade ticks 10^k inside [lo, hi] (lo > 0), every k-th decade when there are too many; minor ticks at
// 2..9 × 10^k when few decades are shown. Less than a decade falls back to nice linear ticks.
std::vector<Tick> log_ticks(double lo, double hi, int max_major);
std::vector<Tick> make_ticks(Scale scale, double lo, double hi, int max_major);

// Compact number text for labels and readouts: 0.25, 1.5e-05, 3000.
std::string format_number(double v, int significant = 4);
// Label of a linear tick given the spacing, so that 0.1, 0.2, 0.3 do not read 0.30000000000000004.
std::string format_tick(double v, double step);

// Maps data to [0, 1] along one axis (log axes in log10 space).
// A value in the axis's own space: log10(v) on a log axis (NaN where v ≤ 0), v on a linear one.
// AxisMap::forward is affine in it, so callers may cache it per point.
double axis_space(Scale scale, double v);

struct AxisMap {
  Scale scale = Scale::linear;
  double lo = 0.0, hi = 1.0;
  double forward(double v) const;  // data → fraction (NaN where a log axis has v ≤ 0)
  double inverse(double f) const;  // fraction → data
};

// Data range [lo, hi] padded by a fraction of its span (in log space for log axes) and made non-empty.
void pad_range(Scale scale, double& lo, double& hi, double fraction);

// Indices of the points to draw for a series of n points spread over `columns` pixel columns:
// within each column the first, the minimum, the maximum and the last point, in order. Extremes and
// both ends are always kept, so peaks never vanish; points whose x or y is not finite are skipped.
// `xcol(i)` gives the pixel column of point i (non-decreasing), `y(i)` the value.
template <class XCol, class Y>
void decimate_minmax(std::size_t n, XCol xcol, Y y, std::vector<std::size_t>& out) {
  out.clear();
  std::size_t i = 0;
  while (i < n) {
    const long col = xcol(i);
    std::size_t first = i, last = i, imin = i, imax = i;
    bool any = false;
    for (; i < n && xcol(i) == col; ++i) {
      const double v = y(i);
      if (!(v == v)) continue;
      if (!any) { first = imin = imax = i; any = true; }
      last = i;
      if (v < y(imin)) imin = i;
      if (v > y(imax)) imax = i;
    }
    if (!any) continue;
    std::size_t pick[4] = {first, imin, imax, last};
    // Keep the order along x so that the polyline does not double back.
    for (int a = 1; a < 4; ++a)
      for (int b = a; b > 0 && pick[b] < pick[b - 1]; --b) std::swap(pick[b], pick[b - 1]);
    for (std::size_t k : pick)
      if (out.empty() || out.back() != k) out.push_back(k);
  }
}

// Drops points that lie within `tolerance` pixels of the segment joining their kept neighbours
// (greedy, one pass): smooth curves keep a few percent of their points, corners and spikes stay.
// pts is an array of (x, y) pairs in pixels; the kept points are compacted in place; returns the count.
std::size_t simplify_polyline(float* xy, std::size_t n, float tolerance);

}  // namespace polarlab::widgets
