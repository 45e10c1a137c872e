#include "core/init/numpy_legacy_rng.hpp"

#include <cmath>

namespace polarlab {

void NumpyLegacyRng::seed_with(std::uint32_t seed) {
  mt_.seed(seed);
  has_gauss_ = false;
  gauss_ = 0.0;
}

double NumpyLegacyRng::uniform() {
  const std::uint32_t a = static_cast<std::uint32_t>(mt_()) >> 5;
  const std::uint32_t b = static_cast<std::uint32_t>(mt_()) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyLegacyRng::gauss() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * uniform() - 1.0;
    x2 = 2.0 * uniform() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

Mat NumpyLegacyRng::randn(Index rows, Index cols) {
  Mat m(rows, cols);
  for (Index i = 0; i < rows; ++i)
    for (Index j = 0; j < cols; ++j) m(i, j) = gauss();
  return m;
}

Vec NumpyLegacyRng::randn(Index n) {
  Vec v(n);
  for (Index i = 0; i < n; ++i) v(i) = gauss();
  return v;
}

Vec NumpyLegacyRng::rand(Index n) {
  Vec v(n);
  for (Index i = 0; i < n; ++i) v(i) = uniform();
  return v;
}

}  // namespace polarlab
