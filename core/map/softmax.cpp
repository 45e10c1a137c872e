#include <cmath>

#include "core/map/map.hpp"

namespace polarlab {

void softmax(const Vec& a, Vec& s) {
  // Shift by the max so that logits of size 1e3 do not overflow exp.
  const double m = a.maxCoeff();
  s = (a.array() - m).exp();
  s /= s.sum();
}

// Jᵀg = (diag(s) − s sᵀ) g = s ⊙ (g − ⟨s, g⟩): "fitness minus mean fitness".
void softmax_vjp(const Vec& s, const Vec& g, Vec& out) {
  const double mean = s.dot(g);
  out = s.array() * (g.array() - mean);
}

}  // namespace polarlab
