// polarlab: the live lab. main() only starts it: the command line (shell/command_line), the window
// (shell/window), the App, and the frame loop that asks the scripted run (shell/scripted_run) when to stop.
//   polarlab [--preset NAME | --config FILE] [--lecture] [--workspace NAME] [--size WxH] [--run-for S]
//            [--screenshot FILE.png] [--export-figure FILE] [--record FILE.mp4] [--bench]   (polarlab --help)
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>

#include "app/gui/shell/app.hpp"
#include "app/gui/shell/command_line.hpp"
#include "app/gui/shell/scripted_run.hpp"
#include "app/gui/shell/window.hpp"

using namespace polarlab::gui;

namespace {
// Ctrl-C / SIGTERM close the window normally, so the layout (imgui.ini) is saved and workers join.
volatile std::sig_atomic_t g_quit = 0;
void on_signal(int) { g_quit = 1; }
}  // namespace

int main(int argc, char** argv) {
  LaunchOptions opt;
  if (const int rc = parse_command_line(argc, argv, opt); rc >= 0) return rc;
  std::string error;
  std::unique_ptr<Window> window = Window::open(opt.app, error);
  if (!window) {
    std::fprintf(stderr, "polarlab: %s\n", error.c_str());
    return 1;
  }
  std::unique_ptr<App> app;
  try {
    app = std::make_unique<App>(opt.app);
  } catch (const AppError& e) {
    std::fprintf(stderr, "polarlab: %s\n", e.what());
    return 2;
  }
  window->attach(*app);
  ScriptedRun script(opt);
  if (!script.start(*app)) window->close();
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const auto t0 = std::chrono::steady_clock::now();
  while (!window->closed() && !g_quit) {
    const double dt = window->poll_events(opt.app.scripted);
    if (!app->frame(dt, opt.app.scripted)) continue;
    window->draw();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (script.after_frame(*app, seconds)) break;
    window->swap();
    window->pace(script.frame_cap());
  }
  window->detach();  // the workers joined while the GL context exists
  app.reset();
  return script.exit_status();
}
