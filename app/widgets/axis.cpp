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
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10.0 * mag;
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
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 10);
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
  const double step = nice_step(hi - lo, max_ticks);
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
    // Too narrow for decades to tell anything: nice linear ticks, and a decade label if one is inside.
    out = linear_ticks(lo, hi, std::max(3, max_major));
    out.erase(std::remove_if(out.begin(), out.end(), [](const Tick& t) { return t.value <= 0.0; }), out.end());
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

double AxisMap::forward(double v) const {
  if (scale == Scale::log) {
    if (!(v > 0.0)) return kNaN;
    const double a = std::log10(lo), b = std::log10(hi);
    return (std::log10(v) - a) / (b - a);
  }
  return (v - lo) / (hi - lo);
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

}  // namespace polarlab::widgets
