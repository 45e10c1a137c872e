// The desktop window around the App: GLFW with an OpenGL 3.3 context. Its events go to the App's input queue,
// the frames the App builds are drawn with ImGui's OpenGL backend, a recording gets each due frame's pixels
// before the REC indicator is drawn over them, and the frame rate is capped (Xvfb has no vsync).
// POLARLAB_PROFILE prints where a frame's time goes.
#pragma once
#include <chrono>
#include <memory>
#include <string>

#include "app/gui/shell/app.hpp"

struct GLFWwindow;

namespace polarlab::gui {

class Window {
 public:
  // Opens the window at options.width × options.height (fixed size in scripted runs) and sets options.dpi_scale
  // and the layout file; null with `error` when there is no display or no OpenGL 3.3.
  static std::unique_ptr<Window> open(AppOptions& options, std::string& error);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  // The App this window shows: its events, clipboard, GL backend and font textures (after App's construction).
  void attach(App& app);
  // Before the App goes: the workers joined while the GL context still exists, the backend released.
  void detach();

  bool closed() const;
  void close();
  // Events in (idle: waits for one, a short time, unless `scripted`), the window's size passed on; the seconds
  // since the last frame the App built.
  double poll_events(bool scripted);
  // The frame the App just built: drawn, its pixels to a due recording, the REC overlay, fps counted.
  void draw();
  void swap();
  // Sleeps to the next frame of the cap (seconds per frame; 0: uncapped).
  void pace(double frame_cap);

 private:
  using Clock = std::chrono::steady_clock;
  Window() = default;
  void toggle_fullscreen();
  void profile(Clock::time_point f0, Clock::time_point f1, Clock::time_point f2);

  GLFWwindow* window_ = nullptr;
  App* app_ = nullptr;
  int fw_ = 0, fh_ = 0;
  Clock::time_point last_frame_ = Clock::now(), next_frame_ = Clock::now(), fps_t0_ = Clock::now();
  Clock::time_point poll_t0_ = Clock::now();
  int fps_frames_ = 0;
  int saved_x_ = 0, saved_y_ = 0, saved_w_ = 1280, saved_h_ = 800;  // the window before full screen
  bool profile_ = false;
  double prof_ui_ = 0, prof_gl_ = 0, prof_swap_ = 0;
  int prof_n_ = 0;
  Clock::time_point prof_t0_ = Clock::now(), swap_t0_ = Clock::now();
  Clock::time_point draw_t0_ = Clock::now(), draw_t1_ = Clock::now();
};

}  // namespace polarlab::gui
