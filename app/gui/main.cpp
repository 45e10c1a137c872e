// polarlab: the live lab. A worker thread runs the experiment; this thread draws the latest snapshot.
//   polarlab --preset NAME [--lecture] [--size WxH] [--run-for SECONDS] [--screenshot FILE.png] [--bench]
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <CLI/CLI.hpp>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>
#include <tuple>
#include <vector>

#include "app/cli_reference.hpp"
#include "app/gui/font_textures.hpp"
#include "app/gui/gui_bench.hpp"
#include "app/gui/lab_app.hpp"
#include "app/gui/launch_checks.hpp"
#include "app/gui/settings.hpp"

using namespace polarlab;
using namespace polarlab::gui;

namespace {

using Clock = std::chrono::steady_clock;

// Ctrl-C / SIGTERM close the window normally, so the layout (imgui.ini) is saved and workers join.
volatile std::sig_atomic_t g_quit = 0;
void on_signal(int) { g_quit = 1; }
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The window's events go to the App's queue (input_queue.hpp), not into ImGui's polled state.
App* app_of(GLFWwindow* w) { return static_cast<App*>(glfwGetWindowUserPointer(w)); }
void on_cursor(GLFWwindow* w, double x, double y) {
  if (App* a = app_of(w)) a->input().mouse_pos(static_cast<float>(x), static_cast<float>(y));
}
void on_button(GLFWwindow* w, int button, int action, int) {
  if (App* a = app_of(w)) a->input().mouse_button(button, action == GLFW_PRESS);
}
void on_scroll(GLFWwindow* w, double dx, double dy) {
  if (App* a = app_of(w)) a->input().wheel(static_cast<float>(dx), static_cast<float>(dy));
}
void on_key(GLFWwindow* w, int key, int, int action, int) {
  App* a = app_of(w);
  if (!a || key < 0 || key > GLFW_KEY_LAST) return;
  // GLFW on X11 merges a release and a press with the same time stamp into one auto-repeat (two taps of a
  // clicker in one burst, xdotool with no delay). Real auto-repeat starts a few hundred ms after the press:
  // an early "repeat" is the second tap, so it goes in as a release and a press.
  static std::array<Clock::time_point, GLFW_KEY_LAST + 1> pressed_at{};
  const auto now = Clock::now();
  if (action == GLFW_REPEAT && now - pressed_at[static_cast<std::size_t>(key)] < std::chrono::milliseconds(150)) {
    a->input().key(key, false);
    action = GLFW_PRESS;
  }
  if (action == GLFW_PRESS) pressed_at[static_cast<std::size_t>(key)] = now;
  a->input().key(key, action != GLFW_RELEASE, action == GLFW_REPEAT);
}
void on_char(GLFWwindow* w, unsigned int c) {
  if (App* a = app_of(w)) a->input().text(c);
}
void on_focus(GLFWwindow* w, int focused) {
  if (App* a = app_of(w)) a->input().focus(focused != 0);
}
// The window's pixels as 0xAARRGGBB rows from the top (GL's origin is bottom-left).
figure::Bitmap read_framebuffer(int width, int height) {
  figure::Bitmap b;
  b.width = width;
  b.height = height;
  std::vector<std::uint32_t> px(static_cast<std::size_t>(width) * height);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, width, height, GL_BGRA, GL_UNSIGNED_BYTE, px.data());
  b.pixels.resize(px.size());
  for (int y = 0; y < height; ++y)
    std::copy_n(&px[static_cast<std::size_t>(height - 1 - y) * width], width, &b.pixels[static_cast<std::size_t>(y) * width]);
  for (std::uint32_t& p : b.pixels) p |= 0xff000000u;  // the window is opaque
  return b;
}

const char* get_clipboard(void* w) { return glfwGetClipboardString(static_cast<GLFWwindow*>(w)); }
void set_clipboard(void* w, const char* text) { glfwSetClipboardString(static_cast<GLFWwindow*>(w), text); }

void toggle_fullscreen(GLFWwindow* window, AppState& app) {
  static int wx = 0, wy = 0, ww = 1280, wh = 800;
  if (!app.fullscreen) {
    GLFWmonitor* mon = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = mon ? glfwGetVideoMode(mon) : nullptr;
    if (mode) {
      glfwGetWindowPos(window, &wx, &wy);
      glfwGetWindowSize(window, &ww, &wh);
      glfwSetWindowMonitor(window, mon, 0, 0, mode->width, mode->height, mode->refreshRate);
      app.fullscreen = true;
    }
  } else {
    glfwSetWindowMonitor(window, nullptr, wx, wy, ww, wh, 0);
    app.fullscreen = false;
  }
}

// A number flag's value: a finite decimal in [lo, hi] (`lo_open`: above lo). CLI11's Range lets NaN through and
// reads 1e400 as infinity, which would then stand for "forever" or fall back to a default.
CLI::Validator finite_in(double lo, double hi, const std::string& range_text, bool lo_open = false) {
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])) || end != s.c_str() + s.size())
          return "'" + s + "' is not a number";
        if (!std::isfinite(v) || errno == ERANGE) return s + " is not a finite number in " + range_text;
        if (v < lo || v > hi || (lo_open && v == lo)) return s + " is outside " + range_text;
        return "";
      },
      "FLOAT in " + range_text);
}

// A whole-number flag's value in [lo, hi], read in base 10 without wrapping (CLI11 reads 010 as 8 and
// 99999999999999999999 into a long long as its maximum). The value is rewritten in plain digits for CLI11.
CLI::Validator integer_in(long long lo, long long hi) {
  const std::string range_text = "[" + std::to_string(lo) + " - " + std::to_string(hi) + "]";
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        const std::size_t d = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
        if (s.size() == d || !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(d), s.end(),
                                          [](unsigned char c) { return std::isdigit(c) != 0; }))
          return "'" + s + "' is not a whole number";
        errno = 0;
        const long long v = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == ERANGE || v < lo || v > hi) return s + " is outside " + range_text;
        s = std::to_string(v);
        return "";
      },
      "INT in " + range_text);
}

// The longest scripted run, in seconds: more is a typo (or "forever", which is the default: leave --run-for out).
constexpr double kMaxRunFor = 1e6;
// Window sides above this are no screen's.
constexpr int kMaxSide = 16384;

struct Options {
  AppOptions app;
  std::string size = "1600x1000";
  double run_for = -1.0;
  std::string screenshot;
  std::string export_figure;  // scripted "Export figure…" of the primary panel's figure
  std::string record;         // record the run to this video and exit when it is written
  int record_fps = 30;
  double bench_seconds = 4.0;
};

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

int main(int argc, char** argv) {
  Options opt;
  AppOptions& ao = opt.app;
  bool bench = false;
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
      cli.add_flag("--bench", bench, "benchmark: FPS with all panels and 1e5-point series, solver speed vs headless");
  cli.add_option("--bench-seconds", opt.bench_seconds, "--bench: seconds per benchmark phase")
      ->check(finite_in(0.0, 3600.0, "(0 - 3600]", true))
      ->needs(bench_flag);
  cli.add_option("--workspace", ao.workspace, "workspace to open: " + workspace_keys());
  WorkspaceLaunch& launch = ao.launch;
  cli.add_option("--train-steps", launch.train_steps,
                 "transformer: start a training run of N steps on open (default: open without starting)")
      ->default_str("")
      ->check(integer_in(1, 1000000000));
  cli.add_flag("--train-tiny", launch.train_tiny, "transformer: a small model and data set (tests, screenshots)");
  cli.add_option("--train-task", launch.train_task, "transformer: task of the run: induction or classification");
  cli.add_option("--train-attention", launch.train_attention,
                 "transformer: attention function, one of polarlab-cli train --attention's twelve (e.g. softmax, "
                 "sigmoid_norm)");
  cli.add_option("--train-device", launch.train_device, "transformer: auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cli.add_option("--train-threads", launch.train_threads,
                 "transformer: torch threads (default: train's, half the cores, at most 8; 1 on 2 cores)")
      ->default_str("")
      ->check(integer_in(1, 256));
  CLI::Option* ensemble_count =
      cli.add_option("--ensemble-count", launch.ensemble_count,
                     "ensemble: start N runs per kappa on open (default: open without starting)")
          ->default_str("")
          ->check(integer_in(1, 10000000));
  cli.add_option("--ensemble-preset", launch.ensemble_preset, "ensemble: preset (default fig3)")->needs(ensemble_count);
  cli.add_option("--kappa-range", launch.kappa_range, "ensemble: a:b:n kappa values (default 1:10:10)")
      ->needs(ensemble_count);
  cli.add_option("--attention", launch.attention_models,
                 "attention: open these models (at most two; each a file, shards separated by spaces in one argument, "
                 "or a train run folder)");
  CLI::Option* sweep = cli.add_option("--sweep", launch.sweep_dir, "sweeps: open this sweep folder (or its results.sqlite)");
  cli.add_option("--sweep-cell", launch.sweep_cell, "sweeps: then select the cell VIEW:PANEL:ROW:COL "
                 "(names or indices, e.g. accuracy_lambda0.2:0:softmax:1)")
      ->needs(sweep);
  cli.add_option("--sweep-run", launch.sweep_run, "sweeps: then open this run's attention maps")->needs(sweep);
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
  if (!launch.sweep_dir.empty() && !cli.count("--workspace")) ao.workspace = "sweeps";
  if (!launch.attention_models.empty() && !cli.count("--workspace")) ao.workspace = "attention";
  std::sscanf(opt.size.c_str(), "%dx%d", &ao.width, &ao.height);
  ao.bench = bench;
  ao.scripted = opt.run_for >= 0.0 || !opt.screenshot.empty() || bench || !opt.export_figure.empty() ||
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

  // Software GL (llvmpipe, as under Xvfb) starts a rasterizer thread per core; on two cores they take turns
  // with the solver. One rasterizer thread keeps the solver at >= 90 % of its headless speed at 60 fps (README,
  // Benchmarks). Hardware drivers ignore the variable, and a value the user set wins.
  if (std::thread::hardware_concurrency() <= 2) setenv("LP_NUM_THREADS", "1", 0);
  if (!glfwInit()) {
    std::fprintf(stderr, "polarlab: cannot initialise GLFW (no display? try xvfb-run -a polarlab ...)\n");
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (ao.scripted) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);  // the PNG must have the requested size
  GLFWwindow* window = glfwCreateWindow(ao.width, ao.height, "polarlab", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "polarlab: cannot open an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  glfwSetWindowSizeLimits(window, kMinWidth, kMinHeight, GLFW_DONT_CARE, GLFW_DONT_CARE);
  float xs = 1.0f, ys = 1.0f;
  glfwGetWindowContentScale(window, &xs, &ys);
  ao.dpi_scale = std::clamp(std::max(xs, ys), 1.0f, 3.0f);
  ao.ini_path = layout_ini_path();

  std::unique_ptr<App> lab;
  try {
    lab = std::make_unique<App>(ao);
  } catch (const AppError& e) {
    std::fprintf(stderr, "polarlab: %s\n", e.what());
    glfwDestroyWindow(window);
    glfwTerminate();
    return 2;
  }
  App& app = *lab;
  ImGuiIO& io = ImGui::GetIO();
  // Scripted runs ignore the pointer: under Xvfb it rests mid-screen and would put a hover tooltip in the PNG.
  if (ao.scripted && !std::getenv("POLARLAB_SCRIPTED_MOUSE")) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
  io.BackendPlatformName = "polarlab_glfw_events";
  io.ClipboardUserData = window;
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  glfwSetWindowUserPointer(window, &app);
  glfwSetCursorPosCallback(window, on_cursor);
  glfwSetMouseButtonCallback(window, on_button);
  glfwSetScrollCallback(window, on_scroll);
  glfwSetKeyCallback(window, on_key);
  glfwSetCharCallback(window, on_char);
  glfwSetWindowFocusCallback(window, on_focus);
  int exit_code = 0;
  ImGui_ImplOpenGL3_Init("#version 330");
  font_textures_create();
  if (!opt.record.empty()) {
    if (const std::string err = app.start_recording(opt.record, opt.record_fps); !err.empty()) {
      std::fprintf(stderr, "polarlab: %s\n", err.c_str());
      exit_code = 2;
      glfwSetWindowShouldClose(window, GLFW_TRUE);
    } else {
      std::fprintf(stderr, "polarlab: recording %s\n", app.state().recording.c_str());
    }
  }

  std::string recorded;
  const auto t_start = Clock::now();
  double frame_cap = 1.0 / 60.0;
  auto next_frame = Clock::now();
  auto last_frame = Clock::now();
  int fps_frames = 0;
  auto fps_t0 = Clock::now();
  std::unique_ptr<GuiBench> gbench;
  if (bench) {
    gbench = std::make_unique<GuiBench>(app.state().edit, opt.bench_seconds, 100000);
    std::printf("bench: preset %s, %d records requested, %lld steps\n", ao.preset.c_str(), app.state().edit.records,
                static_cast<long long>(app.state().edit.steps));
  }

  // POLARLAB_PROFILE=1: where a frame's time goes (UI build, GL render, swap), printed every 2 s.
  const bool profile = std::getenv("POLARLAB_PROFILE") != nullptr;
  double prof_ui = 0, prof_gl = 0, prof_swap = 0;
  int prof_n = 0;
  auto prof_t0 = Clock::now();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  while (!glfwWindowShouldClose(window) && !g_quit) {
    const auto f0 = Clock::now();
    // Nothing new from the workers and no input for a few frames: sleep until an event (or a short
    // timeout to pick up snapshots) instead of redrawing an unchanged screen.
    if (!ao.scripted && !app.busy()) glfwWaitEventsTimeout(0.05);
    else glfwPollEvents();
    int ww = 0, wh = 0, fw = 0, fh = 0;
    glfwGetWindowSize(window, &ww, &wh);
    glfwGetFramebufferSize(window, &fw, &fh);
    if (ww > 0 && wh > 0)
      app.resize(ww, wh, static_cast<float>(fw) / static_cast<float>(ww), static_cast<float>(fh) / static_cast<float>(wh));
    ImGui_ImplOpenGL3_NewFrame();
    const double dt = since(last_frame);
    if (!app.frame(dt, ao.scripted)) continue;
    last_frame = Clock::now();
    if (app.take_fullscreen_toggle()) toggle_fullscreen(window, app.state());
    const auto f1 = Clock::now();
    glViewport(0, 0, fw, fh);
    glClearColor(0.06f, 0.06f, 0.07f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    font_textures_upload_text_cache();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    // A recording takes the frame before the REC indicator is drawn over it.
    if (app.recording_frame_due()) app.deliver_recording_frame(read_framebuffer(fw, fh));
    if (ImDrawData* overlay = app.overlay()) ImGui_ImplOpenGL3_RenderDrawData(overlay);
    if (bool ok = true; !opt.record.empty() && app.take_recording_result(ok, recorded)) {
      std::fprintf(ok ? stdout : stderr, "%s%s\n", ok ? "" : "polarlab: ", recorded.c_str());
      if (!ok) exit_code = 1;
      break;
    }
    if (profile) glFinish();
    const auto f2 = Clock::now();
    ++fps_frames;
    if (since(fps_t0) >= 0.5) {
      app.state().fps = fps_frames / since(fps_t0);
      fps_frames = 0;
      fps_t0 = Clock::now();
    }
    if (!bench && opt.run_for >= 0.0 && since(t_start) >= opt.run_for && app.frames() >= 3) {
      if (!opt.export_figure.empty()) {
        const ExportResult r = app.export_figure(opt.export_figure, Panel::scores, false);
        std::fprintf(stderr, "polarlab: %s\n", r.message.c_str());
        if (!r.ok) exit_code = 1;
      }
      if (!opt.screenshot.empty()) {
        std::string err;
        if (!app.screenshot(opt.screenshot, err)) {
          std::fprintf(stderr, "polarlab: %s\n", err.c_str());
          exit_code = 1;
        }
      }
      break;
    }
    if (gbench && gbench->on_frame(app.state(), &frame_cap)) break;
    glfwSwapBuffers(window);
    if (profile) {
      prof_ui += std::chrono::duration<double>(f1 - f0).count();
      prof_gl += std::chrono::duration<double>(f2 - f1).count();
      prof_swap += since(f2);
      if (++prof_n, since(prof_t0) > 2.0) {
        const ImDrawData* dd = ImGui::GetDrawData();
        int cmds = 0;
        for (int l = 0; l < dd->CmdListsCount; ++l) cmds += dd->CmdLists[l]->CmdBuffer.Size;
        std::printf("profile: ui %.1f ms, gl %.1f ms, swap %.1f ms per frame (%d frames; %d vertices, %d triangles, %d draw calls)\n",
                    1e3 * prof_ui / prof_n, 1e3 * prof_gl / prof_n, 1e3 * prof_swap / prof_n, prof_n, dd->TotalVtxCount,
                    dd->TotalIdxCount / 3, cmds);
        prof_ui = prof_gl = prof_swap = 0, prof_n = 0, prof_t0 = Clock::now();
      }
    }
    // Xvfb has no vsync: cap the frame rate so the UI leaves the CPU to the solver.
    // The deadline advances by whole frame intervals, so sleep overshoot does not pull the rate below the cap,
    // and after an occasional slow frame (the solver and the rasterizer sharing two cores) the next frames
    // start at once until the schedule is met. More than a few frames behind, the schedule starts over.
    if (frame_cap > 0.0) {
      const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(frame_cap));
      constexpr int kMaxFramesBehind = 4;
      next_frame += interval;
      const auto now = Clock::now();
      if (next_frame < now - kMaxFramesBehind * interval) next_frame = now;
      else std::this_thread::sleep_until(next_frame);
    }
  }
  glfwSetWindowUserPointer(window, nullptr);
  app.shutdown();  // join the workers before the GL context goes
  font_textures_destroy();
  ImGui_ImplOpenGL3_Shutdown();
  lab.reset();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
