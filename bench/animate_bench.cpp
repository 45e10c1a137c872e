// Wall time of `polarlab-cli animate`'s work against the length of the video it makes: the preset's run, then
// every frame rendered (Cairo, in memory) and encoded (libx264 / libvpx-vp9 / GIF). The target is faster than
// real time: a 4 s, 30 fps, 1280x720 MP4 of fig2 in <= 4 s wall on 2 cores (--threads 2, or taskset -c 0,1).
// Usage: animate_bench [--preset fig2] [--size 1280x720] [--fps 30] [--duration 4] [--threads 2] [--reps 3]
//                      [--format mp4|gif|webm] [--out FILE]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_cli.hpp"
#include "core/animate/animate.hpp"
#include "core/animate/schedule.hpp"

namespace pa = polarlab::animate;
namespace pf = polarlab::figure;

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

int main(int argc, char** argv) {
  std::string preset = "fig2", format = "mp4", out, style = "slides";
  int width = 1280, height = 720, fps = 30, threads = 2, reps = 3;
  double duration = 4;
  CLI::App app{"Wall time to run a preset and write its animation, and its ratio to the video's duration (< 1: "
               "faster than real time); exits 1 when the median total exceeds the duration.",
               "animate_bench"};
  app.add_option("--preset", preset, "Preset to run and animate")->capture_default_str();
  app.add_option("--style", style, "slides or paper")->check(CLI::IsMember({"slides", "paper"}))->capture_default_str();
  app.add_option("--width", width, "Frame width (even)")->check(polarlab::bench::integer_in(160, 3840))->capture_default_str();
  app.add_option("--height", height, "Frame height (even)")->check(polarlab::bench::integer_in(120, 2160))->capture_default_str();
  app.add_option("--fps", fps, "Frames per second")->check(polarlab::bench::integer_in(1, 120))->capture_default_str();
  app.add_option("--duration", duration, "Video length in seconds")->check(polarlab::bench::real_in(0.1, 600.0))->capture_default_str();
  app.add_option("--threads", threads, "Threads rendering frames, and the encoder's threads")
      ->check(polarlab::bench::integer_in(1, 256))->capture_default_str();
  app.add_option("--reps", reps, "Repeats (the median is reported)")->check(polarlab::bench::integer_in(1, 100))->capture_default_str();
  app.add_option("--format", format, "mp4, gif or webm")->check(CLI::IsMember({"mp4", "gif", "webm"}))->capture_default_str();
  app.add_option("--out", out, "Keep the video here (default: a temporary file, removed)");
  if (const int code = polarlab::bench::parse(app, argc, argv); code >= 0) return code;
  return polarlab::bench::run_main("animate_bench", [&] {
    // Before the preset runs: a kept video's extension matches --format and its folder can be written.
    if (!out.empty()) polarlab::checked::check_writable_file(out, "--out", {"." + format});
    const std::string path = !out.empty() ? out
                                          : (std::filesystem::temp_directory_path() /
                                             ("polarlab_animate_bench_" + std::to_string(::getpid()) + "." + format))
                                                .string();
    const int frames = pa::frame_count(fps, duration);
    const double video_s = static_cast<double>(frames) / fps;
    std::vector<double> totals;
    std::printf("%-8s %9s %4s %6s %7s %9s %9s %9s %8s %7s  (s; ratio = total / video length)\n", "preset", "size",
                "fps", "frames", "threads", "run", "figures", "encode", "total", "ratio");
    for (int rep = 0; rep < reps; ++rep) {
      const double t0 = now();
      auto runs = pf::run_preset(preset);
      const double t1 = now();
      const pa::FrameRenderer renderer(pf::default_kind_for_preset(preset), std::move(runs), pf::style_by_name(style),
                                       width, height);
      const double t2 = now();
      pa::AnimationOptions o;
      o.fps = fps, o.frames = frames, o.threads = threads, o.encoder_threads = threads;
      pa::write_animation(path, renderer, o);
      const double t3 = now();
      totals.push_back(t3 - t0);
      char size[32];
      std::snprintf(size, sizeof size, "%dx%d", width, height);
      std::printf("%-8s %9s %4d %6d %7d %9.3f %9.3f %9.3f %8.3f %7.2f\n", preset.c_str(), size, fps, frames, threads,
                  t1 - t0, t2 - t1, t3 - t2, t3 - t0, (t3 - t0) / video_s);
      std::fflush(stdout);
    }
    if (out.empty()) std::filesystem::remove(path);
    std::sort(totals.begin(), totals.end());
    const double med = totals[totals.size() / 2];
    std::printf("median total %.3f s for %.2f s of %s video: %.2fx real time (%s)\n", med, video_s, format.c_str(),
                med / video_s, med <= video_s ? "faster than real time" : "SLOWER than real time");
    return med <= video_s ? 0 : 1;
  });
}
