// The plot widget's decimation cache (core/plotkit/decimation_cache.hpp) and its min/max decimation: appends
// cost only the tail, a moved buffer with the same points keeps the cache, a view change re-decimates, and
// every pixel column keeps its minimum and maximum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/plotkit/decimation_cache.hpp"

using namespace polarlab::plotkit;
using Update = DecimationCache::Update;

namespace {
std::vector<double> ramp(std::size_t n) {
  std::vector<double> x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  return x;
}
std::vector<double> wave(std::size_t n) {
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = std::sin(i * 0.01) + 1e-3 * static_cast<double>((i * 7919) % 13);
  return y;
}
}  // namespace

TEST(DecimateMinMax, KeepsExtremesAndEndsAndFewPoints) {
  const std::size_t n = 100000;
  std::vector<double> y(n);
  for (std::size_t i = 0; i < n; ++i) y[i] = std::sin(i * 0.001) + 1e-3 * ((i * 7919) % 13);
  y[31337] = 50.0;   // a single-point spike
  y[77777] = -50.0;  // and a dip
  const long columns = 500;
  std::vector<std::size_t> idx;
  decimate_minmax(n, [&](std::size_t i) { return static_cast<long>(i * columns / n); },
                  [&](std::size_t i) { return y[i]; }, idx);
  EXPECT_LE(idx.size(), 4u * columns);
  EXPECT_GE(idx.size(), 2u * columns);
  EXPECT_EQ(idx.front(), 0u);
  EXPECT_EQ(idx.back(), n - 1);
  auto has = [&](std::size_t k) { return std::find(idx.begin(), idx.end(), k) != idx.end(); };
  EXPECT_TRUE(has(31337));
  EXPECT_TRUE(has(77777));
  for (std::size_t i = 1; i < idx.size(); ++i) EXPECT_LT(idx[i - 1], idx[i]);
}

TEST(DecimateMinMax, SkipsMissingValues) {
  std::vector<double> y = {1, NAN, 3, NAN, NAN, 2};
  std::vector<std::size_t> idx;
  decimate_minmax(y.size(), [](std::size_t i) { return static_cast<long>(i); }, [&](std::size_t i) { return y[i]; },
                  idx);
  EXPECT_EQ(idx, (std::vector<std::size_t>{0, 2, 5}));
}

TEST(DecimationCache, MinAndMaxOfEveryPixelColumnArePreserved) {
  const std::size_t n = 50000;
  const std::vector<double> x = ramp(n);
  std::vector<double> y = wave(n);
  y[12345] = 9.0;
  y[40001] = -9.0;
  DecimationCache c;
  ASSERT_TRUE(c.bind(x.data(), y.data(), n) || true);
  const int columns = 400;
  const DecimationView v{Scale::linear, Scale::linear, 0.0, static_cast<double>(n - 1), columns};
  EXPECT_EQ(c.update(v), Update::redecimated);
  EXPECT_EQ(c.last_cost(), n);
  const auto& idx = c.indices();
  EXPECT_LE(idx.size(), 4u * (columns + 1));
  EXPECT_EQ(idx.front(), 0u);
  EXPECT_EQ(idx.back(), n - 1);
  ASSERT_EQ(c.ax().size(), idx.size());
  ASSERT_EQ(c.ay().size(), idx.size());
  for (std::size_t k = 0; k < idx.size(); ++k) {
    EXPECT_EQ(c.ax()[k], x[idx[k]]);
    EXPECT_EQ(c.ay()[k], y[idx[k]]);
  }
  // Per column (the same columns as the cache: x in [c/columns, (c+1)/columns) of the range).
  std::vector<double> lo(columns + 1, 1e300), hi(columns + 1, -1e300), klo = lo, khi = hi;
  auto col = [&](std::size_t i) { return std::min(columns, static_cast<int>(x[i] / (n - 1) * columns)); };
  for (std::size_t i = 0; i < n; ++i) lo[col(i)] = std::min(lo[col(i)], y[i]), hi[col(i)] = std::max(hi[col(i)], y[i]);
  for (std::size_t k : idx) klo[col(k)] = std::min(klo[col(k)], y[k]), khi[col(k)] = std::max(khi[col(k)], y[k]);
  for (int c2 = 0; c2 <= columns; ++c2) {
    EXPECT_EQ(lo[c2], klo[c2]) << c2;
    EXPECT_EQ(hi[c2], khi[c2]) << c2;
  }
  EXPECT_NE(std::find(idx.begin(), idx.end(), 12345u), idx.end());
  EXPECT_NE(std::find(idx.begin(), idx.end(), 40001u), idx.end());
}

TEST(DecimationCache, NothingChangedKeepsEverything) {
  const std::vector<double> x = ramp(10000), y = wave(10000);
  DecimationCache c;
  c.bind(x.data(), y.data(), x.size());
  const DecimationView v{Scale::linear, Scale::linear, 0.0, 20000.0, 300};
  EXPECT_EQ(c.update(v), Update::redecimated);
  const auto before = c.indices();
  EXPECT_TRUE(c.bind(x.data(), y.data(), x.size()));
  EXPECT_EQ(c.update(v), Update::kept);
  EXPECT_EQ(c.last_cost(), 0u);
  EXPECT_EQ(c.indices(), before);
}

TEST(DecimationCache, AppendsDoNotReDecimateAndMatchAFreshPass) {
  const std::size_t n = 20000;
  std::vector<double> x = ramp(n), y = wave(n);
  x.reserve(2 * n), y.reserve(2 * n);  // no reallocation: the same address, more points
  DecimationCache c;
  const DecimationView v{Scale::linear, Scale::linear, 0.0, 40000.0, 500};  // the view reaches past the data
  c.bind(x.data(), y.data(), n);
  EXPECT_EQ(c.update(v), Update::redecimated);
  for (std::size_t i = n; i < n + 3000; ++i) x.push_back(static_cast<double>(i)), y.push_back(std::cos(i * 0.02));
  EXPECT_TRUE(c.bind(x.data(), y.data(), x.size()));
  EXPECT_EQ(c.update(v), Update::appended);
  EXPECT_EQ(c.last_cost(), 0u);
  // The tail update gives what a fresh decimation of all points gives.
  DecimationCache fresh;
  fresh.bind(x.data(), y.data(), x.size());
  fresh.update(v);
  EXPECT_EQ(c.indices(), fresh.indices());
  EXPECT_EQ(c.ay(), fresh.ay());
}

TEST(DecimationCache, AMovedBufferWithTheSamePointsKeepsTheCache) {
  const std::size_t n = 30000;
  std::vector<double> x = ramp(n), y = wave(n);
  DecimationCache c;
  const DecimationView v{Scale::linear, Scale::linear, 0.0, 30000.0, 600};
  c.bind(x.data(), y.data(), n);
  c.update(v);
  // A grown copy at a new address (a vector that reallocated): same first and last seen points.
  std::vector<double> x2 = x, y2 = y;
  x2.push_back(static_cast<double>(n)), y2.push_back(0.5);
  ASSERT_NE(x2.data(), x.data());
  EXPECT_TRUE(c.bind(x2.data(), y2.data(), x2.size()));
  EXPECT_NE(c.update(v), Update::redecimated);
  EXPECT_EQ(c.last_cost(), 0u);
  EXPECT_EQ(c.indices().back(), n);
  // Other data at a new address (a restarted run): the cache starts over.
  std::vector<double> y3 = y2;
  y3[0] += 1.0;
  EXPECT_FALSE(c.bind(x2.data(), y3.data(), y3.size()));
  EXPECT_EQ(c.update(v), Update::redecimated);
}

TEST(DecimationCache, AViewChangeReDecimatesUnlessTheBudgetIsSpent) {
  const std::size_t n = 40000;
  const std::vector<double> x = ramp(n), y = wave(n);
  DecimationCache c;
  c.bind(x.data(), y.data(), n);
  const DecimationView v{Scale::linear, Scale::linear, 0.0, 40000.0, 500};
  c.update(v);
  DecimationView zoomed = v;
  zoomed.xlo = 10000.0, zoomed.xhi = 20000.0;
  // The frame's budget is spent: last frame's points stand in (they are points of this data).
  const auto before = c.indices();
  EXPECT_EQ(c.update(zoomed, 0), Update::deferred);
  EXPECT_EQ(c.indices(), before);
  // Budget left: the visible points (plus one beyond each edge) are decimated again.
  EXPECT_EQ(c.update(zoomed, 1), Update::redecimated);
  EXPECT_EQ(c.last_cost(), 10003u);
  EXPECT_EQ(c.indices().front(), 9999u);
  EXPECT_EQ(c.indices().back(), 20001u);
  // More columns, and a log y scale: both are view changes.
  DecimationView wider = zoomed;
  wider.columns = 800;
  EXPECT_EQ(c.update(wider), Update::redecimated);
  DecimationView logy = wider;
  logy.y = Scale::log;
  EXPECT_EQ(c.update(logy, 0), Update::redecimated);  // other scales: last frame's points cannot stand in
  for (double a : c.ay()) EXPECT_TRUE(std::isnan(a) || a == a);
}

// A series waiting for its redo (the frame's budget spent by other plots) still shows the points appended since:
// the panels of one window end at the same record (issue 26: at p = 4000 four panels stood still for 25 s).
TEST(DecimationCache, ADeferredSeriesStillReachesItsLastPoint) {
  const std::size_t n = 40000;
  std::vector<double> x = ramp(n), y = wave(n);
  x.reserve(2 * n), y.reserve(2 * n);  // appends keep the address, as the History's reserved columns do
  DecimationCache c;
  c.bind(x.data(), y.data(), 30000);
  const DecimationView v{Scale::linear, Scale::linear, 0.0, 30000.0, 500};
  c.update(v);
  ASSERT_EQ(c.indices().back(), 29999u);
  // More points and a wider view (auto-fit follows the data) with no budget left: deferred, yet to the end.
  c.bind(x.data(), y.data(), n);
  DecimationView wider = v;
  wider.xhi = 40000.0;
  EXPECT_EQ(c.update(wider, 0), Update::deferred);
  EXPECT_EQ(c.indices().back(), n - 1);
  EXPECT_EQ(c.last_cost(), 0u);
  // Every index drawn is a point of the series, in order; the extremes of the new part are among them.
  for (std::size_t j = 1; j < c.indices().size(); ++j) EXPECT_LT(c.indices()[j - 1], c.indices()[j]);
  // The redo comes on a frame with budget.
  EXPECT_EQ(c.update(wider, 1), Update::redecimated);
  EXPECT_EQ(c.indices().back(), n - 1);
}
