// The plot widget's caches over frames, in a headless ImGui context: data that moved to a new address is
// not decimated again, and when every view changes at once the re-decimation is spread over frames.
#include <gtest/gtest.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "app/widgets/plot.hpp"

namespace {

using polarlab::widgets::LineStyle;
using polarlab::widgets::Plot;
using polarlab::widgets::PlotOptions;
using polarlab::widgets::Scale;

using Column = std::vector<double>;

class PlotCaches : public testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(900, 700);
    io.DeltaTime = 1.0f / 60.0f;
    io.IniFilename = nullptr;
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL 3 backend: large lists split
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One frame with one plot of these series (x shared); returns the points decimated from scratch.
  std::size_t frame(const Column& x, const std::vector<Column>& ys, std::size_t n) {
    const std::size_t before = Plot::points_redecimated();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(900, 700));
    ImGui::Begin("w");
    PlotOptions o;
    o.title = "series";
    o.x = Scale::linear;
    o.size = ImVec2(800, 500);
    {
      Plot p(testing::UnitTest::GetInstance()->current_test_info()->name(), o);  // plot state outlives a context
      for (std::size_t k = 0; k < ys.size(); ++k)
        p.line(("y" + std::to_string(k)).c_str(), x.data(), ys[k].data(), n, LineStyle{});
      p.end();
    }
    ImGui::End();
    ImGui::Render();
    return Plot::points_redecimated() - before;
  }
};

std::vector<Column> make_series(std::size_t count, std::size_t n) {
  std::vector<Column> ys(count, Column(n));
  for (std::size_t k = 0; k < count; ++k)
    for (std::size_t i = 0; i < n; ++i) ys[k][i] = std::sin(0.001 * static_cast<double>(i * (k + 1))) + 0.1 * k;
  return ys;
}

Column make_x(std::size_t n) {
  Column x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  return x;
}

TEST_F(PlotCaches, DataThatMovedWithTheSameValuesKeepsItsDecimation) {
  const std::size_t n = 100000;
  const Column x = make_x(n);
  const std::vector<Column> ys = make_series(8, n);
  EXPECT_EQ(frame(x, ys, n), 8 * n);  // the first frame decimates everything
  EXPECT_EQ(frame(x, ys, n), 0u);     // nothing changed
  const Column x2 = x;                // the same data at new addresses, as after a vector grew
  const std::vector<Column> ys2 = ys;
  EXPECT_EQ(frame(x2, ys2, n), 0u);
  std::vector<Column> other = ys2;    // different data at the same length is decimated again
  other[3][0] += 1.0;
  other[3][n - 1] += 1.0;
  EXPECT_EQ(frame(x2, other, n), n);
}

TEST_F(PlotCaches, AViewChangeOfEverySeriesIsSpreadOverFrames) {
  const std::size_t n0 = 150000, n1 = 200000, count = 30;
  const Column x = make_x(n1);
  const std::vector<Column> ys = make_series(count, n1);
  EXPECT_EQ(frame(x, ys, n0), count * n0);
  // More points widen the auto-fitted x range: every series must be decimated again for the new view.
  std::size_t total = 0, frames = 0, largest = 0;
  for (std::size_t got; (got = frame(x, ys, n1)) > 0 && frames < 100; ++frames) total += got, largest = std::max(largest, got);
  EXPECT_EQ(total, count * n1);
  EXPECT_GT(frames, 3u);
  // A frame stops starting series once it has done its budget (6·10⁵ points): at most one series more.
  EXPECT_LE(largest, 600000 + n1);
  EXPECT_EQ(frame(x, ys, n1), 0u);  // and then all caches are current
}

}  // namespace
