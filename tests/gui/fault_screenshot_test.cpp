// A numerical fault inside the live lab: a learning rate that makes the square loss diverge. The CLI
// stops it with exit code 3 and keeps its records; the GUI, opened on the same config.json, must keep
// running (exit 0 at --run-for), keep the records drawn, and say why the run stopped (red status text).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/gui/png_image.hpp"

namespace fs = std::filesystem;
using polarlab::test::Image;
using polarlab::test::load_png;
using polarlab::test::have_display;
using polarlab::test::red_text_pixels;
using polarlab::test::run_command;

TEST(GuiFault, DivergingRunStopsWithItsReasonAndKeepsRecords) {
  if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run)";
  const fs::path dir = fs::path(testing::TempDir()) / "polarlab_gui_fault";
  fs::remove_all(dir);
  fs::create_directories(dir);
  // fig3 (square loss) with η = 50 overflows after ~84 steps: the CLI reports it with exit code 3.
  const std::string cli = std::string("\"") + POLARLAB_CLI + "\" simulate --preset fig3 --lr 50 --quiet --out \"" +
                          (dir / "run").string() + "\" 2>\"" + (dir / "cli.err").string() + "\"";
  ASSERT_EQ(run_command(cli), 3) << cli;
  ASSERT_TRUE(fs::exists(dir / "run" / "config.json"));

  const std::string png = (dir / "fault.png").string();
  const std::string gui = std::string("\"") + POLARLAB_GUI_EXE + "\" --config \"" + (dir / "run" / "config.json").string() +
                          "\" --size 1280x800 --run-for 2 --screenshot \"" + png + "\"";
  ASSERT_EQ(run_command(gui), 0) << gui;  // the app went on to its scripted end: no crash, no hang
  const Image im = load_png(png);
  ASSERT_TRUE(im.px) << png;
  ASSERT_EQ(im.w, 1280);
  ASSERT_EQ(im.h, 800);
  // The failure message sits in the status area under the plots (bottom eighth of the window).
  EXPECT_GT(red_text_pixels(im, 0, im.h * 7 / 8, im.w, im.h), 40) << "no red failure message in the status area";
  // The plot area still shows the records taken before the fault: many non-background pixels.
  int drawn = 0;
  for (int y = 40; y < im.h * 3 / 4; y += 2)
    for (int x = im.w / 3; x < im.w; x += 2) {
      const unsigned char* p = im.at(x, y);
      if (p[0] + p[1] + p[2] > 150) ++drawn;
    }
  EXPECT_GT(drawn, 2000) << "the plots look empty after the fault";
  fs::remove_all(dir);
}
