// numpy's legacy global generator (np.random.seed / randn / rand), bit for bit.
// The paper's official code draws all initial states with it, so presets must too.
#pragma once
#include <cstdint>
#include <random>

#include "core/types.hpp"

namespace polarlab {

class NumpyLegacyRng {
 public:
  explicit NumpyLegacyRng(std::uint32_t seed = 0) { seed_with(seed); }

  // np.random.seed(k): MT19937 init_genrand(k) and the cached Gaussian is dropped.
  void seed_with(std::uint32_t seed);

  // np.random.rand(): 53-bit double from two 32-bit outputs.
  double uniform();
  // np.random.randn(): Marsaglia polar method with numpy's cached second value.
  double gauss();

  // Row-major fill, as numpy fills randn(rows, cols).
  Mat randn(Index rows, Index cols);
  Vec randn(Index n);
  Vec rand(Index n);

 private:
  std::mt19937 mt_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace polarlab
