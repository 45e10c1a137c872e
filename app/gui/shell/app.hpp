// The live lab as an object: everything the window shows and does, without the window. main() opens a GLFW
// window, forwards its events to input() and calls frame(); tests create an App headless (no window, no GL),
// inject mouse, wheel, key and text events and window sizes, and drive frame() themselves.
#pragma once
#include <imgui.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/lecture/recorder.hpp"
#include "app/gui/shell/input_queue.hpp"
#include "app/gui/shell/job_host.hpp"
#include "app/gui/shell/workspace.hpp"

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
  WorkspaceLaunch launch = default_launch();  // each workspace's flags
  bool headless = false;       // no GL: the font atlas stays on the CPU, screenshot() refuses
  bool scripted = false;       // screenshots, tests, bench: no imgui.ini, the pointer is ignored
  bool bench = false;          // records and steps for the frame-rate benchmark
  std::string ini_path;        // the user's layout and settings ("" none)
  float dpi_scale = 1.0f;
  std::string lecture_script;  // a YAML lecture (core/lecture): its scenes instead of the preset
  int scene = 1;               // the scene to start at (1-based)
  double pace = 0.0;           // the replay's pace in decades of t per second (0: the lecture pace)
  // How background jobs run (shell/job_host.hpp): threads, or inline slices inside the frame.
  Executor executor = Executor::threads;
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
  bool busy() const { return !input_.empty() || idle_frames_ < 3 || animating_ || jobs_->pending(); }
  std::size_t frames() const { return frames_; }

  ExportResult export_figure(const std::string& path, Panel panel = Panel::scores, bool slides = false);
  // The window's pixels as PNG (GL only; headless Apps refuse).
  bool screenshot(const std::string& path, std::string& error) const;

  // Requests only the window can carry out (main.cpp): F toggles full screen.
  bool take_fullscreen_toggle();

  // Recording on a fixed frame clock: every video frame moves the replay's cursor by pace / fps decades of t,
  // whatever the machine's speed; a frame whose moment the solver has not reached yet waits for it. The frames'
  // pixels come from the window (main.cpp reads them after drawing) or, headless, from the caller.
  std::string start_recording(const std::string& path, int fps = 30);  // "" or why not (the file is not started)
  void stop_recording();                    // finishes the file with the frames so far
  bool recording() const { return recorder_ != nullptr; }
  // This frame shows the video's next moment: capture its pixels and hand them to deliver_recording_frame().
  bool recording_frame_due() const { return rec_due_; }
  void deliver_recording_frame(figure::Bitmap frame);
  int recorded_frames() const { return rec_k_; }  // frames the encoder took so far
  // The size of the frames the recording wants (the framebuffer's pixels).
  int framebuffer_width() const;
  int framebuffer_height() const;
  // The REC indicator, drawn after the capture so it is never in the video; null when not recording.
  ImDrawData* overlay();
  // A recording that ended since the last call: true, with `ok` and the message (main's --record exits then).
  bool take_recording_result(bool& ok, std::string& message);
  // Stops and joins every worker (also done by the destructor).
  void shutdown();

  AppState& state() { return *state_; }
  const AppState& state() const { return *state_; }
  const AppOptions& options() const { return options_; }
  JobHost& jobs() { return *jobs_; }

 private:
  void handle_keys(const std::vector<KeyPress>& presses);
  // The replay's cursor for this frame (played, or on the recording's clock) and the histories' limits.
  bool update_replay(double dt, bool primary_changed);
  void recording_clock(const ReplayRange& r);
  void poll_recording();
  void build_overlay();

  AppOptions options_;
  std::unique_ptr<JobHost> jobs_;  // before the state: the workspaces' jobs end before the host goes
  ImGuiContext* context_ = nullptr;
  std::unique_ptr<AppState> state_;
  InputQueue input_;
  std::string ini_;
  int width_ = 0, height_ = 0;
  float fb_scale_x_ = 1.0f, fb_scale_y_ = 1.0f;
  int idle_frames_ = 0;
  std::size_t frames_ = 0;
  bool animating_ = false;  // the replay plays or a recording runs: frames keep coming

  std::unique_ptr<FrameRecorder> recorder_;
  int rec_k_ = 0;              // the next video frame
  double rec_lo_ = 0.0;        // log10 t of frame 0
  double rec_step_ = 0.0;      // decades per frame
  bool rec_started_ = false, rec_due_ = false, rec_last_ = false, rec_finishing_ = false;
  std::optional<std::pair<bool, std::string>> rec_result_;
  std::unique_ptr<ImDrawList> overlay_list_;
  ImDrawList* overlay_lists_[1] = {nullptr};
  ImDrawData overlay_data_;
};

// Presets, methods and workspaces the options name, checked before a window opens (main.cpp): "" or the error.
std::string check_options(const AppOptions& options);

}  // namespace polarlab::gui
