#include "core/plotkit/ticks.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab::plotkit {

namespace {
constexpr const char* kTimes = "\xC3\x97";

void split_step(double step, double& m, int& e) {
  e = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  m = step / std::pow(10.0, e);
}

long long tick_count(double lo, double hi, double step) {
  const double tol = step * 1e-7;
  return static_cast<long long>(std::floor((hi + tol) / step)) - static_cast<long long>(std::ceil((lo - tol) / step)) + 1;
}

// A decade tick's label, with its mantissa / exponent for a raised exponent on screen.
Tick decade_tick(int k, Notation n) {
  Tick t;
  t.value = std::pow(10.0, k);
  t.label = format_power(k, n);
  t.mantissa = "10";
  t.exponent = std::to_string(k);
  return t;
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

double finer_step(double step) {
  double m;
  int e;
  split_step(step, m, e);
  const double p = std::pow(10.0, e);
  return m > 4.0 ? 2.5 * p : m > 2.2 ? 2.0 * p : m > 1.5 ? p : 0.5 * p;
}

double coarser_step(double step) {
  double m;
  int e;
  split_step(step, m, e);
  const double p = std::pow(10.0, e);
  return m < 1.5 ? 2.0 * p : m < 2.2 ? 2.5 * p : m < 4.0 ? 5.0 * p : 10.0 * p;
}

std::vector<Tick> linear_ticks(double lo, double hi, TickCount count, Notation notation) {
  std::vector<Tick> out;
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) return out;
  double step = nice_step(lo, hi, count.target);
  if (count.at_most > 0)
    for (int guard = 0; guard < 60 && tick_count(lo, hi, step) > count.at_most; ++guard) step = coarser_step(step);
  for (int guard = 0; guard < 60 && tick_count(lo, hi, step) < count.at_least; ++guard) step = finer_step(step);
  const double tol = step * 1e-7;
  const auto first = static_cast<long long>(std::ceil((lo - tol) / step));
  const auto last = static_cast<long long>(std::floor((hi + tol) / step));
  for (long long i = first; i <= last && out.size() < 100; ++i) {
    const double v = static_cast<double>(i) * step;  // multiply, never accumulate: no drift
    out.push_back({v, format_tick(v, step, notation), true, "", ""});
  }
  return out;
}

std::vector<Tick> log_ticks(double lo, double hi, int max_major, Notation notation) {
  std::vector<Tick> out;
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return out;
  max_major = std::max(1, max_major);
  const double llo = std::log10(lo), lhi = std::log10(hi);
  const int kmin = static_cast<int>(std::ceil(llo - 1e-9));
  const int kmax = static_cast<int>(std::floor(lhi + 1e-9));
  const int ndec = kmax - kmin + 1;
  const int stride = ndec > max_major ? (ndec + max_major - 1) / max_major : 1;
  auto is_labelled = [&](int k) { return ((k % stride) + stride) % stride == 0; };
  for (int k = kmin; k <= kmax; ++k) {
    if (is_labelled(k)) out.push_back(decade_tick(k, notation));
    else out.push_back({std::pow(10.0, k), "", false, "", ""});
  }
  if (stride == 1) {
    int nmajor = 0;
    for (const auto& t : out) nmajor += t.major;
    std::vector<Tick> minors;
    for (int k = static_cast<int>(std::floor(llo)); k <= kmax; ++k)
      for (int m = 2; m <= 9; ++m) {
        const double v = m * std::pow(10.0, k);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) minors.push_back({v, "", false, "", ""});
      }
    // Less than two decades visible: label some minor ticks too, or the axis would read nothing.
    if (nmajor < 2)
      for (auto& t : minors) {
        const int k = static_cast<int>(std::floor(std::log10(t.value) + 1e-9));
        const int m = static_cast<int>(std::lround(t.value / std::pow(10.0, k)));
        if (minors.size() <= 4 || m == 2 || m == 5) {
          if (t.value >= 1e-3 && t.value < 1e4) {
            t.label = format_number(t.value, notation);
          } else {
            t.label = notation == Notation::plain ? format_number(t.value, notation)
                                                  : std::to_string(m) + kTimes + format_power(k, notation);
          }
        }
      }
    // Then the decade reads as a number too ("1", not "10^0", beside "2" and "5").
    if (nmajor < 2)
      for (auto& t : out)
        if (t.major && t.value >= 1e-3 && t.value < 1e4) {
          t.label = format_number(t.value, notation);
          t.mantissa.clear(), t.exponent.clear();
        }
    out.insert(out.end(), minors.begin(), minors.end());
  }
  std::sort(out.begin(), out.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
  // A narrow range (0.996 … 1.0002: a bound that hardly moves) has at most one decade or m·10^k inside it, so the
  // axis would read "1" alone and a reader would take a 0.4 % fall for a decade. Nice linear values instead.
  const auto labelled = std::count_if(out.begin(), out.end(), [](const Tick& t) { return !t.label.empty(); });
  if (labelled < 2) {
    std::vector<Tick> lin = linear_ticks(lo, hi, TickCount{3, 2, 5}, notation);
    if (lin.size() >= 2) return lin;
  }
  return out;
}

std::vector<Tick> make_ticks(Scale scale, double lo, double hi, TickCount count, Notation notation) {
  return scale == Scale::log ? log_ticks(lo, hi, count.target, notation) : linear_ticks(lo, hi, count, notation);
}

}  // namespace polarlab::plotkit
