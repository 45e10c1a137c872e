// polarlab: the live lab. A worker thread runs the experiment; this thread draws the latest snapshot.
//   polarlab --preset NAME [--lecture] [--size WxH] [--run-for SECONDS] [--screenshot FILE.png] [--bench]
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>

#include "app/gui/app.hpp"
#include "app/gui/font_textures.hpp"
#include "app/gui/gui_bench.hpp"
#include "app/gui/settings.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/text_cache.hpp"

using namespace polarlab;
using namespace polarlab::gui;

namespace {

using Clock = std::chrono::steady_clock;

// Ctrl-C / SIGTERM close the window normally, so the layout (imgui.ini) is saved and workers join.
volatile std::sig_atomic_t g_quit = 0;
void on_signal(int) { g_quit = 1; }
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

void load_fonts(AppState& app) {
  ImGuiIO& io = ImGui::GetIO();
  // Latin plus Greek (σ Φ γ β κ η δ), sub/superscripts, arrows, ∫ ‖ ≤, and ★ for the winner.
  static ImVector<ImWchar> ranges;
  ImFontGlyphRangesBuilder b;
  b.AddRanges(io.Fonts->GetGlyphRangesDefault());
  static const ImWchar extra[] = {0x0370, 0x03FF, 0x2000, 0x206F, 0x2070, 0x209F, 0x2190, 0x21FF,
                                  0x2200, 0x22FF, 0x2600, 0x26FF, 0x1D00, 0x1DBF, 0};
  b.AddRanges(extra);
  b.BuildRanges(&ranges);
  const float s = app.dpi_scale;
  // Glyphs on whole pixels, texels 1:1: the atlas can be sampled GL_NEAREST (font_textures.hpp).
  ImFontConfig pixel_exact = widgets::pixel_exact_font_config();
  if (std::filesystem::exists(kFontPath)) {
    app.font = io.Fonts->AddFontFromFileTTF(kFontPath, std::round(16.0f * s), &pixel_exact, ranges.Data);
    app.font_large = io.Fonts->AddFontFromFileTTF(kFontPath, std::round(27.0f * s), &pixel_exact, ranges.Data);
  }
  if (!app.font || !app.font_large) {
    std::fprintf(stderr, "polarlab: %s not found (apt install fonts-dejavu-core); using ImGui's font\n", kFontPath);
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * s;
    app.font = io.Fonts->AddFontDefault(&cfg);
    cfg.SizePixels = 24.0f * s;
    app.font_large = io.Fonts->AddFontDefault(&cfg);
  }
}

std::vector<Panel> visible_panels(const AppState& app) {
  const History& h = app.runs.front().history;
  const bool sink = h.info && h.info->config.model == ModelKind::sink;
  std::vector<Panel> out;
  if (app.lecture) {
    // Four panels that tell the preset's story, large.
    const std::string& p = app.preset;
    if (sink) return {Panel::attention, Panel::scores, Panel::projections, Panel::bound};
    if (p == "fig3") return {Panel::logits, Panel::scores, Panel::gamma, Panel::loss};
    if (p == "fig11") return {Panel::scores, Panel::singular, Panel::projections, Panel::bound};
    if (p == "fig10" || p == "fig13") return {Panel::scores, Panel::projections, Panel::loss, Panel::bound};
    return {Panel::scores, Panel::projections, Panel::bound, Panel::potentials};
  }
  for (int i = 0; i < kPanelCount; ++i) {
    const auto p = static_cast<Panel>(i);
    if (p == Panel::attention && !sink) continue;
    if (app.show[static_cast<std::size_t>(i)]) out.push_back(p);
  }
  return out;
}

void draw_frame(AppState& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  // No window background: glClear paints the same colour, and llvmpipe (Xvfb) is fill-rate bound,
  // so every full-screen blended layer costs frames.
  ImGui::Begin("##main", nullptr,
               fixed | ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  // Workspaces (workspace.hpp): a tab bar across the top; lecture mode is the dynamics view alone.
  const Workspace ws = app.lecture ? Workspace::dynamics : workspace_tabs(app);
  if (ws != Workspace::dynamics) {
    draw_workspace(app, ws);
    ImGui::End();
    ImGui::PopStyleVar();
    return;
  }
  if (app.lecture) ImGui::PushFont(app.font_large);
  if (app.lecture) view_caption(app);
  else {
    ImGui::BeginChild("controls", ImVec2(app.side_width * app.dpi_scale, 0), true);
    view_controls(app);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("plots", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const auto panels = visible_panels(app);
  const float status_h = ImGui::GetFrameHeightWithSpacing() * (app.primary().history.snap &&
                                                                  app.primary().history.snap->status.state == RunState::failed
                                                              ? 3.0f : 1.2f);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int n = static_cast<int>(panels.size());
  const int cols = n <= 2 ? std::max(n, 1) : (n <= 4 ? 2 : 3);
  const int rows = std::max(1, (n + cols - 1) / cols);
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const float cw = (avail.x - sp * (cols - 1)) / cols;
  const float ch = (avail.y - status_h - sp * (rows - 1)) / rows;
  const ImVec2 origin = ImGui::GetCursorPos();
  for (int k = 0; k < n; ++k) {
    const int r = k / cols, c = k % cols;
    // The last panel takes the row's empty slots (the potentials panel holds a heatmap and a plot).
    const int span = k == n - 1 ? cols - c : 1;
    const float w = cw * span + sp * (span - 1);
    ImGui::SetCursorPos(ImVec2(origin.x + c * (cw + sp), origin.y + r * (ch + sp)));
    ImGui::PushID(k);
    ImGui::BeginChild(panel_name(panels[static_cast<std::size_t>(k)]), ImVec2(w, ch), true,
                      ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    draw_panel(app, panels[static_cast<std::size_t>(k)]);
    panel_export_menu(app, panels[static_cast<std::size_t>(k)]);
    ImGui::EndChild();
    ImGui::PopID();
  }
  ImGui::SetCursorPos(ImVec2(origin.x, origin.y + rows * ch + (rows - 1) * sp + sp * 0.5f));
  view_status(app);
  ImGui::EndChild();
  if (app.lecture) ImGui::PopFont();
  ImGui::End();
  ImGui::PopStyleVar();
}

void keyboard(AppState& app, GLFWwindow* window) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) app.play_pause();
  if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT, true)) app.step();
  if (ImGui::IsKeyPressed(GLFW_KEY_R, false)) app.reset();
  if (ImGui::IsKeyPressed(GLFW_KEY_L, false)) app.lecture = !app.lecture;
  for (int k = 0; k < 9 && k < static_cast<int>(app.presets.size()); ++k)
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + k, false)) app.load_preset(app.presets[static_cast<std::size_t>(k)].name);
  if (ImGui::IsKeyPressed(GLFW_KEY_F, false)) {
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
}

struct Options {
  std::string preset = "fig2";
  std::string config;  // an experiment JSON instead of a preset
  bool lecture = false;
  std::string size = "1600x1000";
  double run_for = -1.0;
  std::string screenshot;
  std::string export_figure;  // scripted "Export figure…" of the primary panel's figure
  std::string method;  // "", gd, flow, both
  bool bench = false;
  double bench_seconds = 4.0;
  std::string workspace = "dynamics";
  WorkspaceLaunch launch;
};


}  // namespace

int main(int argc, char** argv) {
  Options opt;
  CLI::App cli{"polarlab: watch gradient flow polarize softmax outputs, live"};
  cli.add_option("--preset", opt.preset, "preset to open (fig2, fig3, fig10, fig11, fig13, sink)");
  cli.add_option("--config", opt.config, "experiment config JSON to open (as the CLI reads and Save config writes)");
  cli.add_flag("--lecture", opt.lecture, "presentation mode: large fonts, controls hidden, caption");
  cli.add_option("--size", opt.size, "window size WxH")->check([](const std::string& s) {
    int w, h;
    return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 200 && h >= 150 ? "" : "expected WxH, e.g. 1280x800";
  });
  cli.add_option("--run-for", opt.run_for, "run this many seconds, then exit 0 (after --screenshot)")
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--screenshot", opt.screenshot, "save a PNG of the window when --run-for ends");
  cli.add_option("--export-figure", opt.export_figure,
                 "when --run-for ends, export the scores panel's figure (FILE.pdf|svg|png), as its right-click menu does");
  cli.add_option("--method", opt.method, "override the preset's method: gd, flow or both (side by side)")
      ->check(CLI::IsMember({"gd", "flow", "both"}));
  cli.add_flag("--bench", opt.bench, "benchmark: FPS with all panels and 1e5-point series, solver speed vs headless");
  cli.add_option("--bench-seconds", opt.bench_seconds, "seconds per benchmark phase");
  cli.add_option("--workspace", opt.workspace, "workspace to open: " + workspace_keys());
  cli.add_option("--train-steps", opt.launch.train_steps, "transformer: start a training run of N steps on open")
      ->check(CLI::PositiveNumber);
  cli.add_flag("--train-tiny", opt.launch.train_tiny, "transformer: a small model and data set (tests, screenshots)");
  cli.add_option("--train-task", opt.launch.train_task, "transformer: induction or classification");
  cli.add_option("--train-attention", opt.launch.train_attention, "transformer: attention function (e.g. softmax)");
  cli.add_option("--train-device", opt.launch.train_device, "transformer: auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cli.add_option("--train-threads", opt.launch.train_threads, "transformer: torch threads (default: 1 on 2 cores)")
      ->check(CLI::Range(1, 256));
  cli.add_option("--ensemble-count", opt.launch.ensemble_count, "ensemble: start N runs per kappa on open")
      ->check(CLI::Range(1, 10000000));
  cli.add_option("--ensemble-preset", opt.launch.ensemble_preset, "ensemble: preset (default fig3)");
  cli.add_option("--kappa-range", opt.launch.kappa_range, "ensemble: a:b:n kappa values (default 1:10:10)");
  cli.add_option("--sweep", opt.launch.sweep_dir, "sweeps: open this sweep folder (or its results.sqlite)");
  cli.add_option("--sweep-cell", opt.launch.sweep_cell, "sweeps: then select the cell VIEW:PANEL:ROW:COL "
                 "(names or indices, e.g. accuracy_lambda0.2:0:softmax:1)");
  cli.add_option("--sweep-run", opt.launch.sweep_run, "sweeps: then open this run's attention maps");
  CLI11_PARSE(cli, argc, argv);
  if (!opt.launch.sweep_dir.empty() && !cli.count("--workspace")) opt.workspace = "sweeps";
  const auto open_workspace = workspace_from_key(opt.workspace);
  if (!open_workspace) {
    std::fprintf(stderr, "polarlab: --workspace: unknown '%s' (expected %s)\n", opt.workspace.c_str(),
                 workspace_keys().c_str());
    return 2;
  }
  int width = 1600, height = 1000;
  std::sscanf(opt.size.c_str(), "%dx%d", &width, &height);
  const bool scripted = opt.run_for >= 0.0 || !opt.screenshot.empty() || opt.bench || !opt.export_figure.empty();
  if (!opt.export_figure.empty() && opt.run_for < 0.0) opt.run_for = 0.0;
  if (!opt.screenshot.empty() && opt.run_for < 0.0) opt.run_for = 0.0;

  // Check the preset before opening a window, so a typo is a plain error message.
  ExperimentConfig first;
  try {
    nlohmann::json over = nlohmann::json::object();
    // Enough steps that the solver is still running when the series pass 1e5 points and during the measurement.
    if (opt.bench) over = {{"records", 400000}, {"steps", 30000000}};
    first = opt.config.empty() ? resolve_preset(opt.preset, over) : config_from_json(read_json_file(opt.config));
    validate(first);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "polarlab: %s\n", e.what());
    return 2;
  }
  if (opt.bench) std::printf("bench: preset %s, %d records requested, %lld steps\n", opt.preset.c_str(), first.records,
                             static_cast<long long>(first.steps));

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
  if (scripted) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);  // the PNG must have the requested size
  GLFWwindow* window = glfwCreateWindow(width, height, "polarlab", nullptr, nullptr);
  if (!window) {
    std::fprintf(stderr, "polarlab: cannot open an OpenGL 3.3 window\n");
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  AppState app;
  app.show.fill(true);
  float xs = 1.0f, ys = 1.0f;
  glfwGetWindowContentScale(window, &xs, &ys);
  app.dpi_scale = std::clamp(std::max(xs, ys), 1.0f, 3.0f);
  register_layout_settings(app);
  // Scripted runs (screenshots, tests, bench) neither read nor write the user's layout: reproducible PNGs.
  static std::string ini = scripted ? std::string() : layout_ini_path();
  io.IniFilename = ini.empty() ? nullptr : ini.c_str();
  // Scripted runs ignore the pointer: under Xvfb it rests mid-screen and would put a hover tooltip in the PNG.
  if (scripted && !std::getenv("POLARLAB_SCRIPTED_MOUSE")) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
  if (!ini.empty()) ImGui::LoadIniSettingsFromDisk(ini.c_str());
  if (opt.lecture) app.lecture = true;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().ScaleAllSizes(app.dpi_scale);
  // Widgets' lines use geometry for anti-aliasing; only the plots' series use the textured path, with a
  // filtered twin of the atlas (widgets::SmoothLines).
  ImGui::GetStyle().AntiAliasedLinesUseTex = false;
  load_fonts(app);
  io.FontDefault = app.font;
  widgets::text_cache_reserve(io.Fonts);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  font_textures_create();

  app.presets = list_presets();
  if (opt.bench) app.speed_mode = SpeedMode::max;
  MethodChoice method = first.method == Method::flow ? MethodChoice::flow : MethodChoice::gd;
  if (opt.method == "gd") method = MethodChoice::gd;
  if (opt.method == "flow") method = MethodChoice::flow;
  if (opt.method == "both") method = MethodChoice::both;
  if (!app.apply(first, method)) {
    std::fprintf(stderr, "polarlab: %s\n", app.refused.c_str());
    return 2;
  }
  app.preset = opt.config.empty() ? opt.preset : std::string();
  if (const std::string err = launch_workspace(app, *open_workspace, opt.launch); !err.empty()) {
    std::fprintf(stderr, "polarlab: %s\n", err.c_str());
    shutdown_workspaces(app);
    return 2;
  }

  const auto t_start = Clock::now();
  double frame_cap = 1.0 / 60.0;
  auto next_frame = Clock::now();
  int frames = 0, fps_frames = 0, idle_frames = 0;
  auto fps_t0 = Clock::now();
  int exit_code = 0;
  std::unique_ptr<GuiBench> bench;
  if (opt.bench) bench = std::make_unique<GuiBench>(first, opt.bench_seconds, 100000);

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
    if (!scripted && idle_frames >= 3) {
      const auto w0 = Clock::now();
      glfwWaitEventsTimeout(0.05);
      if (since(w0) < 0.049) idle_frames = 0;  // woken by input
    } else {
      glfwPollEvents();
    }
    bool fresh = false;
    for (Run& r : app.runs) {
      auto s = r.worker->snapshot();
      fresh |= !r.history.snap || s->seq != r.history.snap->seq;
      r.history.sync(std::move(s));
    }
    fresh |= poll_workspaces(app);
    if (fresh) idle_frames = 0;
    if (!scripted && idle_frames >= 3 && frames > 0) continue;
    ++idle_frames;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGui::NewFrame();
    widgets::text_cache_new_frame();
    // Each workspace's shortcuts fire only in that workspace.
    if (app.lecture || app.workspaces.current == Workspace::dynamics) keyboard(app, window);
    else workspace_keyboard(app, app.workspaces.current);
    draw_frame(app);
    ImGui::Render();
    const auto f1 = Clock::now();
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    glViewport(0, 0, fw, fh);
    glClearColor(0.06f, 0.06f, 0.07f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    font_textures_upload_text_cache();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (profile) glFinish();
    const auto f2 = Clock::now();
    ++frames, ++fps_frames;
    if (since(fps_t0) >= 0.5) {
      app.fps = fps_frames / since(fps_t0);
      fps_frames = 0;
      fps_t0 = Clock::now();
    }
    if (!opt.bench && opt.run_for >= 0.0 && since(t_start) >= opt.run_for && frames >= 3) {
      if (!opt.export_figure.empty()) {
        app.message.clear();
        export_figure(app, figure_kind_for_panel(app, Panel::scores), opt.export_figure, false);
        std::fprintf(stderr, "polarlab: %s\n", app.message.c_str());
        if (app.message.rfind("wrote", 0) != 0) exit_code = 1;
      }
      if (!opt.screenshot.empty()) {
        std::string err;
        if (!save_screenshot(opt.screenshot, fw, fh, err)) {
          std::fprintf(stderr, "polarlab: %s\n", err.c_str());
          exit_code = 1;
        }
      }
      break;
    }
    if (bench && bench->on_frame(app, &frame_cap)) break;
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
  shutdown_workspaces(app);  // join the training and ensemble workers too
  app.runs.clear();  // join the workers before the GL context goes
  font_textures_destroy();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}
