// Min/max decimation of one plotted series per pixel column, cached over frames: the plot widget's
// (app/widgets/plot.cpp), kept here without ImGui so that it is unit-tested (tests/gui/decimation_cache_test.cpp). A frame costs nothing when neither the data nor the view changed,
// O(new points) when points were appended to a series whose view reaches its end, and O(visible points)
// after a view change. A series that moved to a new address but still holds the points seen so far (a
// grown copy of a vector) is the same data and keeps its cache.
#pragma once
#include <cstddef>
#include <utility>
#include <vector>

#include "core/plotkit/scale.hpp"

namespace polarlab::plotkit {

// Indices of the points to draw for a series of n points spread over pixel columns: within each column the
// first, the minimum, the maximum and the last point, in order. Extremes and both ends are always kept, so
// peaks never vanish; points whose value is not finite are skipped.
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

// The x range and pixel columns points are decimated for, and the scales of both axes.
struct DecimationView {
  Scale x = Scale::linear, y = Scale::linear;
  double xlo = 0.0, xhi = 1.0;
  int columns = 1;
  bool operator==(const DecimationView&) const = default;
};

class DecimationCache {
 public:
  // This frame's data (x non-decreasing). Returns false when it is other data than last frame's (fewer
  // points, or a new address whose first and last seen points differ): the cache was emptied.
  bool bind(const double* x, const double* y, std::size_t n);

  enum class Update { kept, appended, redecimated, deferred };
  // Decimates for this view. A from-scratch pass costs the visible points; when `budget` (points this frame may
  // still redo) is spent (0) and the cached points are still points of this data on these scales, the cache
  // keeps last frame's points (exact points of the series, drawn with the new view), adds the points appended
  // since (decimated for last frame's columns) and returns deferred: a later frame redoes it.
  Update update(const DecimationView& view, std::size_t budget = static_cast<std::size_t>(-1));
  // Points the last update decimated from scratch (0 unless it returned redecimated).
  std::size_t last_cost() const { return last_cost_; }

  // The points to draw: absolute indices into the series, and their coordinates in axis space
  // (axis_space: log10 on log axes, NaN where undefined), so drawing is affine per point.
  const std::vector<std::size_t>& indices() const { return idx_; }
  const std::vector<double>& ax() const { return ax_; }
  const std::vector<double>& ay() const { return ay_; }

 private:
  void clear_points();
  void decimate_range(std::size_t from, std::size_t to);

  const double* x_ = nullptr;
  const double* y_ = nullptr;
  std::size_t n_ = 0;
  // identity: the first and the last point seen
  std::size_t seen_n_ = 0;
  double first_x_ = 0, first_y_ = 0, last_x_ = 0, last_y_ = 0;
  // the decimation: for dec_n_ points and this view
  bool valid_ = false;
  std::size_t dec_n_ = 0;
  DecimationView view_;
  std::vector<std::size_t> idx_;
  std::vector<double> ax_, ay_;
  bool to_end_ = false;       // the visible range reached the last point: appends extend the tail
  std::size_t tail_from_ = 0;  // first point of the last decimated column …
  std::size_t tail_pos_ = 0;   // … and where its entries start in idx_
  std::size_t last_cost_ = 0;
  std::vector<std::size_t> scratch_, bounds_;
};

}  // namespace polarlab::plotkit
