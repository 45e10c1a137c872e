#include "core/plotkit/format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace polarlab::plotkit {

namespace {
// U+2212: a real minus sign, as typeset mathematics (and matplotlib) use, not a hyphen.
constexpr const char* kMinus = "\xE2\x88\x92";
constexpr const char* kTimes = "\xC3\x97";

std::string minus_signs(std::string s, Notation n) {
  if (n == Notation::plain) return s;
  std::string out;
  for (char c : s) {
    if (c == '-') out += kMinus;
    else out += c;
  }
  return out;
}

// mantissa × 10^k in the given notation; a mantissa of "1" ("-1") writes the power alone.
std::string scientific(const std::string& ms, int k, Notation n) {
  if (n == Notation::plain) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "e%c%02d", k < 0 ? '-' : '+', std::abs(k));
    return ms + buf;
  }
  const std::string exp = "10^{" + minus_signs(std::to_string(k), n) + "}";
  if (ms == "1") return exp;
  if (ms == "-1") return std::string(kMinus) + exp;
  return minus_signs(ms, n) + kTimes + exp;
}

void trim_zeros(std::string& s) {
  if (s.find('.') == std::string::npos) return;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
}
}  // namespace

std::string format_tick(double v, double step, Notation n) {
  if (std::fabs(v) < step * 1e-9) return "0";
  const int e = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  const double m = step / std::pow(10.0, e);  // 1, 2, 2.5 or 5
  // Scientific for values far from 1 (or a step too coarse for plain digits); 0.9996 next to 0.9998 stays plain.
  const int kv = std::fabs(v) > 0 ? static_cast<int>(std::floor(std::log10(std::fabs(v)) + 1e-9)) : e;
  if (e >= 5 || (e <= -4 && (kv <= -4 || e <= -7))) {
    // Value as mantissa × 10^k, with k the value's own exponent and as few digits as the step needs.
    const int k = static_cast<int>(std::floor(std::log10(std::fabs(v)) + 1e-9));
    const double mant = v / std::pow(10.0, k);
    const int digits = std::max(0, k - e + (m == 2.5 ? 1 : 0));
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", std::min(digits, 6), mant);
    std::string ms = buf;
    trim_zeros(ms);
    return scientific(ms, k, n);
  }
  // Fewest decimals that write the step exactly: 0.25 needs one more than its exponent says; 25 does not.
  const int decimals = std::max(0, -e) + ((m > 2.4 && m < 2.6 && e <= 0) ? 1 : 0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return minus_signs(buf, n);
}

std::string format_power(int k, Notation n) {
  if (n == Notation::plain) return "10^" + std::to_string(k);
  return "10^{" + minus_signs(std::to_string(k), n) + "}";
}

std::string format_number(double v, Notation n, int significant) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : minus_signs("-inf", n);
  if (v == 0) return "0";
  significant = std::clamp(significant, 1, 15);
  const double a = std::fabs(v);
  char buf[64];
  if (a >= 1e-3 && a < std::pow(10.0, significant)) {
    std::snprintf(buf, sizeof buf, "%.*g", significant, v);
    return minus_signs(buf, n);
  }
  int k = static_cast<int>(std::floor(std::log10(a)));
  double mant = v / std::pow(10.0, k);
  std::snprintf(buf, sizeof buf, "%.*g", std::max(1, significant - 1), mant);
  if (std::fabs(std::atof(buf)) >= 10.0) {  // 9.999 rounded up to 10: one decade more
    ++k;
    mant = v / std::pow(10.0, k);
    std::snprintf(buf, sizeof buf, "%.*g", std::max(1, significant - 1), mant);
  }
  return scientific(buf, k, n);
}

}  // namespace polarlab::plotkit
