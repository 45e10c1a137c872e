#include "core/observe/record_grid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace polarlab;

TEST(RecordGrid, GdContainsZeroPowersOfTenAndTheLastStep) {
  const auto g = gd_record_steps(1234567, 300);
  EXPECT_EQ(g.front(), 0);
  EXPECT_EQ(g.back(), 1234567);
  for (std::int64_t p = 1; p <= 1000000; p *= 10) EXPECT_TRUE(std::binary_search(g.begin(), g.end(), p)) << p;
  EXPECT_TRUE(std::is_sorted(g.begin(), g.end()));
  EXPECT_EQ(std::adjacent_find(g.begin(), g.end()), g.end());
  EXPECT_GT(g.size(), 250u);
}

TEST(RecordGrid, FlowIsLogSpacedWithExactDecades) {
  const auto t = flow_record_times(1e6, 2000);
  EXPECT_EQ(t.front(), 0.0);
  EXPECT_EQ(t.back(), 1e6);
  for (int k = -2; k <= 6; ++k) EXPECT_TRUE(std::binary_search(t.begin(), t.end(), std::pow(10.0, k))) << k;
  // Equal spacing in log t.
  const double r1 = std::log(t[10] / t[9]), r2 = std::log(t[1500] / t[1499]);
  EXPECT_NEAR(r1, r2, 1e-3);
}
