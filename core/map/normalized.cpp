// Normalized maps σ_f(a)_i = f(a_i) / (Σ_j f(a_j) + 1e-10) for f = |x|, x, x², max(x, 0).
#include <cmath>
#include <sstream>

#include "core/map/map.hpp"

namespace polarlab {

namespace {
double f_value(MapKind kind, double x) {
  switch (kind) {
    case MapKind::l1: return std::abs(x);
    case MapKind::sum: return x;
    case MapKind::l2: return x * x;
    case MapKind::relu_norm: return x > 0.0 ? x : 0.0;
    default: return std::exp(x);
  }
}
double f_prime(MapKind kind, double x) {
  switch (kind) {
    case MapKind::l1: return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : 0.0);
    case MapKind::sum: return 1.0;
    case MapKind::l2: return 2.0 * x;
    case MapKind::relu_norm: return x > 0.0 ? 1.0 : 0.0;
    default: return std::exp(x);
  }
}
double denominator(MapKind kind, const Vec& a) {
  double total = 0.0;
  for (Index i = 0; i < a.size(); ++i) total += f_value(kind, a(i));
  // Below this the scores are meaningless (or infinite): say so instead of returning NaN.
  if (!(std::abs(total) > 1e-9)) {
    std::ostringstream msg;
    msg << "normalized map '" << map_name(kind) << "': denominator sum_j f(a_j) = " << total
        << " vanished (all logits non-positive for relu_norm, or cancelling for sum); "
           "choose another initialization or map";
    throw NumericalError(msg.str());
  }
  return total + kNormalizedMapEps;
}
}  // namespace

void normalized_map(MapKind kind, const Vec& a, Vec& s) {
  const double den = denominator(kind, a);
  s.resize(a.size());
  for (Index i = 0; i < a.size(); ++i) s(i) = f_value(kind, a(i)) / den;
}

// Jᵀg = f′(a)/F ⊙ (g − ⟨g, s⟩ 1), the replicator form of §3.2.
void normalized_map_vjp(MapKind kind, const Vec& a, const Vec& s, const Vec& g, Vec& out) {
  const double den = denominator(kind, a);
  const double mean = s.dot(g);
  out.resize(a.size());
  for (Index i = 0; i < a.size(); ++i) out(i) = f_prime(kind, a(i)) / den * (g(i) - mean);
}

}  // namespace polarlab
