#include "core/animate/schedule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace polarlab::animate {

int frame_count(int fps, double duration_s) {
  return std::max(1, static_cast<int>(std::lround(fps * duration_s)));
}

std::vector<double> log_uniform_times(double t_first, double t_last, int n) {
  if (!(t_first > 0) || !(t_last >= t_first) || !std::isfinite(t_last) || n < 1)
    throw std::invalid_argument("log_uniform_times: need 0 < t_first <= t_last and n >= 1");
  if (n == 1) return {t_last};
  if (t_first == t_last) return std::vector<double>(static_cast<std::size_t>(n), t_last);
  std::vector<double> t(static_cast<std::size_t>(n));
  const double l0 = std::log(t_first), l1 = std::log(t_last);
  for (int k = 0; k < n; ++k) t[static_cast<std::size_t>(k)] = std::exp(l0 + (l1 - l0) * k / (n - 1));
  t.front() = t_first;
  t.back() = t_last;
  return t;
}

std::string time_label(double t) {
  char buf[64];
  const double a = std::fabs(t);
  if (t == 0 || (a >= 1e-2 && a < 1e4)) {
    std::snprintf(buf, sizeof buf, "$t$ = %.3g", t);
    return buf;
  }
  int e = static_cast<int>(std::floor(std::log10(a)));
  double m = t / std::pow(10.0, e);
  // 9.996 rounds to "10.0": carry into the exponent.
  if (std::fabs(std::round(m * 100) / 100) >= 10) m /= 10, ++e;
  std::snprintf(buf, sizeof buf, "$t$ = %.2f×10^{%d}", m, e);
  return buf;
}

}  // namespace polarlab::animate
