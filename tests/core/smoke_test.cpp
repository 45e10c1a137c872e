#include <gtest/gtest.h>

#include "core/init/numpy_legacy_rng.hpp"

TEST(NumpyLegacyRng, CheckValues) {
  polarlab::NumpyLegacyRng rng(123);
  EXPECT_EQ(rng.gauss(), -1.0856306033005612);
  EXPECT_EQ(rng.gauss(), 0.9973454465835858);
  rng.seed_with(42);
  EXPECT_EQ(rng.gauss(), 0.4967141530112327);
}
