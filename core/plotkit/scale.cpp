#include "core/plotkit/scale.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace polarlab::plotkit {

double axis_space(Scale scale, double v) {
  if (scale == Scale::log) return v > 0.0 ? std::log10(v) : std::numeric_limits<double>::quiet_NaN();
  return v;
}

double from_axis_space(Scale scale, double a) { return scale == Scale::log ? std::pow(10.0, a) : a; }

double AxisMap::forward(double v) const {
  const double a = axis_space(scale, lo);
  return (axis_space(scale, v) - a) / (axis_space(scale, hi) - a);
}

double AxisMap::inverse(double f) const {
  if (scale == Scale::log) {
    const double a = std::log10(lo), b = std::log10(hi);
    return std::pow(10.0, a + f * (b - a));
  }
  return lo + f * (hi - lo);
}

void pad_range(Scale scale, double& lo, double& hi, double margin) {
  if (scale == Scale::log) {
    if (!(lo > 0.0) || !std::isfinite(lo)) lo = hi > 0.0 && std::isfinite(hi) ? hi / 10.0 : 1e-3;
    if (!(hi > 0.0) || !std::isfinite(hi)) hi = lo * 10.0;
    double a = std::log10(lo), b = std::log10(hi);
    if (b - a < 1e-12) a -= 0.5, b += 0.5;
    const double pad = (b - a) * margin;
    lo = std::pow(10.0, a - pad);
    hi = std::pow(10.0, b + pad);
    return;
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = 0.0, hi = 1.0;
  if (hi - lo < 1e-300 + 1e-12 * std::fabs(hi)) {
    const double d = lo == 0 ? 1.0 : 0.5 * std::fabs(lo);
    lo -= d, hi += d;
  }
  const double pad = (hi - lo) * margin;
  lo -= pad;
  hi += pad;
}

bool padded_limits(const std::vector<double>& values, Scale scale, double& lo, double& hi, double margin) {
  double mn = INFINITY, mx = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    if (scale == Scale::log && !(v > 0)) continue;
    mn = std::min(mn, v);
    mx = std::max(mx, v);
  }
  if (!(mn <= mx)) return false;
  lo = mn, hi = mx;
  pad_range(scale, lo, hi, margin);
  return true;
}

}  // namespace polarlab::plotkit
