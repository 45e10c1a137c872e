// The Sweeps workspace of the real app under the current display (CI: xvfb-run ctest), on a real sweep: the ci-tiny
// grid (4 induction runs of 5 steps) planned, run through the local back end and collected by polarlab-cli, then
// opened with --sweep. Pixel checks: requested size, not blank, the grid's heatmap colours; with a cell and a run
// chosen (--sweep-cell, --sweep-run) the run's attention maps (colormap levels, causal grey, BOS column in gold);
// a run whose attention.json is gone and a folder that does not exist leave the app running with a message.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "app/widgets/colormap.hpp"
#include "tests/gui/png_image.hpp"

namespace {

namespace fs = std::filesystem;
namespace widgets = polarlab::widgets;
using polarlab::test::distinct_colours;
using polarlab::test::have_display;
using polarlab::test::red_text_pixels;
using polarlab::test::run_command;
using polarlab::test::Image;

constexpr int kW = 1280, kH = 800;
constexpr int kMainX = 360;  // the side panel is 340 px wide (scale 1)

fs::path work_dir() { return fs::path(testing::TempDir()) / "polarlab_gui_sweeps"; }

// Runs the app on the sweep with extra arguments; rc goes to *rc.
Image shot(const std::string& name, const std::string& args, int* rc) {
  const std::string out = (work_dir() / (name + ".png")).string();
  fs::remove(out);
  const std::string cmd = std::string("\"") + POLARLAB_GUI_EXE + "\" " + args + " --size " + std::to_string(kW) + "x" +
                          std::to_string(kH) + " --run-for 2 --screenshot \"" + out + "\" 2>\"" +
                          (work_dir() / (name + ".err")).string() + "\"";
  *rc = run_command(cmd);
  return polarlab::test::load_png(out);
}

bool near(const unsigned char* p, widgets::Rgb c, int tol) {
  return std::abs(p[0] - c.r) <= tol && std::abs(p[1] - c.g) <= tol && std::abs(p[2] - c.b) <= tol;
}

long colormap_pixels(const Image& im, int x0, int y0, int x1, int y1, std::set<int>* levels = nullptr) {
  widgets::Rgb lut[256];
  for (int k = 0; k < 256; ++k) lut[k] = widgets::colormap(widgets::Colormap::viridis, k / 255.0);
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x)
      for (int k = 0; k < 256; ++k)
        if (near(im.at(x, y), lut[k], 3)) {
          ++n;
          if (levels) levels->insert(k / 32);
          break;
        }
  return n;
}

long colour_pixels(const Image& im, widgets::Rgb c, int tol, int x0, int y0, int x1, int y1) {
  long n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += near(im.at(x, y), c, tol);
  return n;
}

// The side panel's red messages (IM_COL32(255, 110, 110)), anti-aliased glyphs included.
// runs.tsv (index, id, one column per swept parameter): the id of the run with these values.
std::string run_id(const fs::path& sweep, const std::map<std::string, std::string>& want) {
  std::ifstream in(sweep / "runs.tsv");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> cols;
  {
    std::istringstream h(line);
    for (std::string c; std::getline(h, c, '\t');) cols.push_back(c);
  }
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::map<std::string, std::string> row;
    std::size_t k = 0;
    for (std::string c; std::getline(ls, c, '\t') && k < cols.size(); ++k) row[cols[k]] = c;
    bool ok = true;
    for (const auto& [key, value] : want) ok &= row[key] == value;
    if (ok) return row["id"];
  }
  return "";
}

class SweepsWorkspace : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!have_display()) return;
    fs::remove_all(work_dir());
    fs::create_directories(work_dir());
    sweep_ = (work_dir() / "sweep").string();
    const std::string cli = std::string("\"") + POLARLAB_CLI + "\"";
    const std::string log = " >>\"" + (work_dir() / "cli.log").string() + "\" 2>&1";
    setup_rc_ = run_command(cli + " sweep plan \"" + POLARLAB_ASSETS_DIR + "/sweeps/ci-tiny.yaml\" --out \"" + sweep_ + "\"" + log);
    if (setup_rc_ == 0) setup_rc_ = run_command(cli + " sweep run \"" + sweep_ + "\" --local --jobs 2" + log);
    if (setup_rc_ == 0) setup_rc_ = run_command(cli + " sweep collect \"" + sweep_ + "\"" + log);
    if (setup_rc_ != 0) return;
    softmax2_ = run_id(sweep_, {{"attention", "softmax"}, {"heads", "2"}});
    sigmoid1_ = run_id(sweep_, {{"attention", "sigmoid_norm"}, {"heads", "1"}});
    // --sweep alone opens the sweeps workspace.
    grid_ = shot("grid", "--sweep \"" + sweep_ + "\"", &grid_rc_);
    run_ = shot("run", "--sweep \"" + sweep_ + "\" --sweep-cell accuracy_lambda0.2:0:softmax:2 --sweep-run " + softmax2_,
                &run_rc_);
    // A run whose maps are gone: its panel says so, the rest of the app goes on.
    fs::remove(fs::path(sweep_) / "runs" / sigmoid1_ / "attention.json");
    broken_ = shot("broken", "--sweep \"" + sweep_ + "\" --sweep-cell accuracy_lambda0.2:0:sigmoid_norm:1 --sweep-run " +
                                 sigmoid1_, &broken_rc_);
    missing_ = shot("missing", "--workspace sweeps --sweep \"" + (work_dir() / "no-such-sweep").string() + "\"",
                    &missing_rc_);
  }
  void SetUp() override {
    if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run)";
    ASSERT_EQ(setup_rc_, 0) << "polarlab-cli sweep plan/run/collect failed: see " << (work_dir() / "cli.log");
    ASSERT_FALSE(softmax2_.empty());
    ASSERT_FALSE(sigmoid1_.empty());
  }
  static std::string sweep_, softmax2_, sigmoid1_;
  static int setup_rc_, grid_rc_, run_rc_, broken_rc_, missing_rc_;
  static Image grid_, run_, broken_, missing_;
};
std::string SweepsWorkspace::sweep_, SweepsWorkspace::softmax2_, SweepsWorkspace::sigmoid1_;
int SweepsWorkspace::setup_rc_ = -1, SweepsWorkspace::grid_rc_ = -1, SweepsWorkspace::run_rc_ = -1,
    SweepsWorkspace::broken_rc_ = -1, SweepsWorkspace::missing_rc_ = -1;
Image SweepsWorkspace::grid_, SweepsWorkspace::run_, SweepsWorkspace::broken_, SweepsWorkspace::missing_;

TEST_F(SweepsWorkspace, GridHasTheRequestedSizeAndHeatmapColours) {
  ASSERT_EQ(grid_rc_, 0);
  ASSERT_TRUE(grid_.px);
  EXPECT_EQ(grid_.w, kW);
  EXPECT_EQ(grid_.h, kH);
  EXPECT_GT(distinct_colours(grid_), 200u);
  // The accuracy grid (2 attention types × 2 heads; 5 steps: accuracy near 0, the darkest colour) and its colorbar,
  // in the upper part right of the side panel.
  std::set<int> levels;
  const long cells = colormap_pixels(grid_, kMainX, 30, kW, kH / 2, &levels);
  EXPECT_GT(cells, 4 * 40 * 25) << "too few heatmap pixels";
  EXPECT_GE(levels.size(), 4u) << "the colorbar's levels are missing";
  EXPECT_GT(colour_pixels(grid_, widgets::colormap(widgets::Colormap::viridis, 0.0), 3, kMainX, 30, kW, kH / 2), 4 * 30 * 20);
  // Nothing chosen yet: no attention maps in the lower half.
  EXPECT_LT(colormap_pixels(grid_, kMainX, kH / 2, kW, kH), 200);
}

TEST_F(SweepsWorkspace, ClickedCellAndRunShowTheRunsAttentionMaps) {
  ASSERT_EQ(run_rc_, 0);
  ASSERT_TRUE(run_.px);
  EXPECT_EQ(run_.w, kW);
  // The run's 2 layers × 2 heads maps fill the lower right: several colormap levels, the causal mask's grey, the BOS
  // key column outlined in gold.
  const int x0 = kW * 2 / 5, y0 = kH / 2;
  std::set<int> levels;
  EXPECT_GT(colormap_pixels(run_, x0, y0, kW, kH, &levels), 4000);
  EXPECT_GE(levels.size(), 3u);
  EXPECT_GT(colour_pixels(run_, widgets::kMaskedColor, 2, x0, y0, kW, kH), 2000);
  EXPECT_GT(colour_pixels(run_, {255, 215, 0}, 10, x0, y0, kW, kH), 200);
  // The chosen cell is outlined in gold in the grid above.
  EXPECT_GT(colour_pixels(run_, {255, 215, 0}, 10, kMainX, 30, kW, kH / 3), 100);
}

TEST_F(SweepsWorkspace, RunWithoutAttentionFileSaysSoAndTheAppKeepsRunning) {
  ASSERT_EQ(broken_rc_, 0) << "the app did not reach its scripted end";
  ASSERT_TRUE(broken_.px);
  const int x0 = kW * 2 / 5, y0 = kH / 2;
  // No maps: hardly any colormap or gold pixels where the maps would be (the curves from metrics.csv remain).
  EXPECT_LT(colour_pixels(broken_, widgets::kMaskedColor, 2, x0, y0 + kH / 6, kW, kH), 200);
  EXPECT_LT(colour_pixels(broken_, {255, 215, 0}, 10, x0, y0 + kH / 6, kW, kH), 50);
  // The run's row and panel still exist: the lower area is not empty.
  EXPECT_GT(distinct_colours(broken_), 200u);
}

// A --sweep folder that does not exist is a missing input (issue 25): exit 2 naming the flag, no window, no PNG.
// (A folder typed into the workspace's box is read by the loader, whose message sweeps_logic_test checks.)
TEST_F(SweepsWorkspace, MissingFolderIsRefusedBeforeTheWindow) {
  EXPECT_EQ(missing_rc_, 2);
  EXPECT_FALSE(missing_.px) << "a screenshot was written";
  std::ifstream err(work_dir() / "missing.err");
  const std::string text((std::istreambuf_iterator<char>(err)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("--sweep: "), std::string::npos) << text;
  EXPECT_NE(text.find("no-such-sweep"), std::string::npos) << text;
}

}  // namespace
