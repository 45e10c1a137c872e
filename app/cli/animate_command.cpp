// polarlab-cli animate: a paper figure as a video (MP4 H.264, GIF, WebM VP9): the figure `polarlab-cli figure`
// draws, frame by frame, time revealed log-uniformly on the whole run's axes, the clock t in the title.
#include <cstdio>

#include "app/cli/command.hpp"

#ifdef HAVE_POLARLAB_ANIMATE

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <charconv>
#include <string_view>
#include <thread>

#include "app/cli/assets.hpp"
#include "core/animate/animate.hpp"
#include "core/animate/schedule.hpp"
#include "app/cli/experiment_flags.hpp"
#include "core/experiment/fields.hpp"
#include "core/util/checked_values.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/job/job.hpp"

namespace polarlab::cli {
namespace {

namespace pa = polarlab::animate;
namespace pf = polarlab::figure;

struct AnimateOptions {
  ExperimentOverrides overrides;  // the experiment field table's flags, as simulate's
  std::string preset, config, kind, style = "slides", size = "1280x720", out;
  int fps = 30, threads = 0;
  double duration = 4.0;
  bool quiet = false;
};

// "1280x720" (x, X or ×; spaces around allowed).
void parse_size(const std::string& s, int& w, int& h) {
  auto bad = [&] {
    return ConfigError("--size", "'" + s + "' is not WxH (allowed: even width 160 .. 3840 and even height "
                                 "120 .. 2160, e.g. 1280x720)");
  };
  const char* p = s.c_str();
  const char* end = p + s.size();
  auto number = [&](int& v) {
    while (p < end && *p == ' ') ++p;
    const auto r = std::from_chars(p, end, v);
    if (r.ec != std::errc() || r.ptr == p) throw bad();
    p = r.ptr;
    while (p < end && *p == ' ') ++p;
  };
  number(w);
  if (p < end && (*p == 'x' || *p == 'X')) ++p;
  else if (end - p >= 2 && std::string_view(p, 2) == "\xC3\x97") p += 2;  // ×
  else throw bad();
  number(h);
  if (p != end) throw bad();
}

// Fails before the (possibly long) run when the file could not be written (the shared check: a part of the path
// that is a file, a folder without write permission), then makes the folder, as `figure` does.
void check_writable(const std::string& out) {
  checked::check_writable_file(out, "--out", {});
  const std::filesystem::path dir = std::filesystem::path(out).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) throw ConfigError("--out", "cannot create the folder '" + dir.string() + "': " + ec.message());
}

std::vector<pf::RunData> run_config(const AnimateOptions& o, std::string& name) {
  const ExperimentConfig cfg = resolve_experiment_config(read_json_file(o.config), o.overrides, o.config);
  Runner runner(cfg);
  while (!runner.done()) runner.advance(Budget{});
  name = cfg.name;
  return {pf::RunData{cfg, runner.facts(), runner.records(), ""}};
}

void run(const AnimateOptions& o) {
  // Everything that can be checked without running is checked first.
  if (o.out.empty()) throw ConfigError("--out", "give --out FILE.mp4, FILE.gif or FILE.webm");
  pa::EncoderOptions eo;
  eo.container = pa::container_from_path(o.out);
  parse_size(o.size, eo.width, eo.height);
  if (o.fps < 1 || o.fps > 120) throw ConfigError("--fps", std::to_string(o.fps) + " is not allowed (allowed: 1 .. 120)");
  eo.fps = o.fps;
  pa::check_encoder_options(eo);
  if (!(o.duration > 0 && o.duration <= 600))
    throw ConfigError("--duration", "must be in (0, 600] seconds");
  const int frames = pa::frame_count(o.fps, o.duration);
  if (frames < 2) throw ConfigError("--duration", "fps × duration gives one frame; an animation needs at least 2");
  const pf::Style style = pf::style_by_name(o.style);
  if (o.preset.empty() && o.config.empty()) throw ConfigError("--preset/--config", "give one of --preset NAME or --config FILE");
  std::string kind = o.kind.empty() ? "" : pf::canonical_kind(o.kind);
  if (!o.preset.empty()) {
    require_presets_folder();
    const std::string preset = o.preset == "fig12" ? "fig3" : o.preset;
    // An unknown preset (exit 2 with the available ones) or a flag that does not apply to it, before any run.
    resolve_experiment(preset, o.overrides);
    if (kind.empty()) kind = pf::default_kind_for_preset(o.preset);
  } else if (kind.empty()) {
    kind = "theory";
  }
  check_writable(o.out);

  double t0 = monotonic_seconds();
  std::vector<pf::RunData> runs;
  std::string name = o.preset;
  if (!o.preset.empty()) {
    const std::string preset = o.preset == "fig12" ? "fig3" : o.preset;
    const std::string model = load_preset_json(preset).value("config", nlohmann::json::object()).value("model", "value_softmax");
    runs = pf::run_preset(preset, o.overrides.to_json(*parse_model(model)));
  } else {
    runs = run_config(o, name);
  }
  const double run_s = monotonic_seconds() - t0;

  t0 = monotonic_seconds();
  const pa::FrameRenderer renderer(kind, std::move(runs), style, eo.width, eo.height);
  pa::AnimationOptions ao;
  ao.fps = o.fps;
  ao.frames = frames;
  ao.threads = o.threads;
  const bool tty = !o.quiet && ::isatty(STDERR_FILENO);
  if (tty)
    ao.progress = [](int done, int total) {
      std::fprintf(stderr, "\rframe %d / %d", done, total);
      if (done == total) std::fprintf(stderr, "\n");
      std::fflush(stderr);
    };
  const pa::AnimationStats st = pa::write_animation(o.out, renderer, ao);
  const double setup_s = monotonic_seconds() - t0 - st.seconds;
  const double video_s = static_cast<double>(frames) / o.fps;
  std::printf("%s (%s): %d frames %dx%d at %d fps (%.2f s of video), t = %.3g .. %.3g; run %.3f s, figures %.3f s, "
              "render + encode %.3f s (%.2fx real time) -> %s\n",
              name.c_str(), kind.c_str(), frames, eo.width, eo.height, o.fps, video_s, renderer.t_first(),
              renderer.t_last(), run_s, setup_s, st.seconds, st.seconds / video_s, o.out.c_str());
  std::fflush(stdout);
}

RegisterCommand reg("animate", 35, [](CLI::App& app) {
  static AnimateOptions o;
  auto* sub = app.add_subcommand(
      "animate",
      "Draw a paper figure as a video (MP4 H.264, GIF, WebM VP9): the figure of 'figure', frame k showing the "
      "records up to t_k (log-uniform in t) on the whole run's axes, with t in the title. Headless");
  auto* preset = sub->add_option("--preset", o.preset, "Preset to run: fig2, fig3 (= fig12), fig10, fig11, fig13, sink");
  auto* config = sub->add_option("--config", o.config, "Experiment config JSON instead of a preset (draws 'theory')");
  preset->excludes(config);
  sub->add_option("--kind", o.kind, "Figure to draw (default: the preset's): fig2, fig3, fig12, fig10, fig11, fig13, "
                                    "sink, theory");
  add_experiment_flags(sub, o.overrides);  // --kappa ... --seed: a flag that does not apply is refused
  sub->add_option("--style", o.style, "slides (large text, default) or paper (serif, thin lines)")
      ->check(CLI::IsMember({"paper", "slides"}));
  sub->add_option("--size", o.size, "Frame size WxH in pixels, both even (default 1280x720)");
  sub->add_option("--fps", o.fps, "Frames per second, 1 .. 120 (default 30)");
  sub->add_option("--duration", o.duration, "Video length in seconds (default 4)");
  sub->add_option("--threads", o.threads, "Threads rendering frames (0: one per core)")->check(CLI::Range(0, 1024));
  sub->add_option("--out", o.out, "Output file: .mp4 (H.264), .gif (looping) or .webm (VP9); written atomically");
  sub->add_flag("--quiet", o.quiet, "No progress line on stderr");
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli

#else  // built without Cairo or FFmpeg

namespace polarlab::cli {
namespace {
RegisterCommand reg("animate", 35, [](CLI::App& app) {
  auto* sub = app.add_subcommand("animate", "Draw a paper figure as a video (unavailable: built without libcairo2-dev "
                                            "or FFmpeg's libav*-dev)");
  sub->allow_extras();
  sub->callback([] {
    std::fprintf(stderr, "polarlab-cli: animate: this build has no Cairo or FFmpeg (apt install libcairo2-dev "
                         "libavcodec-dev libavformat-dev libswscale-dev libavutil-dev, then rebuild)\n");
    exit_code() = kExitBadInput;
  });
});
}  // namespace
}  // namespace polarlab::cli

#endif
