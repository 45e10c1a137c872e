// Helpers shared by the core tests.
#pragma once
#include <functional>

#include "core/types.hpp"

namespace polarlab::test {

// Central finite-difference gradient of f at x.
inline Vec finite_difference(const std::function<double(const Vec&)>& f, const Vec& x, double h = 1e-6) {
  Vec g(x.size());
  Vec xp = x, xm = x;
  for (Index i = 0; i < x.size(); ++i) {
    xp(i) = x(i) + h;
    xm(i) = x(i) - h;
    g(i) = (f(xp) - f(xm)) / (2 * h);
    xp(i) = xm(i) = x(i);
  }
  return g;
}

// max |a − b| / max(1, |b|): relative where values are large, absolute near zero.
inline double rel_error(const Vec& a, const Vec& b) {
  return ((a - b).array().abs() / b.array().abs().max(1.0)).maxCoeff();
}

}  // namespace polarlab::test
