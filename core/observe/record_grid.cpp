#include "core/observe/record_grid.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab {

std::vector<std::int64_t> gd_record_steps(std::int64_t n, int count) {
  std::vector<std::int64_t> out{0};
  if (n <= 0) return out;
  const double top = std::log10(static_cast<double>(n));
  const int m = std::max(count, 2);
  for (int i = 0; i < m; ++i) {
    const double e = top * i / (m - 1);
    out.push_back(std::clamp<std::int64_t>(std::llround(std::pow(10.0, e)), 1, n));
  }
  for (std::int64_t p = 1; p <= n; p *= 10) {
    out.push_back(p);
    if (p > n / 10) break;
  }
  out.push_back(n);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<double> flow_record_times(double t_end, int count, double t_min) {
  std::vector<double> out{0.0};
  if (!(t_end > 0.0)) return out;
  t_min = std::min(t_min, t_end);
  const double lo = std::log10(t_min), hi = std::log10(t_end);
  const int m = std::max(count, 2);
  for (int i = 0; i < m; ++i) out.push_back(std::pow(10.0, lo + (hi - lo) * i / (m - 1)));
  for (int k = static_cast<int>(std::ceil(lo - 1e-12)); k <= static_cast<int>(std::floor(hi + 1e-12)); ++k)
    out.push_back(std::pow(10.0, k));
  out.push_back(t_end);
  std::sort(out.begin(), out.end());
  // Merge times closer than a relative 1e-12 (pow rounding), keeping exact powers of ten and t_end.
  std::vector<double> merged;
  for (double t : out) {
    if (!merged.empty() && std::abs(t - merged.back()) <= 1e-12 * std::max(1.0, std::abs(t))) {
      const double lg = std::log10(t);
      if (t == t_end || std::abs(lg - std::round(lg)) < 1e-12) merged.back() = t == t_end ? t : std::pow(10.0, std::round(lg));
      continue;
    }
    merged.push_back(t);
  }
  merged.back() = t_end;
  return merged;
}

}  // namespace polarlab
