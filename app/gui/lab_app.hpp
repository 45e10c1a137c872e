// The live lab as an object: everything the window shows and does, without the window. main() opens a GLFW
// window, forwards its events to input() and calls frame(); tests create an App headless (no window, no GL),
// inject mouse, wheel, key and text events and window sizes, and drive frame() themselves.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/gui/app.hpp"
#include "app/gui/input_queue.hpp"
#include "app/gui/workspace.hpp"

struct ImGuiContext;

namespace polarlab::gui {

// The smallest window the layout is made for (projectors run 1024x768 and 1280x720).
inline constexpr int kMinWidth = 640, kMinHeight = 480;

struct AppOptions {
  std::string preset = "fig2";
  std::string config;          // an experiment JSON instead of a preset
  bool lecture = false;
  int width = 1600, height = 1000;
  std::string method;          // "", gd, flow, both
  std::string workspace = "dynamics";
  WorkspaceLaunch launch;
  bool headless = false;       // no GL: the font atlas stays on the CPU, screenshot() refuses
  bool scripted = false;       // screenshots, tests, bench: no imgui.ini, the pointer is ignored
  bool bench = false;          // records and steps for the frame-rate benchmark
  std::string ini_path;        // the user's layout and settings ("" none)
  float dpi_scale = 1.0f;
};

// A bad preset, config, method or workspace: the message names the field and what to do.
struct AppError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class App {
 public:
  explicit App(const AppOptions& options);  // throws AppError
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  InputQueue& input() { return input_; }
  // The window's size in screen coordinates and its framebuffer's pixels per coordinate (HiDPI).
  void resize(int width, int height, float fb_scale_x = 1.0f, float fb_scale_y = 1.0f);
  int width() const { return width_; }
  int height() const { return height_; }

  // One frame: the workers' new snapshots, this frame's input, the UI built (ImGui::Render done, draw data
  // ready). Returns false without building when nothing changed for a few frames (unless `force`).
  bool frame(double dt, bool force = false);
  // Input still waiting (events beyond one frame) or recent changes: the caller should not sleep.
  bool busy() const { return !input_.empty() || idle_frames_ < 3; }
  std::size_t frames() const { return frames_; }

  ExportResult export_figure(const std::string& path, Panel panel = Panel::scores, bool slides = false);
  // The window's pixels as PNG (GL only; headless Apps refuse).
  bool screenshot(const std::string& path, std::string& error) const;

  // Requests only the window can carry out (main.cpp): F toggles full screen.
  bool take_fullscreen_toggle();
  // Stops and joins every worker (also done by the destructor).
  void shutdown();

  AppState& state() { return *state_; }
  const AppState& state() const { return *state_; }
  const AppOptions& options() const { return options_; }

 private:
  void handle_keys(const std::vector<KeyPress>& presses);
  void dynamics_key(const KeyPress& k);

  AppOptions options_;
  ImGuiContext* context_ = nullptr;
  std::unique_ptr<AppState> state_;
  InputQueue input_;
  std::string ini_;
  int width_ = 0, height_ = 0;
  float fb_scale_x_ = 1.0f, fb_scale_y_ = 1.0f;
  int idle_frames_ = 0;
  std::size_t frames_ = 0;
  bool fullscreen_toggle_ = false;
};

// Presets, methods and workspaces the options name, checked before a window opens (main.cpp): "" or the error.
std::string check_options(const AppOptions& options);

}  // namespace polarlab::gui
