// The lecture kit in the live lab, driven as a speaker drives it: the replay's pace and keys, the timeline,
// recording on a fixed frame clock (the written video decoded back), lecture scripts navigated with injected
// keys, their errors with file:line, and the shipped lecture at projector sizes.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <thread>

#include "app/gui/shell/app.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/heatmap.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/text_cache.hpp"
#ifdef HAVE_POLARLAB_TRANSFORMER
#include "app/gui/transformer/state.hpp"
#endif
#include "tests/cli_runner.hpp"
#include "tests/gui/app_driver.hpp"
#include "tests/temp_dir.hpp"
#include "tests/video_decode.hpp"

namespace {

using polarlab::gui::App;
using polarlab::gui::AppError;
using polarlab::gui::AppOptions;
using polarlab::gui::History;
using polarlab::gui::replay_range;
using polarlab::gui::testing::child_named;
using polarlab::gui::testing::Driver;
using polarlab::gui::testing::headless_options;
using polarlab::gui::testing::panel_windows;
using polarlab::test::TempDir;

using polarlab::gui::testing::finished;
using polarlab::gui::testing::press;
using polarlab::gui::testing::primary;
using polarlab::gui::testing::wait_finished;

// The App at a projector size on the shipped lecture (assets/lectures/polarization.yaml).
AppOptions shipped_lecture(int w, int h) {
  AppOptions o = headless_options("fig2", w, h);
  o.lecture_script = std::string(POLARLAB_ASSETS_DIR) + "/lectures/polarization.yaml";
  return o;
}

// ------------------------------------------------------------------------------------------------ replay

TEST(Replay, LectureModeRevealsTheRunAtTheSpeakersPace) {
  AppOptions o = headless_options("fig2");
  o.lecture = true;
  Driver d(o);
  ASSERT_TRUE(wait_finished(d));
  auto& rp = d.app.state().replay;
  ASSERT_TRUE(rp.active && rp.playing) << "lecture mode starts the replay";
  EXPECT_DOUBLE_EQ(rp.pace, 0.25);
  const double x0 = rp.log_t;
  for (int i = 0; i < 40; ++i) d.frame(0.1);  // 4 s of talk
  EXPECT_NEAR(rp.log_t - x0, 1.0, 1e-9) << "one decade of t per 4 s";
  // The panels show the run up to the cursor, not what the solver finished long ago.
  const History& h = primary(d);
  ASSERT_LT(h.size(), h.records.size());
  EXPECT_LE(h.now_t(), std::pow(10.0, rp.log_t) * (1 + 1e-9));
  EXPECT_GT(h.records[h.size()]->t, std::pow(10.0, rp.log_t));
  EXPECT_EQ(h.t.size(), h.s.front().size());

  press(d, GLFW_KEY_EQUAL);  // faster
  EXPECT_DOUBLE_EQ(rp.pace, 0.5);
  double x1 = rp.log_t;
  for (int i = 0; i < 20; ++i) d.frame(0.1);
  EXPECT_NEAR(rp.log_t - x1, 1.0, 1e-3);
  press(d, GLFW_KEY_MINUS);
  press(d, GLFW_KEY_MINUS);
  EXPECT_DOUBLE_EQ(rp.pace, 0.125);

  press(d, GLFW_KEY_SPACE);  // the audience's pause
  EXPECT_FALSE(rp.playing);
  x1 = rp.log_t;
  for (int i = 0; i < 20; ++i) d.frame(0.1);
  EXPECT_EQ(rp.log_t, x1);
  press(d, GLFW_KEY_SPACE);
  EXPECT_TRUE(rp.playing);

  for (int i = 0; i < 2000 && rp.playing; ++i) d.frame(0.5);
  EXPECT_FALSE(rp.playing) << "the replay stops at the run's end";
  EXPECT_EQ(primary(d).size(), primary(d).records.size());
}

// Paused in the lab, then lecture mode: the replay would catch up with the paused solver and wait for ever (space
// only pauses the replay there), so starting or resuming a replay resumes the solver too.
TEST(Replay, ALectureReplayResumesAPausedRun) {
  Driver d(headless_options("fig2"));
  auto solver_playing = [&] { return primary(d).snap && primary(d).snap->playing; };
  ASSERT_TRUE(d.until(solver_playing));
  press(d, GLFW_KEY_SPACE);
  ASSERT_TRUE(d.until([&] { return !solver_playing(); }));
  press(d, GLFW_KEY_L);
  EXPECT_TRUE(d.app.state().lecture);
  EXPECT_TRUE(d.app.state().replay.active && d.app.state().replay.playing);
  EXPECT_TRUE(d.until(solver_playing, 10.0)) << "the run stayed paused under the replay";
  press(d, GLFW_KEY_SPACE);  // lecture mode: the replay pauses, the solver may run on
  EXPECT_FALSE(d.app.state().replay.playing);
  press(d, GLFW_KEY_SPACE);
  EXPECT_TRUE(d.app.state().replay.playing);
}

TEST(Replay, TheTimelineScrubsAndLiveShowsEverything) {
  Driver d(headless_options("fig2", 1280, 800));
  ASSERT_TRUE(wait_finished(d));
  EXPECT_FALSE(d.app.state().replay.active) << "outside lecture mode the panels start live";
  ImGuiWindow* tl = child_named("timeline");
  ASSERT_NE(tl, nullptr) << "no timeline under the plots";
  const ImVec4 row(tl->Pos.x, tl->Pos.y, tl->Pos.x + tl->Size.x, tl->Pos.y + ImGui::GetFrameHeight());
  const auto slider = d.find("##timeline", row, 2.0f);
  ASSERT_TRUE(slider);
  // Press at the slider's left end and drag a little: the cursor goes near the run's start.
  ImGuiWindow* w = tl;
  float left = slider->x;
  for (float x = slider->x; x > w->Pos.x; x -= 2.0f) {
    d.move(x, slider->y);
    d.settle(1e-4);
    if (Driver::hovered() == 0 || ImGui::GetHoveredID() != Driver::hovered()) break;
    left = x;
  }
  d.click(ImVec2(left + 3.0f, slider->y));
  auto& rp = d.app.state().replay;
  const auto r = replay_range(primary(d));
  ASSERT_TRUE(rp.active);
  EXPECT_FALSE(rp.playing);
  EXPECT_LT(rp.log_t, r.lo + 0.5) << "a click at the left end of the timeline";
  EXPECT_LT(primary(d).size(), primary(d).records.size() / 4);
  const auto live = d.find("Live", ImVec4(row.x, row.y, row.x + 200.0f, row.w), 2.0f);
  ASSERT_TRUE(live);
  d.click(*live);
  EXPECT_FALSE(rp.active);
  EXPECT_EQ(primary(d).size(), primary(d).records.size());
  press(d, GLFW_KEY_P);  // replay from the start
  EXPECT_TRUE(rp.active && rp.playing);
  EXPECT_NEAR(rp.log_t, r.lo, 1e-3);
}

// ------------------------------------------------------------------------------------------------ recording

struct Recorded {
  std::vector<double> moments;  // the cursor (log10 t) of each video frame
  bool ok = false;
  std::string message;
  int width = 0, height = 0;
};

// Records fig2 at 2 decades/s and 30 fps, headless: each due frame gets a picture whose colour encodes its index.
// Under `load`, two threads spin on the (two) cores and the frames claim a slow, irregular frame rate.
Recorded record(const std::string& path, bool load) {
  AppOptions o = headless_options("fig2", 640, 480);
  o.pace = 2.0;
  Driver d(o);
  std::atomic<bool> stop{false};
  std::vector<std::thread> hogs;
  if (load)
    for (int i = 0; i < 2; ++i)
      hogs.emplace_back([&] {
        volatile double x = 0;
        while (!stop.load(std::memory_order_relaxed)) x = x + 1;
      });
  Recorded out;
  out.width = d.app.framebuffer_width();
  out.height = d.app.framebuffer_height();
  EXPECT_EQ(d.app.start_recording(path, 30), "");
  for (int frame = 0; frame < 200000; ++frame) {
    d.frame(load ? 0.05 + 0.3 * (frame % 3) : 1.0 / 60.0);
    if (d.app.recording_frame_due()) {
      const double moment = d.app.state().replay.log_t;
      const int before = d.app.recorded_frames();
      polarlab::figure::Bitmap b;
      b.width = out.width, b.height = out.height;
      const std::uint32_t k = static_cast<std::uint32_t>((out.moments.size() + 1) * 2 % 256);
      b.pixels.assign(static_cast<std::size_t>(b.width) * b.height, 0xff000000u | k << 16 | (255 - k) << 8);
      d.app.deliver_recording_frame(std::move(b));
      // A full encoder queue refuses the frame: the clock stays and the same moment comes again.
      if (d.app.recorded_frames() > before) out.moments.push_back(moment);
    }
    if (d.app.take_recording_result(out.ok, out.message)) break;
  }
  stop = true;
  for (auto& t : hogs) t.join();
  return out;
}

TEST(Record, TheFixedFrameClockGivesTheSameVideoUnderLoad) {
  TempDir dir("record");
  const std::string quiet = (dir.path / "quiet.mp4").string(), busy = (dir.path / "busy.mp4").string();
  const Recorded a = record(quiet, false);
  const Recorded b = record(busy, true);
  ASSERT_TRUE(a.ok) << a.message;
  ASSERT_TRUE(b.ok) << b.message;
  EXPECT_NE(a.message.find("wrote " + quiet), std::string::npos) << a.message;
  // fig2's records run from t = 0.1 to lr × steps = 1e5: six decades at 2 decades/s and 30 fps = 90 steps.
  ASSERT_EQ(a.moments.size(), 91u);
  EXPECT_EQ(b.moments, a.moments) << "the same moments whatever the machine's speed";
  EXPECT_NEAR(a.moments.front(), -1.0, 1e-9);
  EXPECT_NEAR(a.moments.back(), 5.0, 1e-9);
  for (std::size_t k = 1; k < a.moments.size(); ++k)
    EXPECT_NEAR(a.moments[k] - a.moments[k - 1], 2.0 / 30.0, 1e-9) << "frame " << k;
  for (const std::string& path : {quiet, busy}) {
    const auto v = polarlab::test::decode(path);
    EXPECT_EQ(v.codec, "h264");
    EXPECT_EQ(v.pix_fmt, "yuv420p");
    EXPECT_EQ(v.width, 640);
    EXPECT_EQ(v.height, 480);
    ASSERT_EQ(v.frames.size(), a.moments.size()) << path;
    // The pictures are the ones handed over, in order: frame k's green channel is 255 − 2k (mod 256).
    for (std::size_t k : {std::size_t{0}, std::size_t{45}, a.moments.size() - 1}) {
      const int g = (v.frames[k].at(320, 240) >> 8) & 0xff;
      EXPECT_NEAR(g, 255 - static_cast<int>((k + 1) * 2 % 256), 6) << "frame " << k;
    }
  }
}

TEST(Record, AnUnwritablePathIsRefusedAndNothingStarts) {
  Driver d(headless_options("fig2", 640, 480));
  const std::string err = d.app.start_recording("/nonexistent-folder/x.mp4");
  EXPECT_NE(err.find("/nonexistent-folder"), std::string::npos) << err;
  EXPECT_FALSE(d.app.recording());
  const std::string ext = d.app.start_recording("x.avi");
  EXPECT_NE(ext.find(".mp4"), std::string::npos) << "names the extensions it can write: " << ext;
  EXPECT_FALSE(d.app.recording());
}

TEST(Record, StoppingEarlyKeepsTheFramesSoFar) {
  TempDir dir("record-stop");
  const std::string path = (dir.path / "early.gif").string();
  AppOptions o = headless_options("fig2", 640, 480);
  Driver d(o);
  ASSERT_EQ(d.app.start_recording(path, 10), "");
  int delivered = 0;
  while (delivered < 5) {
    d.frame();
    if (!d.app.recording_frame_due()) continue;
    polarlab::figure::Bitmap b;
    b.width = d.app.framebuffer_width(), b.height = d.app.framebuffer_height();
    b.pixels.assign(static_cast<std::size_t>(b.width) * b.height, 0xff202020u + static_cast<std::uint32_t>(delivered) * 0x100000u);
    d.app.deliver_recording_frame(std::move(b));
    ++delivered;
  }
  d.app.state().record_toggle = true;  // the Stop button
  bool ok = false;
  std::string msg;
  ASSERT_TRUE(d.until([&] { return d.app.take_recording_result(ok, msg); }, 30.0));
  EXPECT_TRUE(ok) << msg;
  EXPECT_FALSE(d.app.recording());
  EXPECT_EQ(polarlab::test::decode(path).frames.size(), 5u);
}

// The real window: --record writes an H.264 file of the run whose REC indicator is not in the picture.
TEST(Record, TheWindowRecordsTheRunWithoutTheRecIndicator) {
  if (!std::getenv("DISPLAY")) GTEST_SKIP() << "no DISPLAY (run under xvfb-run)";
  TempDir dir("record-window");
  const std::string path = (dir.path / "fig2.mp4").string();
  const auto r = polarlab::test::run_cli(POLARLAB_GUI_EXE, "--preset fig2 --size 640x480 --pace 3 --record " + path);
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("wrote " + path), std::string::npos) << r.output;
  const auto v = polarlab::test::decode(path);
  EXPECT_EQ(v.codec, "h264");
  EXPECT_EQ(v.width, 640);
  ASSERT_EQ(v.frames.size(), 61u);  // six decades at 3 decades/s and 30 fps
  double diff = 0.0;
  for (std::size_t i = 0; i < v.frames.front().pixels.size(); ++i)
    diff += v.frames.front().pixels[i] != v.frames.back().pixels[i];
  EXPECT_GT(diff / v.frames.front().pixels.size(), 0.01) << "the run moves between the first and the last frame";
  // The top-right corner, where the REC badge is drawn on screen, is the lab's dark background in the video.
  for (const auto& f : {v.frames.front(), v.frames[30]})
    for (int y = 10; y < 24; ++y)
      for (int x = 600; x < 630; ++x) {
        const std::uint32_t p = f.at(x, y);
        EXPECT_LT(((p >> 16) & 0xff), 60u) << "a red REC badge in the video at " << x << "," << y;
      }
}

// ------------------------------------------------------------------------------------------------ scripts

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const auto p = dir.path / name;
  std::ofstream(p) << text;
  return p.string();
}

const char* kThreeScenes = R"(title: test lecture
scenes:
  - preset: fig2
    title: first
    panels: [scores, loss]
  - preset: fig3
    overrides: {kappa: 1}
    title: second
    parameter: {key: kappa, label: "κ", min: 1, max: 3, step: 1}
  - preset: sink
    title: third
    pace: 1
)";

TEST(LectureScript, KeysWalkTheScenesLikeAClicker) {
  TempDir dir("lecture-nav");
  AppOptions o = headless_options("fig2", 1280, 720);
  o.lecture_script = write_file(dir, "talk.yaml", kThreeScenes);
  Driver d(o);
  auto& st = d.app.state();
  ASSERT_TRUE(st.deck.error.empty()) << st.deck.error;
  ASSERT_EQ(st.deck.current, 0);
  EXPECT_TRUE(st.lecture);
  EXPECT_EQ(st.preset, "fig2");
  EXPECT_EQ(panel_windows().size(), 2u) << "the scene's panels";
  press(d, GLFW_KEY_PAGE_DOWN);
  EXPECT_EQ(st.deck.current, 1);
  EXPECT_EQ(st.preset, "fig3");
  EXPECT_EQ(polarlab::config_to_json(st.edit)["kappa"].get<double>(), 1.0);
  EXPECT_EQ(polarlab::gui::parameter_caption(st), "κ = 1");
  press(d, GLFW_KEY_UP);  // κ up, rerun, value in the caption
  EXPECT_EQ(polarlab::config_to_json(st.edit)["kappa"].get<double>(), 2.0);
  EXPECT_EQ(polarlab::gui::parameter_caption(st), "κ = 2");
  press(d, GLFW_KEY_UP);
  press(d, GLFW_KEY_UP);  // at its maximum: stays
  EXPECT_EQ(polarlab::config_to_json(st.edit)["kappa"].get<double>(), 3.0);
  press(d, GLFW_KEY_DOWN);
  EXPECT_EQ(polarlab::gui::parameter_caption(st), "κ = 2");
  press(d, GLFW_KEY_RIGHT);
  EXPECT_EQ(st.deck.current, 2);
  EXPECT_EQ(st.preset, "sink");
  EXPECT_DOUBLE_EQ(st.replay.pace, 1.0) << "the scene's pace";
  press(d, GLFW_KEY_SPACE);  // past the last scene: stays
  EXPECT_EQ(st.deck.current, 2);
  press(d, GLFW_KEY_LEFT);
  EXPECT_EQ(st.deck.current, 1);
  EXPECT_EQ(polarlab::config_to_json(st.edit)["kappa"].get<double>(), 1.0) << "a scene starts from its own values";
  press(d, GLFW_KEY_PAGE_UP);
  EXPECT_EQ(st.deck.current, 0);
  press(d, GLFW_KEY_END);
  EXPECT_EQ(st.deck.current, 2);
  press(d, GLFW_KEY_HOME);
  EXPECT_EQ(st.deck.current, 0);
  press(d, GLFW_KEY_B);
  EXPECT_TRUE(st.blank);
  press(d, GLFW_KEY_PERIOD);
  EXPECT_FALSE(st.blank);
  press(d, GLFW_KEY_B);
  press(d, GLFW_KEY_PAGE_DOWN);  // the next scene shows itself
  EXPECT_FALSE(st.blank);
  EXPECT_EQ(st.deck.current, 1);
  // Fast taps, as a clicker sends them within one frame: each is one scene.
  d.tap(GLFW_KEY_PAGE_DOWN);
  d.tap(GLFW_KEY_PAGE_UP);
  d.tap(GLFW_KEY_PAGE_UP);
  d.settle(1e-4);
  EXPECT_EQ(st.deck.current, 0);
}

TEST(LectureScript, SceneFlagStartsThereAndPastTheEndIsAnError) {
  TempDir dir("lecture-scene");
  AppOptions o = headless_options("fig2", 1024, 768);
  o.lecture_script = write_file(dir, "talk.yaml", kThreeScenes);
  o.scene = 3;
  {
    Driver d(o);
    EXPECT_EQ(d.app.state().deck.current, 2);
    EXPECT_EQ(d.app.state().preset, "sink");
  }
  o.scene = 4;
  try {
    App app(o);
    FAIL() << "--scene 4 of 3 was accepted";
  } catch (const AppError& e) {
    EXPECT_NE(std::string(e.what()).find("it has 3"), std::string::npos) << e.what();
  }
}

TEST(LectureScript, AnErrorNamesFileLineKeyAndAllowedValuesInTheWindowOrExitsScripted) {
  TempDir dir("lecture-bad");
  const std::string bad = write_file(dir, "bad.yaml", "scenes:\n  - preset: fig2\n  - preset: fig3\n    panls: [scores]\n");
  AppOptions o = headless_options("fig2", 1280, 720);
  o.lecture_script = bad;
  o.scripted = false;  // a person at the window: the lab opens and shows the problem
  {
    Driver d(o);
    const std::string& err = d.app.state().deck.error;
    EXPECT_NE(err.find("bad.yaml:4"), std::string::npos) << err;
    EXPECT_NE(err.find("panls"), std::string::npos) << err;
    EXPECT_NE(err.find("panels"), std::string::npos) << "the allowed keys: " << err;
    EXPECT_FALSE(d.app.state().deck.active());
    EXPECT_EQ(d.app.state().preset, "fig2") << "the lab stays usable";
    // Shown in the window until Esc.
    bool shown = false;
    for (ImGuiWindow* w : GImGui->Windows)
      for (const ImDrawCmd& c : w->DrawList->CmdBuffer) shown |= c.ElemCount > 0 && w->Active;
    EXPECT_TRUE(shown);
    press(d, GLFW_KEY_ESCAPE);
    EXPECT_TRUE(d.app.state().deck.error.empty());
  }
  o.scripted = true;
  EXPECT_THROW(App app(o), AppError);
  // The program: exit 2 with the message, before any window (no display needed).
  const auto r = polarlab::test::run_cli(POLARLAB_GUI_EXE, "--lecture-script " + bad + " --run-for 0");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("bad.yaml:4"), std::string::npos) << r.output;
  const std::string unknown_preset = write_file(dir, "preset.yaml", "- preset: fig99\n");
  const auto p = polarlab::test::run_cli(POLARLAB_GUI_EXE, "--lecture-script " + unknown_preset + " --run-for 0");
  EXPECT_EQ(p.code, 2);
  EXPECT_NE(p.output.find("preset.yaml:1"), std::string::npos) << p.output;
  EXPECT_NE(p.output.find("fig13"), std::string::npos) << "lists the presets: " << p.output;
}

// Every scene of the shipped lecture fits the projectors: four panels or fewer without scrolling, a caption of
// at most four lines above them.
TEST(LectureScript, TheShippedLectureIsLegibleAtProjectorSizes) {
  for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1024, 768}}) {
    AppOptions o = shipped_lecture(w, h);
    Driver d(o);
    auto& st = d.app.state();
    ASSERT_TRUE(st.deck.error.empty()) << st.deck.error;
    ASSERT_GE(st.deck.scenes.size(), 6u);
    for (std::size_t n = 0; n < st.deck.scenes.size(); ++n) {
      if (n > 0) press(d, GLFW_KEY_PAGE_DOWN);
      d.settle(1e-4);
      ASSERT_EQ(st.deck.current, static_cast<int>(n));
      ASSERT_TRUE(st.deck.error.empty()) << st.deck.error;
      if (st.deck.scenes[n].workspace != "dynamics") continue;
      const auto panels = panel_windows();
      EXPECT_GE(panels.size(), 2u);
      EXPECT_LE(panels.size(), 4u);
      ImGuiWindow* grid = child_named("panels");
      ASSERT_NE(grid, nullptr);
      EXPECT_EQ(grid->ScrollMax.y, 0.0f) << "scene " << n + 1 << " scrolls at " << w << "x" << h;
      for (ImGuiWindow* p : panels) EXPECT_GE(p->Size.y, 200.0f) << "scene " << n + 1 << " " << p->Name;
      EXPECT_LE(grid->Pos.y, h * 0.25f) << "scene " << n + 1 << ": the caption takes more than a quarter";
    }
  }
}


// ------------------------------------------------------------------------------------------------ legibility

using polarlab::widgets::Plot;

// A drawn polyline rasterised at one-pixel steps, as the line covers the screen: the samples inside `box` (grown
// by the line's half width) and all of them.
struct Overlap {
  std::size_t inside = 0, total = 0;
  double fraction() const { return total ? static_cast<double>(inside) / static_cast<double>(total) : 0.0; }
};
void rasterise(const std::vector<ImVec2>& pts, const ImVec4& box, Overlap& o) {
  auto count = [&](ImVec2 p) {
    ++o.total;
    o.inside += p.x >= box.x - 1.5f && p.x <= box.z + 1.5f && p.y >= box.y - 1.5f && p.y <= box.w + 1.5f;
  };
  if (pts.size() == 1) count(pts[0]);
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    const ImVec2 a = pts[i], b = pts[i + 1];
    const int n = std::max(1, static_cast<int>(std::ceil(std::hypot(b.x - a.x, b.y - a.y))));
    for (int k = 0; k < n; ++k) count(ImVec2(a.x + (b.x - a.x) * k / n, a.y + (b.y - a.y) * k / n));
  }
}

// The legend of each plot drawn in the last frame against its top series (the winner's bold line; every series
// where none is bolder): the largest share of that series' pixels under the legend box.
struct LegendCheck {
  double worst = 0.0;
  std::string worst_plot;
  std::vector<std::string> problems;
};
void check_legends(LegendCheck& c, const std::string& where) {
  const auto panels = polarlab::gui::testing::panel_windows();
  for (const Plot::DrawnPlot& p : Plot::drawn_plots()) {
    if (!(p.legend.z > p.legend.x)) continue;
    Overlap o;
    for (std::size_t si = 0; si < p.series.size(); ++si)
      if (p.top < 0 || static_cast<int>(si) == p.top) rasterise(p.series[si], p.legend, o);
    if (o.fraction() > c.worst) c.worst = o.fraction(), c.worst_plot = p.title + " " + where;
    // No text cut off: the legend's text ends inside its box, the box inside its panel.
    if (p.legend_text_right > p.legend.z + 0.5f) c.problems.push_back(where + ": legend text runs out of its box in " + p.title);
    for (ImGuiWindow* w : panels)
      if (p.area.x >= w->Pos.x && p.area.x <= w->Pos.x + w->Size.x && p.area.y >= w->Pos.y && p.area.y <= w->Pos.y + w->Size.y &&
          (p.legend.z > w->Pos.x + w->Size.x + 0.5f || p.legend.w > w->Pos.y + w->Size.y + 0.5f))
        c.problems.push_back(where + ": the legend of " + p.title + " leaves its panel");
    if (p.title_cut) c.problems.push_back(where + ": title cut: " + p.title);
  }
}

// The issue's minimum sizes and "colour-bar labels never overlap", for everything the widgets drew in the last
// frame: each string at least 18 px (the lecture's minimum at 720 lines: ticks, legends, colour bars, token labels,
// head titles, the speaker's reminders), no two strings on top of each other (tick labels "0.30.40.5", colour-bar
// labels, key labels of neighbouring maps "m10BOS"), and each heatmap at least 200 px on its shorter side.
void check_text_and_heatmaps(LegendCheck& c, const std::string& where) {
  using polarlab::widgets::DrawnText;
  const auto& texts = polarlab::widgets::drawn_texts();
  for (const DrawnText& t : texts)
    if (t.size < 18.0f) c.problems.push_back(where + ": \"" + t.text + "\" is drawn at " + std::to_string(t.size) + " px");
  for (std::size_t i = 0; i < texts.size(); ++i)
    for (std::size_t j = i + 1; j < texts.size(); ++j) {
      const DrawnText &a = texts[i], &b = texts[j];
      const float ox = std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x);
      const float oy = std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y);
      if (ox > 1.0f && oy > 1.0f)
        c.problems.push_back(where + ": \"" + a.text + "\" at (" + std::to_string(static_cast<int>(a.min.x)) + ", " +
                             std::to_string(static_cast<int>(a.min.y)) + ") and \"" + b.text + "\" at (" +
                             std::to_string(static_cast<int>(b.min.x)) + ", " + std::to_string(static_cast<int>(b.min.y)) +
                             ") are drawn over each other");
    }
  for (const auto& h : polarlab::widgets::drawn_heatmaps()) {
    const float side = std::min(h.max.x - h.min.x, h.max.y - h.min.y);
    if (side < 200.0f) c.problems.push_back(where + ": heatmap \"" + h.title + "\" is " + std::to_string(static_cast<int>(side)) + " px");
  }
}

// Every dynamics scene of the shipped lecture, replayed from its start to its end at both projector sizes: no
// legend box ever covers the scene's top series (the winner's curve while it polarizes), no legend or title text
// is cut. Prints the worst overlap per scene (the issue's before/after measure).
TEST(LectureLegibility, NoLegendCoversTheTopSeriesInAnySceneAtProjectorSizes) {
  Plot::record_drawn(true);
  polarlab::widgets::record_drawn_text(true);
  for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1024, 768}}) {
    AppOptions o = shipped_lecture(w, h);
    Driver d(o);
    auto& st = d.app.state();
    ASSERT_TRUE(st.deck.error.empty()) << st.deck.error;
    for (std::size_t n = 0; n < st.deck.scenes.size(); ++n) {
      if (n > 0) press(d, GLFW_KEY_PAGE_DOWN);
      ASSERT_EQ(st.deck.current, static_cast<int>(n));
      if (st.deck.scenes[n].workspace != "dynamics") {
#ifdef HAVE_POLARLAB_TRANSFORMER
        // The training scene: its curves once a few logged steps are drawn.
        polarlab::gui::TransformerState* lab = polarlab::gui::transformer_lab(st);
        ASSERT_NE(lab, nullptr);
        ASSERT_TRUE(d.until([&] { return lab->torch.has_value(); }, 60.0));
        if (!lab->torch->available) continue;
        ASSERT_TRUE(d.until([&] { return lab->snap && lab->snap->rows && lab->snap->rows->size() >= 3; }, 120.0));
        d.frame();
        LegendCheck c;
        const std::string where = "scene " + std::to_string(n + 1) + " at " + std::to_string(w) + "x" + std::to_string(h);
        check_legends(c, where);
        check_text_and_heatmaps(c, where);
        std::printf("legend over the top series, %s: worst %.4f (%s)\n", where.c_str(), c.worst, c.worst_plot.c_str());
        EXPECT_EQ(c.worst, 0.0) << where << ": " << c.worst_plot;
        for (const std::string& p : c.problems) ADD_FAILURE() << p;
        EXPECT_EQ(Plot::drawn_plots().size(), 3u) << where << ": the loss, accuracy and sink curves";
        EXPECT_FALSE(polarlab::widgets::drawn_heatmaps().empty()) << where << ": no attention map drawn";
#endif
        continue;
      }
      LegendCheck c;
      const std::string where = "scene " + std::to_string(n + 1) + " at " + std::to_string(w) + "x" + std::to_string(h);
      const auto t0 = std::chrono::steady_clock::now();
      int frames = 0;
      // The scene as the audience sees it: the replay at the scene's pace, 0.5 s per frame, to its end. Sanitizer
      // builds (the solver several times slower, and the replay waits for it) look at every few moments of each
      // scene's first 8 s: the layout is this test's subject, and release builds walk every scene to its end.
      const double scale = polarlab::test::time_scale();
      const bool to_the_end = scale <= 1.0;
      while (st.replay.playing &&
             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < (to_the_end ? 120.0 : 8.0)) {
        d.frame(0.5 * scale);
        check_legends(c, where);
        check_text_and_heatmaps(c, where);
        ++frames;
      }
      if (to_the_end) EXPECT_FALSE(st.replay.playing) << where << ": the replay did not reach the end";
      std::printf("legend over the top series, %s: worst %.4f (%s), %d frames\n", where.c_str(), c.worst,
                  c.worst_plot.c_str(), frames);
      EXPECT_EQ(c.worst, 0.0) << where << ": a legend covers " << c.worst * 100 << "% of the top series in " << c.worst_plot;
      std::map<std::string, int> once;
      for (const std::string& p : c.problems)
        if (once[p]++ == 0) ADD_FAILURE() << p;
    }
  }
  Plot::record_drawn(false);
  polarlab::widgets::record_drawn_text(false);
}

// Scene 2's caption spoke of "the bound → 0" while its bound stayed at about 1, and at 1024x768 the bound panel's
// legend collapsed to "bound … +1 more": the measured ratio, the curve the scene is about, had no label. Now both
// curves are labelled with their values at the moment shown, and the captions say what the plot shows.
TEST(LectureCaptions, SceneTwoLabelsBothCurvesWithTheValuesItsRunReached) {
  Plot::record_drawn(true);
  for (const auto& [w, h] : {std::pair{1280, 720}, std::pair{1024, 768}}) {
    AppOptions o = shipped_lecture(w, h);
    o.scene = 2;
    Driver d(o);
    auto& st = d.app.state();
    ASSERT_EQ(st.deck.current, 1);
    ASSERT_TRUE(wait_finished(d));
    for (int i = 0; i < 400 && st.replay.playing; ++i) d.frame(0.5);  // the replay to the run's end
    ASSERT_FALSE(st.replay.playing);
    const History& hist = primary(d);
    ASSERT_EQ(hist.size(), hist.records.size());
    const Plot::DrawnPlot* bound = nullptr;
    for (const Plot::DrawnPlot& p : Plot::drawn_plots())
      if (p.title.find("3.3(b)") != std::string::npos) bound = &p;
    ASSERT_NE(bound, nullptr) << "no bound panel in scene 2";
    const std::string b = polarlab::widgets::format_number(hist.bound.back(), 3);
    const std::string r = polarlab::widgets::format_number(hist.ratio.back(), 3);
    ASSERT_EQ(bound->legend_text.size(), 2u) << w << "x" << h << ": " << (bound->legend_text.empty() ? "" : bound->legend_text[0]);
    EXPECT_NE(bound->legend_text[0].find("bound"), std::string::npos);
    EXPECT_NE(bound->legend_text[0].find("= " + b), std::string::npos) << bound->legend_text[0];
    EXPECT_NE(bound->legend_text[1].find("measured ratio = " + r), std::string::npos) << bound->legend_text[1];
    EXPECT_GT(hist.bound.back(), 0.9) << "the bound stays near 1 over this run";
    EXPECT_LT(hist.ratio.back(), 0.05);
    // No caption of the scene claims a limit the plot does not reach.
    for (const auto& a : st.deck.scenes[1].annotations)
      EXPECT_EQ(a.text.find("bound → 0"), std::string::npos) << a.text;
  }
  Plot::record_drawn(false);
}

// Pressing -/+ changed the pace with nothing on screen to say so (lecture mode shows no timeline), B blanked the
// screen with no word, ↑ at κ's maximum did nothing visible: each now says what it did for a moment.
TEST(LectureKeys, PaceParameterAndBlankAreConfirmedOnScreen) {
  TempDir dir("lecture-confirm");
  AppOptions o = headless_options("fig2", 1280, 720);
  o.lecture_script = write_file(dir, "talk.yaml", kThreeScenes);
  Driver d(o);
  auto& st = d.app.state();
  auto foreground_has = [&](const std::string& text) {
    // The confirmation is drawn on the foreground list: its glyph count is the text's (one quad per glyph).
    const ImDrawList* fg = ImGui::GetForegroundDrawList();
    return fg->VtxBuffer.Size >= static_cast<int>(4 * text.size() / 2) && st.confirm == text && st.clock < st.confirm_until;
  };
  press(d, GLFW_KEY_EQUAL);
  EXPECT_DOUBLE_EQ(st.replay.pace, 0.5);
  EXPECT_NE(st.confirm.find("pace 0.5"), std::string::npos) << st.confirm;
  EXPECT_TRUE(foreground_has(st.confirm));
  for (int i = 0; i < 20; ++i) d.frame(0.1);  // two seconds later it is gone
  EXPECT_GE(st.clock, st.confirm_until);
  press(d, GLFW_KEY_MINUS);
  press(d, GLFW_KEY_MINUS);
  EXPECT_NE(st.confirm.find("pace 0.125"), std::string::npos) << st.confirm;
  press(d, GLFW_KEY_PAGE_DOWN);  // fig3, κ = 1 .. 3
  press(d, GLFW_KEY_UP);
  EXPECT_EQ(st.confirm, "κ = 2: rerun");
  press(d, GLFW_KEY_UP);
  press(d, GLFW_KEY_UP);  // at its maximum
  EXPECT_NE(st.confirm.find("maximum"), std::string::npos) << st.confirm;
  press(d, GLFW_KEY_B);
  ASSERT_TRUE(st.blank);
  EXPECT_NE(st.confirm.find("blank"), std::string::npos) << st.confirm;
  EXPECT_GT(ImGui::GetForegroundDrawList()->VtxBuffer.Size, 0) << "the blank screen says it is blank, for a moment";
}

#ifdef HAVE_POLARLAB_TRANSFORMER
const char* kTrainingScene = R"(title: training
scenes:
  - workspace: transformer
    title: "Layer-2 heads turn into attention sinks"
    train: {steps: 60, task: induction, attention: softmax, tiny: true}
)";

// The transformer scene showed the lab's whole settings panel in small text, its sink legend collapsed to
// "L1H1 +7 more" without saying which lines are which layer, R did not restart the training and --record stopped
// at the end of whatever dynamics run was behind the scene (24 s, step 368 of 2,500).
TEST(LectureTransformer, TheSceneShowsCurvesAndGridRRestartsAndARecordingRunsToTheStepBudget) {
  TempDir dir("lecture-train");
  AppOptions o = headless_options("fig2", 1280, 720);
  o.lecture_script = write_file(dir, "talk.yaml", kTrainingScene);
  o.pace = 16.0;  // the dynamics run behind the scene would end a recording after a few frames
  Driver d(o);
  auto& st = d.app.state();
  ASSERT_TRUE(st.deck.error.empty()) << st.deck.error;
  polarlab::gui::TransformerState* lab = polarlab::gui::transformer_lab(st);
  ASSERT_NE(lab, nullptr);
  ASSERT_TRUE(d.until([&] { return lab->torch.has_value(); }, 60.0));
  if (!lab->torch->available) GTEST_SKIP() << "no libtorch plugin: " << lab->torch->error;
  ASSERT_TRUE(lab->worker) << "the scene trains on open";
  ASSERT_TRUE(d.until([&] { return lab->snap && lab->snap->step >= 20; }, 120.0));
  Plot::record_drawn(true);
  d.frame();
  EXPECT_EQ(child_named("tf_controls"), nullptr) << "the settings panel is on the lecture's screen";
  const Plot::DrawnPlot* sinks = nullptr;
  for (const Plot::DrawnPlot& p : Plot::drawn_plots())
    if (p.title.find("sink score") != std::string::npos) sinks = &p;
  ASSERT_NE(sinks, nullptr);
  ASSERT_EQ(sinks->legend_text.size(), 2u);
  EXPECT_EQ(sinks->legend_text[0], "layer 1: dashed");
  EXPECT_EQ(sinks->legend_text[1], "layer 2: solid");
  EXPECT_LE(sinks->legend.w, sinks->area.y) << "the legend sits over the curves";
  Plot::record_drawn(false);

  // R: the training from step 0, a new run.
  const auto* before = lab->worker.get();
  const long long step_before = lab->snap->step;
  press(d, GLFW_KEY_R);
  EXPECT_NE(lab->worker.get(), before) << "R did not restart the training";
  EXPECT_LT(lab->snap ? lab->snap->step : 0, step_before);

  // A recording of the scene lasts until the run reaches its step budget.
  const std::string path = (dir.path / "train.mp4").string();
  ASSERT_EQ(d.app.start_recording(path, 30), "");
  bool ok = false;
  std::string message;
  long long step_at_end = -1;
  const auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 240.0) {
    d.frame(1.0 / 30);
    if (d.app.recording_frame_due()) {
      polarlab::figure::Bitmap b;
      b.width = d.app.framebuffer_width(), b.height = d.app.framebuffer_height();
      b.pixels.assign(static_cast<std::size_t>(b.width) * b.height, 0xff303030u);
      d.app.deliver_recording_frame(std::move(b));
    }
    if (d.app.take_recording_result(ok, message)) {
      step_at_end = lab->snap ? lab->snap->step : -1;
      break;
    }
  }
  ASSERT_TRUE(ok) << message;
  EXPECT_EQ(step_at_end, 60) << "the recording ended before the training did";
  EXPECT_TRUE(lab->worker->ended());
}
#endif


// A run that cannot move (relu with a(0) = 0: ∇L(θ0) = 0) put its "Stuck at the start" paragraph in five panels
// at once; in the lecture's large font it took most of each panel and squeezed the plots to slivers.
TEST(LectureLegibility, AStuckRunSaysSoOnceAndKeepsThePlotsLegible) {
  AppOptions o = headless_options("fig2", 1280, 720);
  o.lecture = true;
  Driver d(o);
  ASSERT_TRUE(d.app.state().load_preset("fig2", nlohmann::json{{"map", "relu"}}));
  ASSERT_TRUE(d.until([&] { return primary(d).info != nullptr; }));
  ASSERT_TRUE(polarlab::gui::run_scope(d.app.state()).stationary) << "relu at a(0) = 0 should not move";
  Plot::record_drawn(true);
  d.settle();
  EXPECT_EQ(polarlab::gui::stationary_notices_drawn(), 1);
  const auto panels = polarlab::gui::testing::panel_windows();
  ASSERT_FALSE(panels.empty());
  int squeezed = 0;
  for (const Plot::DrawnPlot& p : Plot::drawn_plots())
    for (ImGuiWindow* w : panels)
      if (p.area.x >= w->Pos.x && p.area.x <= w->Pos.x + w->Size.x && p.area.y >= w->Pos.y && p.area.y <= w->Pos.y + w->Size.y)
        squeezed += (p.area.w - p.area.y) < 0.4f * w->Size.y;
  EXPECT_LE(squeezed, 1) << "plots squeezed under the repeated notice";
  Plot::record_drawn(false);
  // No winner to emphasise here: the Φ panel's default pairs were (−1, j) and read a(−1), before the vector.
  const auto& st = d.app.state();
  ASSERT_FALSE(st.pairs.empty());
  for (const auto& [i, j] : st.pairs) {
    EXPECT_GE(i, 0);
    EXPECT_LT(j, static_cast<int>(primary(d).info->config.p));
  }
}

}  // namespace
