// Runs the real app under the current display (CI: xvfb-run ctest) with --run-for and --screenshot,
// then checks the PNGs: requested size, not blank, coordinate colours present, plots moving.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "app/widgets/colormap.hpp"

namespace {

struct Image {
  int w = 0, h = 0;
  std::shared_ptr<unsigned char> px;
  const unsigned char* at(int x, int y) const { return px.get() + (static_cast<std::size_t>(y) * w + x) * 3; }
};

Image load(const std::string& path) {
  Image im;
  int n = 0;
  unsigned char* data = stbi_load(path.c_str(), &im.w, &im.h, &n, 3);
  if (data) im.px.reset(data, [](unsigned char* p) { stbi_image_free(p); });
  return im;
}

std::string shot(double seconds, const std::string& extra = "") {
  const std::string out = (std::filesystem::path(testing::TempDir()) /
                           ("polarlab_fig2_" + std::to_string(static_cast<int>(seconds * 10)) + extra.substr(0, 3) + ".png"))
                              .string();
  std::filesystem::remove(out);
  const std::string cmd = std::string("\"") + POLARLAB_GUI_EXE + "\" --preset fig2 --size 1280x800 --run-for " +
                          std::to_string(seconds) + " --screenshot \"" + out + "\" " + extra;
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  return out;
}

class Screenshot : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) return;
    early_ = load(shot(1.0));
    late_ = load(shot(3.0));
  }
  void SetUp() override {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display) GTEST_SKIP() << "no DISPLAY (run under xvfb-run)";
  }
  static Image early_, late_;
};
Image Screenshot::early_, Screenshot::late_;

TEST_F(Screenshot, HasTheRequestedSize) {
  ASSERT_TRUE(early_.px && late_.px);
  EXPECT_EQ(early_.w, 1280);
  EXPECT_EQ(early_.h, 800);
  EXPECT_EQ(late_.w, 1280);
  EXPECT_EQ(late_.h, 800);
}

TEST_F(Screenshot, IsNotBlankAndShowsTheCoordinateColours) {
  ASSERT_TRUE(late_.px);
  std::set<unsigned> colours;
  for (int y = 0; y < late_.h; ++y)
    for (int x = 0; x < late_.w; ++x) {
      const auto* p = late_.at(x, y);
      colours.insert(p[0] << 16 | p[1] << 8 | p[2]);
    }
  EXPECT_GT(colours.size(), 500u);
  // fig2 has p = 8 coordinates: each colour appears (legend swatches and lines), within a small tolerance.
  for (int i = 0; i < 8; ++i) {
    const auto c = polarlab::widgets::series_color(i);
    int count = 0;
    for (int y = 0; y < late_.h; ++y)
      for (int x = 0; x < late_.w; ++x) {
        const auto* p = late_.at(x, y);
        if (std::abs(p[0] - c.r) <= 4 && std::abs(p[1] - c.g) <= 4 && std::abs(p[2] - c.b) <= 4) ++count;
      }
    EXPECT_GE(count, 40) << "coordinate " << i << " colour missing";
  }
}

TEST_F(Screenshot, PlotRegionChangesBetweenOneAndThreeSeconds) {
  ASSERT_TRUE(early_.px && late_.px);
  ASSERT_EQ(early_.w, late_.w);
  // Right of the side panel, above the status line: the plots.
  long differ = 0, total = 0;
  for (int y = 0; y < late_.h - 40; ++y)
    for (int x = 400; x < late_.w; ++x, ++total) {
      const auto *a = early_.at(x, y), *b = late_.at(x, y);
      if (a[0] != b[0] || a[1] != b[1] || a[2] != b[2]) ++differ;
    }
  EXPECT_GT(differ, total / 100) << differ << " of " << total << " pixels differ";
}

}  // namespace
