#include "app/gui/shell/window.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "app/gui/shell/font_textures.hpp"
#include "app/gui/shell/settings.hpp"

namespace polarlab::gui {

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// The window's events go to the App's queue (shell/input_queue.hpp), not into ImGui's polled state.
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

}  // namespace

std::unique_ptr<Window> Window::open(AppOptions& ao, std::string& error) {
  // Software GL (llvmpipe, as under Xvfb) starts a rasterizer thread per core; on two cores they take turns
  // with the solver. One rasterizer thread keeps the solver at >= 90 % of its headless speed at 60 fps (README,
  // Benchmarks). Hardware drivers ignore the variable, and a value the user set wins.
  if (std::thread::hardware_concurrency() <= 2) setenv("LP_NUM_THREADS", "1", 0);
  if (!glfwInit()) {
    error = "cannot initialise GLFW (no display? try xvfb-run -a polarlab ...)";
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (ao.scripted) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);  // the PNG must have the requested size
  GLFWwindow* window = glfwCreateWindow(ao.width, ao.height, "polarlab", nullptr, nullptr);
  if (!window) {
    error = "cannot open an OpenGL 3.3 window";
    glfwTerminate();
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);
  glfwSetWindowSizeLimits(window, kMinWidth, kMinHeight, GLFW_DONT_CARE, GLFW_DONT_CARE);
  float xs = 1.0f, ys = 1.0f;
  glfwGetWindowContentScale(window, &xs, &ys);
  ao.dpi_scale = std::clamp(std::max(xs, ys), 1.0f, 3.0f);
  ao.ini_path = layout_ini_path();
  std::unique_ptr<Window> w(new Window());
  w->window_ = window;
  w->profile_ = std::getenv("POLARLAB_PROFILE") != nullptr;
  return w;
}

Window::~Window() {
  detach();
  glfwDestroyWindow(window_);
  glfwTerminate();
}

void Window::attach(App& app) {
  app_ = &app;
  ImGuiIO& io = ImGui::GetIO();
  // Scripted runs ignore the pointer: under Xvfb it rests mid-screen and would put a hover tooltip in the PNG.
  if (app.options().scripted && !std::getenv("POLARLAB_SCRIPTED_MOUSE")) io.ConfigFlags |= ImGuiConfigFlags_NoMouse;
  io.BackendPlatformName = "polarlab_glfw_events";
  io.ClipboardUserData = window_;
  io.GetClipboardTextFn = get_clipboard;
  io.SetClipboardTextFn = set_clipboard;
  glfwSetWindowUserPointer(window_, &app);
  glfwSetCursorPosCallback(window_, on_cursor);
  glfwSetMouseButtonCallback(window_, on_button);
  glfwSetScrollCallback(window_, on_scroll);
  glfwSetKeyCallback(window_, on_key);
  glfwSetCharCallback(window_, on_char);
  glfwSetWindowFocusCallback(window_, on_focus);
  ImGui_ImplOpenGL3_Init("#version 330");
  font_textures_create();
}

void Window::detach() {
  if (!app_) return;
  glfwSetWindowUserPointer(window_, nullptr);
  app_->shutdown();  // join the workers before the GL context goes
  font_textures_destroy();
  ImGui_ImplOpenGL3_Shutdown();
  app_ = nullptr;
}

bool Window::closed() const { return glfwWindowShouldClose(window_); }
void Window::close() { glfwSetWindowShouldClose(window_, GLFW_TRUE); }

double Window::poll_events(bool scripted) {
  poll_t0_ = Clock::now();
  // Nothing new from the workers and no input for a few frames: sleep until an event (or a short timeout to pick
  // up snapshots) instead of redrawing an unchanged screen.
  if (!scripted && !app_->busy()) glfwWaitEventsTimeout(0.05);
  else glfwPollEvents();
  int ww = 0, wh = 0;
  glfwGetWindowSize(window_, &ww, &wh);
  glfwGetFramebufferSize(window_, &fw_, &fh_);
  if (ww > 0 && wh > 0)
    app_->resize(ww, wh, static_cast<float>(fw_) / static_cast<float>(ww), static_cast<float>(fh_) / static_cast<float>(wh));
  ImGui_ImplOpenGL3_NewFrame();
  return since(last_frame_);
}

void Window::draw() {
  last_frame_ = Clock::now();
  if (app_->take_fullscreen_toggle()) toggle_fullscreen();
  draw_t0_ = Clock::now();
  glViewport(0, 0, fw_, fh_);
  glClearColor(0.06f, 0.06f, 0.07f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  font_textures_upload_text_cache();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  // A recording takes the frame before the REC indicator is drawn over it.
  if (app_->recording_frame_due()) app_->deliver_recording_frame(read_framebuffer(fw_, fh_));
  if (ImDrawData* overlay = app_->overlay()) ImGui_ImplOpenGL3_RenderDrawData(overlay);
  if (profile_) glFinish();
  draw_t1_ = Clock::now();
  ++fps_frames_;
  if (since(fps_t0_) >= 0.5) {
    app_->state().fps = fps_frames_ / since(fps_t0_);
    fps_frames_ = 0;
    fps_t0_ = Clock::now();
  }
}

void Window::swap() {
  swap_t0_ = Clock::now();
  glfwSwapBuffers(window_);
  if (profile_) profile(poll_t0_, draw_t0_, draw_t1_);
}

void Window::profile(Clock::time_point f0, Clock::time_point f1, Clock::time_point f2) {
  prof_ui_ += std::chrono::duration<double>(f1 - f0).count();
  prof_gl_ += std::chrono::duration<double>(f2 - f1).count();
  prof_swap_ += since(swap_t0_);
  if (++prof_n_, since(prof_t0_) > 2.0) {
    const ImDrawData* dd = ImGui::GetDrawData();
    int cmds = 0;
    for (int l = 0; l < dd->CmdListsCount; ++l) cmds += dd->CmdLists[l]->CmdBuffer.Size;
    std::printf("profile: ui %.1f ms, gl %.1f ms, swap %.1f ms per frame (%d frames; %d vertices, %d triangles, %d draw calls)\n",
                1e3 * prof_ui_ / prof_n_, 1e3 * prof_gl_ / prof_n_, 1e3 * prof_swap_ / prof_n_, prof_n_,
                dd->TotalVtxCount, dd->TotalIdxCount / 3, cmds);
    prof_ui_ = prof_gl_ = prof_swap_ = 0, prof_n_ = 0, prof_t0_ = Clock::now();
  }
}

void Window::pace(double frame_cap) {
  // Xvfb has no vsync: cap the frame rate so the UI leaves the CPU to the solver. The deadline advances by whole
  // frame intervals, so sleep overshoot does not pull the rate below the cap, and after an occasional slow frame
  // (the solver and the rasterizer sharing two cores) the next frames start at once until the schedule is met.
  // More than a few frames behind, the schedule starts over.
  if (frame_cap <= 0.0) return;
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(frame_cap));
  constexpr int kMaxFramesBehind = 4;
  next_frame_ += interval;
  const auto now = Clock::now();
  if (next_frame_ < now - kMaxFramesBehind * interval) next_frame_ = now;
  else std::this_thread::sleep_until(next_frame_);
}

void Window::toggle_fullscreen() {
  AppState& app = app_->state();
  if (!app.fullscreen) {
    GLFWmonitor* mon = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = mon ? glfwGetVideoMode(mon) : nullptr;
    if (mode) {
      glfwGetWindowPos(window_, &saved_x_, &saved_y_);
      glfwGetWindowSize(window_, &saved_w_, &saved_h_);
      glfwSetWindowMonitor(window_, mon, 0, 0, mode->width, mode->height, mode->refreshRate);
      app.fullscreen = true;
    }
  } else {
    glfwSetWindowMonitor(window_, nullptr, saved_x_, saved_y_, saved_w_, saved_h_, 0);
    app.fullscreen = false;
  }
}

}  // namespace polarlab::gui
