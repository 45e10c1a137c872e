#include "app/widgets/axis.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace polarlab::widgets {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double nice_step(double span, int max_ticks) {
  const double raw = span / std::max(1, max_ticks - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10.0 * mag;
}

// The next nice step below: 5 → 2 → 1 → 0.5 (× a power of ten).
double smaller_nice_step(double step) {
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double m = step / mag;
  return m > 4.0 ? 2.0 * mag : (m > 1.5 ? mag : 0.5 * mag);
}
}  // namespace

std::string format_number(double v, int significant) {
  if (!std::isfinite(v)) return v != v ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[64];
  const double a = std::fabs(v);
  if (a != 0.0 && (a < 1e-3 || a >= 1e5)) std::snprintf(buf, sizeof buf, "%.*e", std::max(0, significant - 2), v);
  else std::snprintf(buf, sizeof buf, "%.*g", significant, v);
  std::string s = buf;
  // 1.50e-05 → 1.5e-05: trailing zeros in the mantissa carry nothing.
  if (auto e = s.find('e'); e != std::string::npos) {
    std::string m = s.substr(0, e), x = s.substr(e);
    if (m.find('.') != std::string::npos) {
      while (!m.empty() && m.back() == '0') m.pop_back();
      if (!m.empty() && m.back() == '.') m.pop_back();
    }
    s = m + x;
  }
  return s == "-0" ? "0" : s;
}

std::string format_tick(double v, double step) {
  if (std::fabs(v) < step * 1e-9) return "0";
  const double a = std::fabs(v);
  char buf[64];
  if (a >= 1e5 || a < 1e-3) {
    const int digits = std::max(0, static_cast<int>(std::ceil(std::log10(a) - std::log10(step))));
    return format_number(v, std::min(digits + 1, 6));
  }
  // Fewest decimals that write the step exactly (0.25 needs 2, 5 needs 0).
  int decimals = 0;
  while (decimals < 10) {
    const double scaled = step * std::pow(10.0, decimals);
    if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) break;
    ++decimals;
  }
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  // 2.50 with a 0.25 step stays 2.50 → trim to 2.5 (the step needs at most those digits).
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

std::vector<Tick> linear_ticks(double lo, double hi, int max_ticks) {
  std::vector<Tick> out;
  if (!(std::isfinite(lo) && std::isfinite(hi)) || hi <= lo || max_ticks < 2) return out;
  double step = nice_step(hi - lo, max_ticks);
  // A short axis (few ticks allowed, as with lecture-size fonts) could get a single tick, which gives no
  // scale: take finer steps until two fit.
  auto count = [&](double st) { return std::floor(hi / st + 1e-9) - std::ceil(lo / st - 1e-9) + 1; };
  while (count(step) < 2) step = smaller_nice_step(step);
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int k = 0;; ++k) {
    const double v = first + k * step;
    if (v > hi + step * 1e-9 || k > 1000) break;
    Tick t;
    t.value = std::fabs(v) < step * 1e-9 ? 0.0 : v;
    t.label = format_tick(t.value, step);
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<Tick> log_ticks(double lo, double hi, int max_major) {
  std::vector<Tick> out;
  if (!(lo > 0.0) || !std::isfinite(hi) || hi <= lo) return out;
  const double llo = std::log10(lo), lhi = std::log10(hi);
  const int k0 = static_cast<int>(std::ceil(llo - 1e-9)), k1 = static_cast<int>(std::floor(lhi + 1e-9));
  const int decades = k1 - k0 + 1;
  if (decades < 2) {
    // Too narrow for decades alone: label 1, 2, 5 × 10^k (or every mantissa when even that is sparse),
    // so that both ends of a one-decade axis carry numbers.
    for (const std::vector<int>& mantissas : {std::vector<int>{1, 2, 5}, std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
      out.clear();
      for (int k = static_cast<int>(std::floor(llo)); k <= static_cast<int>(std::ceil(lhi)); ++k)
        for (int m = 1; m <= 9; ++m) {
          const double v = m * std::pow(10.0, k);
          if (v < lo * (1 - 1e-12) || v > hi * (1 + 1e-12)) continue;
          const bool major = std::find(mantissas.begin(), mantissas.end(), m) != mantissas.end();
          out.push_back(Tick{v, major, major ? format_number(v, 3) : "", "", ""});
        }
      int majors = 0;
      for (const Tick& t : out) majors += t.major;
      if (majors >= 3 || mantissas.size() == 9) break;
    }
    if (out.size() < 2) out = linear_ticks(lo, hi, std::max(3, max_major));
    return out;
  }
  const int every = std::max(1, static_cast<int>(std::ceil(static_cast<double>(decades) / std::max(1, max_major))));
  // Start on a multiple of `every` so that labels stay put while panning.
  int kstart = k0;
  while (((kstart % every) + every) % every != 0) ++kstart;
  const bool minors = every == 1 && decades <= 8;
  for (int k = static_cast<int>(std::floor(llo)); k <= k1; ++k) {
    const double dec = std::pow(10.0, k);
    if (k >= kstart && (k - kstart) % every == 0 && dec >= lo * (1 - 1e-12)) {
      Tick t;
      t.value = dec;
      t.mantissa = "10";
      t.exponent = std::to_string(k);
      t.label = "10^" + t.exponent;
      out.push_back(std::move(t));
    } else if (dec >= lo && dec <= hi) {
      out.push_back(Tick{dec, false, "", "", ""});  // a skipped decade still gets a tick mark
    }
    if (minors)
      for (int m = 2; m <= 9; ++m) {
        const double v = m * dec;
        if (v >= lo && v <= hi) out.push_back(Tick{v, false, "", "", ""});
      }
  }
  std::sort(out.begin(), out.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
  return out;
}

std::vector<Tick> make_ticks(Scale scale, double lo, double hi, int max_major) {
  return scale == Scale::log ? log_ticks(lo, hi, max_major) : linear_ticks(lo, hi, max_major);
}

double axis_space(Scale scale, double v) {
  if (scale == Scale::log) return v > 0.0 ? std::log10(v) : kNaN;
  return v;
}

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

void pad_range(Scale scale, double& lo, double& hi, double fraction) {
  if (scale == Scale::log) {
    if (!(lo > 0.0) || !std::isfinite(lo)) lo = hi > 0.0 && std::isfinite(hi) ? hi / 10.0 : 1e-3;
    if (!(hi > 0.0) || !std::isfinite(hi)) hi = lo * 10.0;
    double a = std::log10(lo), b = std::log10(hi);
    if (b - a < 1e-9) { a -= 0.5; b += 0.5; }
    const double pad = (b - a) * fraction;
    lo = std::pow(10.0, a - pad);
    hi = std::pow(10.0, b + pad);
    return;
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) { lo = 0.0; hi = 1.0; }
  if (hi - lo < 1e-300 + 1e-12 * std::fabs(hi)) {
    const double w = lo == 0.0 ? 1.0 : std::fabs(lo) * 0.1;
    lo -= w;
    hi += w;
  }
  const double pad = (hi - lo) * fraction;
  lo -= pad;
  hi += pad;
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
