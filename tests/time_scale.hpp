// How much slower this build runs than a release build: sanitizer runs set POLARLAB_TEST_TIME_SCALE (the CI script
// and CMake do), and wall-clock budgets and scripted times stretch by it. Never below 1.
#pragma once
#include <algorithm>
#include <cstdlib>

namespace polarlab::test {

inline double time_scale() {
  const char* k = std::getenv("POLARLAB_TEST_TIME_SCALE");
  return std::max(1.0, k ? std::atof(k) : 1.0);
}

}  // namespace polarlab::test
