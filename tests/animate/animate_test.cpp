// Animations: the frame schedule, the GIF palette, the figure renderer's in-memory pictures and pinned axes, the
// written MP4/GIF/WebM decoded back with libavformat/libavcodec, atomic writes, and the CLI's bad input.
#include <gtest/gtest.h>

#include <cairo.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/animate/animate.hpp"
#include "core/animate/encoder.hpp"
#include "core/animate/palette.hpp"
#include "core/animate/schedule.hpp"
#include "core/figure/figure.hpp"
#include "core/types.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"
#include "tests/video_decode.hpp"
#include "tests/slurp.hpp"

namespace fs = std::filesystem;
namespace pa = polarlab::animate;
namespace pf = polarlab::figure;
using polarlab::test::TempDir;
using polarlab::test::decode;
using polarlab::test::Decoded;

namespace {

// ------------------------------------------------------------------------------------------------ helpers

// A short fig2 run (a few decades of t), shared by the tests.
const std::vector<pf::RunData>& fig2_runs() {
  static const std::vector<pf::RunData> runs = pf::run_preset("fig2", {{"steps", 20000}, {"records", 300}});
  return runs;
}

// Mean absolute difference per channel (0 .. 255).
double mean_abs_diff(const pf::Bitmap& a, const pf::Bitmap& b) {
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  double sum = 0;
  for (std::size_t i = 0; i < a.pixels.size() && i < b.pixels.size(); ++i)
    for (int s = 0; s < 24; s += 8)
      sum += std::abs(static_cast<int>((a.pixels[i] >> s) & 0xFF) - static_cast<int>((b.pixels[i] >> s) & 0xFF));
  return sum / (3.0 * static_cast<double>(a.pixels.size()));
}

using Result = polarlab::test::CliResult;
Result cli(const std::string& args) { return polarlab::test::run_cli(POLARLAB_CLI, args); }

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

using polarlab::test::slurp;

pf::Bitmap solid(int w, int h, std::uint32_t rgb) {
  pf::Bitmap img;
  img.width = w, img.height = h;
  img.pixels.assign(static_cast<std::size_t>(w) * h, 0xFF000000u | rgb);
  return img;
}

// ------------------------------------------------------------------------------------------------ schedule

TEST(AnimateSchedule, LogUniformTimesHaveExactEndsAndOneRatio) {
  const auto t = pa::log_uniform_times(0.1, 1e5, 121);
  ASSERT_EQ(t.size(), 121u);
  EXPECT_EQ(t.front(), 0.1);
  EXPECT_EQ(t.back(), 1e5);
  // Six decades over 120 steps: every step multiplies t by 10^(1/20).
  for (std::size_t k = 1; k < t.size(); ++k) EXPECT_NEAR(std::log10(t[k] / t[k - 1]), 0.05, 1e-9) << k;
  EXPECT_NEAR(t[20], 1.0, 1e-9);
  EXPECT_NEAR(t[60], 100.0, 1e-9);
  EXPECT_EQ(pa::log_uniform_times(3, 7, 1), std::vector<double>{7});
  EXPECT_EQ(pa::log_uniform_times(5, 5, 3), (std::vector<double>{5, 5, 5}));
  EXPECT_THROW(pa::log_uniform_times(0, 1, 5), std::invalid_argument);
  EXPECT_THROW(pa::log_uniform_times(2, 1, 5), std::invalid_argument);
  EXPECT_THROW(pa::log_uniform_times(1, 2, 0), std::invalid_argument);
}

TEST(AnimateSchedule, FrameCountAndClockLabel) {
  EXPECT_EQ(pa::frame_count(30, 4), 120);
  EXPECT_EQ(pa::frame_count(24, 2.5), 60);
  EXPECT_EQ(pa::frame_count(10, 0.01), 1);
  EXPECT_EQ(pa::time_label(0.1), "$t$ = 0.1");
  EXPECT_EQ(pa::time_label(31.6228), "$t$ = 31.6");
  EXPECT_EQ(pa::time_label(1e5), "$t$ = 1.00×10^{5}");
  EXPECT_EQ(pa::time_label(31622.8), "$t$ = 3.16×10^{4}");
  EXPECT_EQ(pa::time_label(99999), "$t$ = 1.00×10^{5}");  // 9.9999 rounds into the next decade
  EXPECT_EQ(pa::time_label(0.001), "$t$ = 1.00×10^{-3}");
}

// ------------------------------------------------------------------------------------------------ palette

TEST(AnimatePalette, FewColoursAreKeptExactly) {
  pf::Bitmap img = solid(40, 30, 0xFFFFFF);
  for (int x = 0; x < 40; ++x) img.pixels[static_cast<std::size_t>(x)] = 0xFF1F77B4u;  // matplotlib blue
  img.pixels[100] = 0xFFD62728u;
  const auto pal = pa::median_cut_palette({&img}, 255);
  ASSERT_EQ(pal.size(), 3u);
  pa::PaletteMapper m(pal);
  for (std::uint32_t c : {0xFFFFFFu, 0x1F77B4u, 0xD62728u}) EXPECT_EQ(pal[m.index(c)] & 0xFFFFFFu, c);
  // map() gives every pixel its colour's index, white rows included (0xFFFFFFFF is an opaque white pixel).
  std::vector<std::uint8_t> idx(40 * 30);
  m.map(img, idx.data(), 40);
  for (std::size_t i = 0; i < idx.size(); ++i) EXPECT_EQ(pal[idx[i]], img.pixels[i]) << i;
}

TEST(AnimatePalette, MedianCutOfManyColoursIsCloseAndKeepsTheDominantOnesExact) {
  // A white background, three line colours, and 64×64 blends of them (anti-aliasing): ~12k colours.
  pf::Bitmap img = solid(256, 256, 0xFFFFFF);
  const std::uint32_t lines[3] = {0x1F77B4, 0xFF7F0E, 0x2CA02C};
  for (int y = 0; y < 256; ++y)
    for (int x = 0; x < 64; ++x) {
      const std::uint32_t c = lines[y % 3];
      const double a = x / 63.0, b = (y / 3) / 85.0;
      std::uint32_t rgb = 0;
      for (int s = 0; s < 24; s += 8) {
        const double v = a * ((c >> s) & 0xFF) + (1 - a) * (b * 255 + (1 - b) * ((lines[(y + 1) % 3] >> s) & 0xFF));
        rgb |= static_cast<std::uint32_t>(std::lround(v)) << s;
      }
      img.pixels[static_cast<std::size_t>(y) * 256 + x] = 0xFF000000u | rgb;
    }
  for (int y = 0; y < 256; ++y)
    for (int x = 100; x < 140; ++x) img.pixels[static_cast<std::size_t>(y) * 256 + x] = 0xFF000000u | lines[y % 3];
  const auto pal = pa::median_cut_palette({&img}, 255);
  EXPECT_EQ(pal.size(), 255u);
  EXPECT_EQ(pa::median_cut_palette({&img}, 255), pal);  // deterministic
  pa::PaletteMapper m(pal);
  for (std::uint32_t c : {0xFFFFFFu, lines[0], lines[1], lines[2]}) EXPECT_EQ(pal[m.index(c)] & 0xFFFFFFu, c) << std::hex << c;
  std::vector<std::uint8_t> idx(static_cast<std::size_t>(256) * 256);
  m.map(img, idx.data(), 256);
  pf::Bitmap back = img;
  for (std::size_t i = 0; i < idx.size(); ++i) back.pixels[i] = pal[idx[i]];
  EXPECT_LT(mean_abs_diff(img, back), 1.0);
  // The mapping is the nearest palette colour.
  for (std::uint32_t c : {0x123456u, 0x808080u, 0xFE7F0Fu}) {
    long best = -1;
    for (std::uint32_t p : pal) {
      long d = 0;
      for (int s = 0; s < 24; s += 8) d += std::lround(std::pow(static_cast<int>((c >> s) & 0xFF) - static_cast<int>((p >> s) & 0xFF), 2));
      if (best < 0 || d < best) best = d;
    }
    long got = 0;
    for (int s = 0; s < 24; s += 8)
      got += std::lround(std::pow(static_cast<int>((c >> s) & 0xFF) - static_cast<int>((pal[m.index(c)] >> s) & 0xFF), 2));
    EXPECT_EQ(got, best);
  }
}

// ------------------------------------------------------------------------------------------------ renderer

TEST(AnimateFigure, RenderToImageIsThePngRenderersPicture) {
  const pf::Figure f = pf::build_figure("fig2", fig2_runs());
  pf::RenderOptions opt;
  opt.dpi = 72;  // 6.5 × 2.5 in: 468 × 180 px, one pixel per point
  int w = 0, h = 0;
  pf::png_size(f, opt, w, h);
  ASSERT_EQ(w, 468);
  ASSERT_EQ(h, 180);
  std::string png = pf::render_to_bytes(f, opt);
  struct Reader {
    const std::string* s;
    std::size_t at = 0;
  } rd{&png};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(
      [](void* c, unsigned char* data, unsigned int n) {
        auto* r = static_cast<Reader*>(c);
        if (r->at + n > r->s->size()) return CAIRO_STATUS_READ_ERROR;
        std::memcpy(data, r->s->data() + r->at, n);
        r->at += n;
        return CAIRO_STATUS_SUCCESS;
      },
      &rd);
  ASSERT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  const pf::Bitmap img = pf::render_to_image(f, opt.style, w, h);
  const unsigned char* data = cairo_image_surface_get_data(s);
  const int stride = cairo_image_surface_get_stride(s);
  int differ = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      differ += ((reinterpret_cast<const std::uint32_t*>(data + y * stride)[x] ^ img.at(x, y)) & 0xFFFFFFu) != 0;
  cairo_surface_destroy(s);
  EXPECT_EQ(differ, 0);
  // Another aspect: scaled to fit and centred, white bars around.
  const pf::Bitmap wide = pf::render_to_image(f, opt.style, 936, 600);
  EXPECT_EQ(wide.at(468, 5), 0xFFFFFFFFu);
  EXPECT_EQ(wide.at(468, 594), 0xFFFFFFFFu);
  EXPECT_THROW(pf::render_to_image(f, opt.style, 0, 10), polarlab::ConfigError);
}

TEST(AnimateFigure, PinnedPanelsKeepTheWholeRunsAxes) {
  const auto& runs = fig2_runs();
  const pf::Style st = pf::Style::slides();
  const pf::Figure full = pf::build_figure("fig2", runs);
  const auto frames = pf::panel_frames(full, st);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_LT(frames[0].xmin, 0.2);  // log t from the first GD step (0.1) ...
  EXPECT_GT(frames[0].xmax, 1999);  // ... to 2000
  // A figure of the first records alone has other limits, until pinned.
  pa::FrameRenderer r("fig2", runs, st, 640, 360);
  std::vector<pf::RunData> early = r.runs_until(1.0);
  EXPECT_LT(early.front().records.size(), runs.front().records.size());
  EXPECT_LE(early.front().records.back().t, 1.0);
  pf::Figure part = pf::build_figure("fig2", early);
  EXPECT_LT(pf::panel_frames(part, st)[0].xmax, 10);
  pf::pin_panels(part, frames);
  const auto pinned = pf::panel_frames(part, st);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(pinned[i].xmin, frames[i].xmin);
    EXPECT_EQ(pinned[i].xmax, frames[i].xmax);
    EXPECT_EQ(pinned[i].ymin, frames[i].ymin);
    EXPECT_EQ(pinned[i].ymax, frames[i].ymax);
  }
  EXPECT_THROW(pf::pin_panels(part, {frames[0]}), std::invalid_argument);
  // The frame figure: the clock in the title, the canvas grown to 16:9, the axes of the whole run.
  const pf::Figure f = r.figure_at(1.0);
  EXPECT_EQ(f.title, "$t$ = 1");
  EXPECT_NEAR(f.width_in / f.height_in, 16.0 / 9.0, 1e-9);
  EXPECT_EQ(f.width_in, full.width_in);
  EXPECT_DOUBLE_EQ(r.t_first(), 0.1);
  EXPECT_DOUBLE_EQ(r.t_last(), 2000);
  pf::Figure grown = full;
  grown.width_in = f.width_in, grown.height_in = f.height_in, grown.title = f.title;
  const auto whole = pf::panel_frames(grown, st);
  const auto at1 = pf::panel_frames(f, st);
  for (std::size_t i = 0; i < 2; ++i) EXPECT_EQ(at1[i].xmax, whole[i].xmax);
}

TEST(AnimateFigure, SinkStartsWhenAllFourSnapshotsExist) {
  const auto runs = pf::run_preset("sink", {{"steps", 3000}, {"records", 60}});
  pa::FrameRenderer r("sink", runs, pf::Style::paper(), 640, 360);
  EXPECT_GT(r.t_first(), 0);
  EXPECT_EQ(r.figure_at(r.t_first()).panels.size(), pf::build_figure("sink", runs).panels.size());
}

// ------------------------------------------------------------------------------------------------ files

struct Written {
  TempDir dir{"animate"};
  fs::path path;
  pa::AnimationStats stats;
  Decoded video;
};

void write(Written& w, const std::string& ext, const pa::FrameRenderer& r, int fps, int frames) {
  w.path = w.dir.path / ("fig2." + ext);
  pa::AnimationOptions o;
  o.fps = fps, o.frames = frames, o.threads = 2;
  w.stats = pa::write_animation(w.path.string(), r, o);
  w.video = decode(w.path.string());
  EXPECT_EQ(files_in(w.dir.path), std::vector<std::string>{"fig2." + ext});  // no temporary file left
}

TEST(AnimateFile, Mp4IsH264Yuv420pWithEveryFrameOfTheSchedule) {
  const pa::FrameRenderer r("fig2", fig2_runs(), pf::Style::slides(), 480, 270);
  Written w;
  write(w, "mp4", r, 10, 20);  // 10 fps × 2 s
  EXPECT_EQ(w.video.codec, "h264");
  EXPECT_EQ(w.video.pix_fmt, "yuv420p");
  EXPECT_EQ(w.video.width, 480);
  EXPECT_EQ(w.video.height, 270);
  ASSERT_EQ(w.video.frames.size(), 20u);
  EXPECT_EQ(w.stats.times, pa::log_uniform_times(r.t_first(), r.t_last(), 20));
  EXPECT_GT(mean_abs_diff(w.video.frames.front(), w.video.frames.back()), 1.0);
  // Frame k is the renderer's picture at t_k, within the codec's loss, and not its neighbour's far away.
  for (int k : {0, 11, 19}) {
    const pf::Bitmap want = r.render_at(w.stats.times[static_cast<std::size_t>(k)]);
    const double own = mean_abs_diff(w.video.frames[static_cast<std::size_t>(k)], want);
    EXPECT_LT(own, 2.0) << "frame " << k;
    const pf::Bitmap other = r.render_at(w.stats.times[static_cast<std::size_t>(k < 10 ? 19 : 0)]);
    EXPECT_GT(mean_abs_diff(w.video.frames[static_cast<std::size_t>(k)], other), own) << "frame " << k;
  }
}

TEST(AnimateFile, GifLoopsWithOnePaletteAndExactIndices) {
  const pa::FrameRenderer r("fig2", fig2_runs(), pf::Style::paper(), 320, 180);
  Written w;
  write(w, "gif", r, 8, 12);
  EXPECT_EQ(w.video.codec, "gif");
  EXPECT_EQ(w.video.width, 320);
  EXPECT_EQ(w.video.height, 180);
  ASSERT_EQ(w.video.frames.size(), 12u);
  EXPECT_GT(mean_abs_diff(w.video.frames.front(), w.video.frames.back()), 1.0);
  // The palette the encoder used (from 8 sampled frames), then frame k is exactly the renderer's picture mapped to it.
  std::vector<pf::Bitmap> samples;
  for (int i = 0; i < 8; ++i) samples.push_back(r.render_at(w.stats.times[static_cast<std::size_t>(i * 11 / 7)]));
  std::vector<const pf::Bitmap*> ptrs;
  for (const auto& s : samples) ptrs.push_back(&s);
  pa::PaletteMapper m(pa::median_cut_palette(ptrs, 255));
  for (int k : {0, 6, 11}) {
    pf::Bitmap want = r.render_at(w.stats.times[static_cast<std::size_t>(k)]);
    for (auto& p : want.pixels) p = m.palette()[m.index(p)];
    EXPECT_EQ(mean_abs_diff(w.video.frames[static_cast<std::size_t>(k)], want), 0.0) << "frame " << k;

  }
  // Loops forever: the NETSCAPE2.0 application extension with a loop count of 0.
  const std::string bytes = slurp(w.path);
  const auto at = bytes.find("NETSCAPE2.0");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(bytes.substr(at + 11, 5), std::string("\x03\x01\x00\x00\x00", 5));
}

TEST(AnimateFile, WebmIsVp9) {
  const pa::FrameRenderer r("fig2", fig2_runs(), pf::Style::slides(), 320, 180);
  Written w;
  write(w, "webm", r, 10, 15);
  EXPECT_EQ(w.video.codec, "vp9");
  EXPECT_EQ(w.video.pix_fmt, "yuv420p");
  EXPECT_EQ(w.video.width, 320);
  ASSERT_EQ(w.video.frames.size(), 15u);
  EXPECT_GT(mean_abs_diff(w.video.frames.front(), w.video.frames.back()), 1.0);
  EXPECT_LT(mean_abs_diff(w.video.frames.back(), r.render_at(r.t_last())), 4.0);
}

TEST(AnimateFile, AFailedEncodingLeavesNoFileAndTheOldOneIntact) {
  TempDir dir("animate-atomic");
  const fs::path out = dir.path / "talk.mp4";
  { std::ofstream(out) << "the previous video"; }
  pa::EncoderOptions o;
  o.width = 320, o.height = 180, o.fps = 10;
  {
    pa::VideoEncoder enc(out.string(), o);
    const std::string tmp = enc.temporary_path();
    EXPECT_EQ(fs::path(tmp).parent_path(), dir.path);
    EXPECT_TRUE(fs::exists(tmp));
    for (int i = 0; i < 5; ++i) enc.add(solid(320, 180, 0x102030u * static_cast<unsigned>(i)));
    EXPECT_THROW(enc.add(solid(322, 180, 0)), std::invalid_argument);  // a failure half way
  }  // destroyed without finish()
  EXPECT_EQ(slurp(out), "the previous video");
  EXPECT_EQ(files_in(dir.path), std::vector<std::string>{"talk.mp4"});
  // A folder that is not there: bad --out, nothing written.
  EXPECT_THROW(pa::VideoEncoder((dir.path / "no" / "x.mp4").string(), o), polarlab::ConfigError);
  EXPECT_EQ(files_in(dir.path), std::vector<std::string>{"talk.mp4"});
  // finish() puts it in place.
  {
    pa::VideoEncoder enc(out.string(), o);
    for (int i = 0; i < 3; ++i) enc.add(solid(320, 180, 0xFFFFFF));
    enc.finish();
  }
  EXPECT_EQ(decode(out.string()).frames.size(), 3u);
  EXPECT_EQ(files_in(dir.path), std::vector<std::string>{"talk.mp4"});
}

// ------------------------------------------------------------------------------------------------ CLI

TEST(AnimateCli, WritesAVideoAndReportsIt) {
  TempDir dir("animate-cli");
  const fs::path out = dir.path / "sub" / "fig2.gif";
  const Result r = cli("animate --preset fig2 --steps 5000 --records 100 --style paper --size 320x180 --fps 5 "
                       "--duration 2 --threads 2 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("10 frames 320x180 at 5 fps"), std::string::npos) << r.output;
  const Decoded d = decode(out.string());
  EXPECT_EQ(d.codec, "gif");
  EXPECT_EQ(d.frames.size(), 10u);
  EXPECT_EQ(files_in(out.parent_path()), std::vector<std::string>{"fig2.gif"});
}

TEST(AnimateCli, BadInputExitsTwoNamingTheFieldAndTheAllowedValues) {
  TempDir dir("animate-bad");
  const std::string out = (dir.path / "a.mp4").string();
  const std::string ok = " --steps 1000 --records 50 --out ";
  struct Case {
    std::string args, field, allowed;
  } cases[] = {
      {"--preset nope" + ok + out, "unknown preset 'nope'", "fig2"},
      {"--preset fig2 --kind pie" + ok + out, "--kind", "allowed: fig2"},
      {"--preset fig2 --size 641x360" + ok + out, "--size", "even width 160 .. 3840"},
      {"--preset fig2 --size 100x60" + ok + out, "--size", "even height 120 .. 2160"},
      {"--preset fig2 --size big" + ok + out, "--size", "WxH"},
      {"--preset fig2 --fps 0" + ok + out, "--fps", "allowed: 1 .. 120"},
      {"--preset fig2 --fps -3" + ok + out, "--fps", "allowed: 1 .. 120"},
      {"--preset fig2 --duration 0" + ok + out, "--duration", "(0, 600]"},
      {"--preset fig2 --style poster" + ok + out, "--style", "paper"},
      {"--preset fig2" + ok + (dir.path / "a.avi").string(), "--out", ".mp4 (H.264), .gif or .webm (VP9)"},
      {"--preset fig2" + ok + (dir.path / "a.mp4" / "b.mp4").string(), "--out", "is a file, not a folder"},
  };
  { std::ofstream(dir.path / "a.mp4") << "x"; }  // a file where the last case wants a folder
  for (const Case& c : cases) {
    const Result r = cli("animate " + c.args);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.field), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.allowed), std::string::npos) << c.args << "\n" << r.output;
  }
  EXPECT_EQ(files_in(dir.path), std::vector<std::string>{"a.mp4"});
  EXPECT_EQ(slurp(dir.path / "a.mp4"), "x");
}

}  // namespace
