#include "app/widgets/axis.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab::widgets {

std::vector<Tick> make_ticks(Scale scale, double lo, double hi, int max_ticks) {
  max_ticks = std::max(2, max_ticks);
  return plotkit::make_ticks(scale, lo, hi, plotkit::TickCount{scale == Scale::log ? max_ticks : max_ticks - 1, 2, max_ticks},
                             plotkit::Notation::plain);
}

std::size_t simplify_polyline(float* xy, std::size_t n, float tol) {
  // Sleeve fitting: from the last kept point A, every later point P allows chord directions within
  // asin(tol/|AP|) of its own direction; while the allowed intervals intersect, one chord from A serves
  // all of them. When they stop intersecting, the previous point is kept and becomes the new A.
  if (n <= 2) return n;
  constexpr double kPi = 3.14159265358979323846;
  std::size_t out = 1;
  double ax = xy[0], ay = xy[1];
  double lo = 0, hi = 0;
  bool open = false;  // an interval exists for the current anchor
  for (std::size_t i = 1; i < n; ++i) {
    const double px = xy[2 * i], py = xy[2 * i + 1];
    const double dx = px - ax, dy = py - ay, d = std::sqrt(dx * dx + dy * dy);
    if (d <= tol) continue;  // within the tolerance of the anchor itself
    double ang = std::atan2(dy, dx);
    const double half = std::asin(std::min(1.0, tol / d));
    if (open) {
      const double mid = 0.5 * (lo + hi);
      while (ang < mid - kPi) ang += 2 * kPi;
      while (ang > mid + kPi) ang -= 2 * kPi;
      if (ang >= lo && ang <= hi) {
        lo = std::max(lo, ang - half);
        hi = std::min(hi, ang + half);
        continue;
      }
      // Keep the previous point and restart the sleeve from it.
      ax = xy[2 * (i - 1)], ay = xy[2 * (i - 1) + 1];
      xy[2 * out] = static_cast<float>(ax), xy[2 * out + 1] = static_cast<float>(ay);
      ++out;
      const double ex = px - ax, ey = py - ay, e = std::sqrt(ex * ex + ey * ey);
      if (e <= tol) { open = false; continue; }
      ang = std::atan2(ey, ex);
      const double h = std::asin(std::min(1.0, tol / e));
      lo = ang - h, hi = ang + h;
      continue;
    }
    lo = ang - half, hi = ang + half;
    open = true;
  }
  xy[2 * out] = xy[2 * (n - 1)], xy[2 * out + 1] = xy[2 * (n - 1) + 1];
  return out + 1;
}

}  // namespace polarlab::widgets
