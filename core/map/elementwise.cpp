// Element-wise maps: no normalization, hence no "fitness minus mean" coupling and no polarization.
#include <cmath>

#include "core/map/map.hpp"

namespace polarlab {

namespace {
double sigmoid(double x) {
  // Two branches so that exp never overflows.
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}
}  // namespace

void elementwise_map(MapKind kind, const Vec& a, Vec& s) {
  s.resize(a.size());
  for (Index i = 0; i < a.size(); ++i)
    s(i) = kind == MapKind::sigmoid ? sigmoid(a(i)) : (a(i) > 0.0 ? a(i) : 0.0);
}

void elementwise_map_vjp(MapKind kind, const Vec& a, const Vec& s, const Vec& g, Vec& out) {
  out.resize(a.size());
  for (Index i = 0; i < a.size(); ++i)
    out(i) = kind == MapKind::sigmoid ? g(i) * s(i) * (1.0 - s(i)) : (a(i) > 0.0 ? g(i) : 0.0);
}

}  // namespace polarlab
