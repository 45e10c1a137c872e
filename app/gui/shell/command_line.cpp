// polarlab's command line: the flags, their checks (finite numbers in range, whole numbers without wrapping,
// output names before any work), the reference text for docs/cli.md and the man page. main.cpp calls it first.
#include "app/gui/shell/command_line.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tuple>
#include <vector>

#include "app/cli_reference.hpp"
#include "app/gui/lecture/deck.hpp"
#include "app/gui/lecture/replay.hpp"
#include "app/gui/shell/flag_checks.hpp"
#include "app/gui/shell/launch_checks.hpp"

namespace polarlab::gui {

namespace {

// The longest scripted run, in seconds: more is a typo (or "forever", which is the default: leave --run-for out).
constexpr double kMaxRunFor = 1e6;
// Window sides above this are no screen's.
constexpr int kMaxSide = 16384;


reference::Info reference_info() {
  return {"polarlab",
          "watch gradient flow polarize softmax outputs, live (the desktop laboratory)",
          "polarlab 0.1.0",
          {{"POLARLAB_ASSETS", "Folder holding presets/*.json and sweeps/*.yaml; default: the source tree's assets/ "
                               "folder, compiled into the build."},
           {"POLARLAB_PROFILE", "Set (to anything): print where a frame's time goes (UI, GL, swap) every 2 s."},
           {"POLARLAB_SCRIPTED_MOUSE", "Set: scripted runs (--run-for, --screenshot) still follow the pointer."},
           {"LP_NUM_THREADS", "Mesa llvmpipe rasterizer threads; polarlab sets 1 on machines with at most 2 cores "
                              "unless it is set."},
           {"XDG_CONFIG_HOME, HOME", "Where the layout and settings file lives (below)."}},
          {{"$XDG_CONFIG_HOME/polarlab/imgui.ini",
            "Window layout and settings (output folder, ...); ~/.config/polarlab/imgui.ini when XDG_CONFIG_HOME is "
            "unset."}},
          {"polarlab-cli(1)", "README.md and docs/cli.md in the source tree"}};
}

}  // namespace

int parse_command_line(int argc, char** argv, LaunchOptions& opt) {
  AppOptions& ao = opt.app;
  CLI::App cli{"polarlab: watch gradient flow polarize softmax outputs, live"};
  cli.option_defaults()->always_capture_default();  // defaults show in --help and docs/cli.md
  cli.add_option("--preset", ao.preset, "preset to open (fig2, fig3, fig10, fig11, fig13, sink)");
  cli.add_option("--config", ao.config, "experiment config JSON to open (as the CLI reads and Save config writes)");
  cli.add_flag("--lecture", ao.lecture, "presentation mode: large fonts, controls hidden, caption");
  const std::string min_size = std::to_string(kMinWidth) + "x" + std::to_string(kMinHeight);
  cli.add_option("--size", opt.size, "window size WxH (at least " + min_size + ")")
      ->check([min_size](const std::string& s) -> std::string {
        // Digits only, so an overflowing side cannot wrap into a small one.
        const auto x = s.find('x');
        auto side = [](const std::string& t) {
          return !t.empty() && t.size() <= 6 &&
                 std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
        };
        if (x == std::string::npos || !side(s.substr(0, x)) || !side(s.substr(x + 1)))
          return "expected WxH, e.g. 1280x800, got '" + s + "'";
        const int w = std::stoi(s.substr(0, x)), h = std::stoi(s.substr(x + 1));
        if (w < kMinWidth || h < kMinHeight) return s + " is smaller than the minimum window, " + min_size;
        if (w > kMaxSide || h > kMaxSide) return s + " is larger than the largest window, " +
                                                 std::to_string(kMaxSide) + "x" + std::to_string(kMaxSide);
        return "";
      });
  CLI::Option* run_for =
      cli.add_option("--run-for", opt.run_for,
                     "run this many seconds, then write --screenshot and --export-figure and exit 0 "
                     "(default: until the window is closed)")
          ->default_str("")
          ->check(finite_in(0.0, kMaxRunFor, "[0 - 1000000]"));
  CLI::Option* screenshot = cli.add_option("--screenshot", opt.screenshot,
                 "save a PNG (FILE.png) of the whole window when --run-for ends (alone: after the first frames)");
  CLI::Option* export_figure = cli.add_option("--export-figure", opt.export_figure,
                 "when --run-for ends, export the scores panel's figure as its right-click menu does: the preset's "
                 "paper figure drawn from the live run (fig2: the two-panel Figure 2; sink preset or another model: "
                 "the theory figure; with --method both GD solid and flow dashed), not the window; FILE.pdf|svg|png and its data "
                 "FILE.csv");
  CLI::Option* lecture_script = cli.add_option("--lecture-script", ao.lecture_script,
                 "a lecture: YAML scenes (preset, overrides, title, panels, pace, annotations; assets/lectures/); "
                 "PageDown/→/space next, PageUp/← back, Home/End, B blank");
  cli.add_option("--scene", ao.scene, "with --lecture-script: the scene to start at (1 is the first)")
      ->check(integer_in(1, 1000000))
      ->needs(lecture_script);
  cli.add_option("--pace", ao.pace,
                 "replay pace in decades of t per second (lecture mode and recordings; default 0.25: one decade per 4 s)")
      ->default_str("")
      ->check(finite_in(Replay::kMinPace, Replay::kMaxPace, "[0.015625 - 16]"));
  CLI::Option* record = cli.add_option("--record", opt.record,
                 "record the run from its start to FILE.mp4|webm|gif at the replay's pace on a fixed frame clock (the "
                 "same video on any machine), print its path and exit when it is written");
  cli.add_option("--record-fps", opt.record_fps, "--record: frames per second")->check(integer_in(1, 240))->needs(record);
  cli.add_option("--method", ao.method, "override the preset's method: gd, flow or both (overlaid in each panel)")
      ->check(CLI::IsMember({"gd", "flow", "both"}));
  CLI::Option* bench_flag =
      cli.add_flag("--bench", opt.bench, "benchmark: FPS with all panels and 1e5-point series, solver speed vs headless");
  cli.add_option("--bench-seconds", opt.bench_seconds, "--bench: seconds per benchmark phase")
      ->check(finite_in(0.0, 3600.0, "(0 - 3600]", true))
      ->needs(bench_flag);
  cli.add_option("--workspace", ao.workspace, "workspace to open: " + workspace_keys());
  // Each workspace's own flags (its folder's flags.cpp), in tab order.
  for (const auto& f : ao.launch.by_workspace)
    if (f) f->add(cli);
  // Pairs that cannot both hold: one would be dropped without a word.
  cli.get_option("--preset")->excludes("--config");
  bench_flag->excludes(run_for)->excludes(screenshot)->excludes(export_figure)->excludes(record);
  // --record exits when its video is written; --run-for would cut it short, --screenshot/--export-figure need it.
  record->excludes(run_for)->excludes(screenshot)->excludes(export_figure);
  cli.footer("Exit status: 0 the window was closed, or a scripted run (--run-for, --screenshot, --export-figure, "
             "--bench, --record) finished; 1 no display or no OpenGL 3.3 window, or --screenshot/--export-figure could not "
             "write its file, or --record could not encode; 2 a bad flag or value, before a window opens (e.g. a number "
             "that is not finite or out of its range, --size below the minimum, an unknown preset or workspace, a missing "
             "or malformed --config, a missing --attention, --sweep, --sweep-cell, --sweep-run or --lecture-script, an "
             "empty value, an output name with another extension or in a folder it cannot write, two flags that "
             "exclude each other or one that needs another), or a --lecture-script with a problem in a scripted run "
             "(interactive runs show it in the window).");
  reference::tidy_defaults(cli);
  // Hidden: `polarlab --help-reference md|man` prints docs/cli.md's section or the man page (no window opens).
  if (const int rc = reference::print_if_requested(argc, argv, cli, reference_info()); rc >= 0) return rc;
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and exits 0; a bad flag or value is exit 2, as everywhere in polarlab.
    return cli.exit(e) == 0 ? 0 : 2;
  }
  // An empty value (--record "", --config "") would read as the flag left out: an interactive window that never exits.
  for (const CLI::Option* o : cli.get_options()) {
    if (o->get_type_size() == 0 || o->count() == 0) continue;
    for (const std::string& v : o->results())
      if (v.empty()) {
        std::fprintf(stderr, "polarlab: %s: an empty value (give one, or leave the flag out)\n", o->get_name().c_str());
        return 2;
      }
  }
  // Output files are checked before any work: a scripted run must not run its seconds and then fail to write.
  for (const auto& [flag, path, exts] :
       {std::tuple<const char*, const std::string&, std::vector<std::string>>{"--screenshot", opt.screenshot, {".png"}},
        {"--export-figure", opt.export_figure, {".pdf", ".svg", ".png"}},
        {"--record", opt.record, {".mp4", ".webm", ".gif"}}}) {
    if (!cli.count(flag)) continue;
    if (const std::string err = check_output_path(flag, path, exts); !err.empty()) {
      std::fprintf(stderr, "polarlab: %s\n", err.c_str());
      return 2;
    }
  }
  if (const std::string err = check_inputs(ao); !err.empty()) {
    std::fprintf(stderr, "polarlab: %s\n", err.c_str());
    return 2;
  }
  // Flags that name something to open (a sweep, attention files) open their workspace, unless --workspace says.
  if (!cli.count("--workspace"))
    for (std::size_t i = 0; i < ao.launch.by_workspace.size(); ++i)
      if (ao.launch.by_workspace[i] && ao.launch.by_workspace[i]->opens_tab())
        ao.workspace = workspace_key(static_cast<WorkspaceId>(i));
  std::sscanf(opt.size.c_str(), "%dx%d", &ao.width, &ao.height);
  ao.bench = opt.bench;
  ao.scripted = opt.run_for >= 0.0 || !opt.screenshot.empty() || opt.bench || !opt.export_figure.empty() ||
                !opt.record.empty();
  if (!opt.export_figure.empty() && opt.run_for < 0.0) opt.run_for = 0.0;
  if (!opt.screenshot.empty() && opt.run_for < 0.0) opt.run_for = 0.0;
  // Check the options before opening a window, so a typo is a plain error message.
  if (const std::string err = check_options(ao); !err.empty()) {
    std::fprintf(stderr, "polarlab: %s\n", err.c_str());
    return 2;
  }
  // A scripted run with a broken lecture script stops here (an interactive one shows the problem in the window).
  if (!ao.lecture_script.empty() && ao.scripted) {
    if (const std::string err = check_lecture_script(ao.lecture_script); !err.empty()) {
      std::fprintf(stderr, "polarlab: %s\n", err.c_str());
      return 2;
    }
  }

  return -1;
}

}  // namespace polarlab::gui
