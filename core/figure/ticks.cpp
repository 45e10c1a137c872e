#include "core/figure/ticks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace polarlab::figure {

namespace {
// U+2212: a real minus sign, as typeset mathematics (and matplotlib) use, not a hyphen.
constexpr const char* kMinus = "\xE2\x88\x92";

std::string replace_hyphen(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '-') out += kMinus;
    else out += c;
  }
  return out;
}

// Mantissa m ∈ {1, 2, 2.5, 5} and exponent e of a nice step.
void split_step(double step, double& m, int& e) {
  e = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  m = step / std::pow(10.0, e);
}
}  // namespace

double nice_step(double lo, double hi, int target) {
  double span = std::fabs(hi - lo);
  if (!(span > 0) || !std::isfinite(span)) span = std::max(std::fabs(lo), 1.0);
  const double raw = span / std::max(1, target);
  const double e = std::floor(std::log10(raw));
  double best = 0, best_err = INFINITY;
  for (double d : {e, e + 1})
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
      const double step = m * std::pow(10.0, d);
      const double err = std::fabs(span / step - target);
      if (err < best_err - 1e-9) best = step, best_err = err;  // ties keep the smaller step seen first
    }
  return best;
}

std::string format_linear_label(double v, double step) {
  if (std::fabs(v) < step * 1e-9) return "0";
  double m;
  int e;
  split_step(step, m, e);
  if (e >= 5 || e <= -4) {
    // Value as mantissa × 10^k, with k the value's own exponent and as few digits as the step needs.
    const int k = static_cast<int>(std::floor(std::log10(std::fabs(v)) + 1e-9));
    const double mant = v / std::pow(10.0, k);
    const int digits = std::max(0, k - e + (m == 2.5 ? 1 : 0));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", std::min(digits, 6), mant);
    std::string ms = buf;
    if (ms.find('.') != std::string::npos) {
      while (!ms.empty() && ms.back() == '0') ms.pop_back();
      if (!ms.empty() && ms.back() == '.') ms.pop_back();
    }
    std::string exp = replace_hyphen(std::to_string(k));
    if (ms == "1") return "10^{" + exp + "}";
    if (ms == "-1") return std::string(kMinus) + "10^{" + exp + "}";
    return replace_hyphen(ms) + "\xC3\x97" "10^{" + exp + "}";
  }
  // 0.25 needs one digit more than its exponent says; 25 does not.
  const int decimals = std::max(0, -e) + ((m > 2.4 && m < 2.6 && e <= 0) ? 1 : 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return replace_hyphen(buf);
}

std::string format_log_label(int k) { return "10^{" + replace_hyphen(std::to_string(k)) + "}"; }

std::string format_number(double v) {
  if (v == 0) return "0";
  const double a = std::fabs(v);
  if (a >= 1e-3 && a < 1e4) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return replace_hyphen(buf);
  }
  const int k = static_cast<int>(std::floor(std::log10(a)));
  const double mant = v / std::pow(10.0, k);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", mant);
  const std::string ms = buf;
  const std::string exp = replace_hyphen(std::to_string(k));
  if (ms == "1") return "10^{" + exp + "}";
  return replace_hyphen(ms) + "\xC3\x97" "10^{" + exp + "}";
}

std::vector<Tick> linear_ticks(double lo, double hi, int target) {
  std::vector<Tick> out;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return out;
  const double step = nice_step(lo, hi, target);
  const double tol = step * 1e-7;
  const auto first = static_cast<long long>(std::ceil((lo - tol) / step));
  const auto last = static_cast<long long>(std::floor((hi + tol) / step));
  for (long long i = first; i <= last && out.size() < 100; ++i) {
    const double v = static_cast<double>(i) * step;  // multiply, never accumulate: no drift
    out.push_back({v, format_linear_label(v, step), true});
  }
  return out;
}

std::vector<Tick> log_ticks(double lo, double hi, int max_major) {
  std::vector<Tick> out;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return out;
  const double llo = std::log10(lo), lhi = std::log10(hi);
  const int kmin = static_cast<int>(std::ceil(llo - 1e-9));
  const int kmax = static_cast<int>(std::floor(lhi + 1e-9));
  const int ndec = kmax - kmin + 1;
  const int stride = ndec > max_major ? (ndec + max_major - 1) / max_major : 1;
  auto is_labelled = [&](int k) { return ((k % stride) + stride) % stride == 0; };
  for (int k = kmin; k <= kmax; ++k) {
    const double v = std::pow(10.0, k);
    if (is_labelled(k)) out.push_back({v, format_log_label(k), true});
    else out.push_back({v, "", false});
  }
  if (stride == 1) {
    int nmajor = 0;
    for (const auto& t : out) nmajor += t.major;
    std::vector<Tick> minors;
    for (int k = static_cast<int>(std::floor(llo)); k <= kmax; ++k)
      for (int m = 2; m <= 9; ++m) {
        const double v = m * std::pow(10.0, k);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) minors.push_back({v, "", false});
      }
    // Less than two decades visible: label some minor ticks too, or the axis would read nothing.
    if (nmajor < 2)
      for (auto& t : minors) {
        const int k = static_cast<int>(std::floor(std::log10(t.value) + 1e-9));
        const int m = static_cast<int>(std::lround(t.value / std::pow(10.0, k)));
        if (minors.size() <= 4 || m == 2 || m == 5)
          t.label = t.value >= 1e-3 && t.value < 1e4 ? format_number(t.value)
                                                     : std::to_string(m) + "\xC3\x97" + format_log_label(k);
      }
    // Then the decade reads as a number too ("1", not "10^0", beside "2" and "5").
    if (nmajor < 2)
      for (auto& t : out)
        if (t.major && t.value >= 1e-3 && t.value < 1e4) t.label = format_number(t.value);
    out.insert(out.end(), minors.begin(), minors.end());
  }
  std::sort(out.begin(), out.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
  return out;
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
  if (scale == Scale::log) {
    double a = std::log10(mn), b = std::log10(mx);
    if (b - a < 1e-12) a -= 0.5, b += 0.5;
    const double pad = (b - a) * margin;
    lo = std::pow(10.0, a - pad);
    hi = std::pow(10.0, b + pad);
  } else {
    if (mx - mn < 1e-300 + 1e-12 * std::fabs(mx)) {
      const double d = mn == 0 ? 1.0 : 0.5 * std::fabs(mn);
      mn -= d, mx += d;
    }
    const double pad = (mx - mn) * margin;
    lo = mn - pad;
    hi = mx + pad;
  }
  return true;
}

}  // namespace polarlab::figure
