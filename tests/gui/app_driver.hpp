// Drives the live lab headless, as a person would: an App with no window and no GL, events injected through
// its input queue (mouse, wheel, keys, text), frames run by hand. Widgets are found where a person finds
// them: by moving the pointer over the window until ImGui reports the item with that label under it.
#pragma once
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "app/gui/shell/app.hpp"
#include "tests/gui/executor.hpp"
#include "tests/poll.hpp"
#include "tests/time_scale.hpp"

namespace polarlab::gui::testing {

inline AppOptions headless_options(const std::string& preset = "fig2", int w = 1280, int h = 800) {
  AppOptions o;
  o.preset = preset;
  o.width = w, o.height = h;
  o.headless = true;
  o.scripted = true;  // no imgui.ini read or written
  o.executor = polarlab::test::executor_from_env();  // CTest runs the App tests on both executors
  return o;
}

class Driver {
 public:
  explicit Driver(const AppOptions& o) : app(o) { frame(); }

  // One frame at `dt` seconds (the frame rate the App believes it has).
  void frame(double dt = 1.0 / 60.0) { app.frame(dt, true); }
  // Frames until every injected event reached ImGui, then one more so the UI reacted to the last one.
  void settle(double dt = 1.0 / 60.0) {
    for (int guard = 0; guard < 1000 && !app.input().empty(); ++guard) frame(dt);
    frame(dt);
  }
  // Frames until `done` holds (the workers run on their own threads), at most `seconds` of wall time.
  bool until(const std::function<bool()>& done, double seconds = 30.0) {
    return polarlab::test::poll_until(done, seconds, [this] {
      frame();
      std::this_thread::yield();
    });
  }

  void move(float x, float y) { app.input().mouse_pos(x, y); }
  void click(ImVec2 p, int button = 0) {
    move(p.x, p.y);
    app.input().mouse_button(button, true);
    app.input().mouse_button(button, false);
    settle();
  }
  // A tap: press and release queued together, as a clicker or a fast hand delivers them within one frame.
  void tap(int glfw_key) {
    app.input().key(glfw_key, true);
    app.input().key(glfw_key, false);
  }
  void type(const std::string& text) {
    for (unsigned char c : text) app.input().text(c);
  }

  // A tab's centre, from ImGui's tab bar (a tab's ID is the bar's, not the window's); nullopt when not on screen.
  static std::optional<ImVec2> tab(const std::string& label) {
    ImPool<ImGuiTabBar>& bars = GImGui->TabBars;
    for (int n = 0; n < bars.GetMapSize(); ++n)
      if (ImGuiTabBar* bar = bars.TryGetMapData(n))
        for (const ImGuiTabItem& t : bar->Tabs)
          if (std::string(bar->GetTabName(&t)) == label)
            return ImVec2(bar->BarRect.Min.x + t.Offset + t.Width / 2, (bar->BarRect.Min.y + bar->BarRect.Max.y) / 2);
    return std::nullopt;
  }
  // The rectangle of the ImGui window `name` drawn in the last frame (x0, y0, x1, y1); nullopt when not drawn.
  static std::optional<ImVec4> window_rect(const std::string& name) {
    for (ImGuiWindow* w : GImGui->Windows)
      if (w->Active && name == w->Name) return ImVec4(w->Pos.x, w->Pos.y, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y);
    return std::nullopt;
  }

  // ImGui's item under the pointer after the last frame (0: none).
  static ImGuiID hovered() { return GImGui->HoveredId; }

  // Where the item labelled `label` is: the pointer sweeps the region in columns and rows (as the eye would),
  // and the first position where ImGui reports an item with that label's ID in any window is returned.
  std::optional<ImVec2> find(const std::string& label, ImVec4 region = ImVec4(0, 0, 0, 0), float step_y = 4.0f) {
    if (region.z <= 0) region = ImVec4(0, 0, static_cast<float>(app.width()), static_cast<float>(app.height()));
    for (float fx : {0.62f, 0.15f, 0.35f, 0.85f, 0.05f}) {
      const float x = region.x + fx * (region.z - region.x);
      for (float y = region.y + step_y / 2; y < region.w; y += step_y) {
        move(x, y);
        settle();
        const ImGuiID h = hovered();
        if (h == 0) continue;
        for (ImGuiWindow* w : GImGui->Windows)
          if (w->Active && ImHashStr(label.c_str(), 0, w->IDStack.back()) == h) return ImVec2(x, y);
      }
    }
    return std::nullopt;
  }

  App app;
};

// The plot panels drawn in the last frame (child windows named after a panel).
inline std::vector<ImGuiWindow*> panel_windows() {
  std::vector<ImGuiWindow*> out;
  for (ImGuiWindow* w : GImGui->Windows) {
    if (!w->Active || !(w->Flags & ImGuiWindowFlags_ChildWindow)) continue;
    const std::string name = w->Name;
    for (int p = 0; p < polarlab::gui::kPanelCount; ++p)
      if (name.find(std::string("/") + polarlab::gui::panel_name(static_cast<polarlab::gui::Panel>(p)) + "_") !=
          std::string::npos)
        out.push_back(w);
  }
  return out;
}

// The active child window with this title ("panels", "status", "timeline"), or null.
inline ImGuiWindow* child_named(const char* title) {
  for (ImGuiWindow* w : GImGui->Windows)
    if (w->Active && std::string(w->Name).find(std::string("/") + title + "_") != std::string::npos) return w;
  return nullptr;
}

// The first run's history, and whether its solver has finished.
inline const History& primary(const Driver& d) { return d.app.state().runs.front().history; }
inline bool finished(const Driver& d) {
  const auto& s = primary(d).snap;
  return s && s->status.state == polarlab::RunState::finished;
}

// Frames that hardly move a replay (dt = 1e-4 s) until the solver has finished the run, at most `seconds` of
// wall time.
inline bool wait_finished(Driver& d, double seconds = 60.0) {
  if (!polarlab::test::poll_until([&] { return finished(d); }, seconds, [&] {
        d.frame(1e-4);
        std::this_thread::yield();
      }))
    return false;
  d.frame(1e-4);
  return true;
}

// A key tapped, then frames that hardly move a replay until the input queue is empty.
inline void press(Driver& d, int key) {
  d.tap(key);
  d.settle(1e-4);
}

}  // namespace polarlab::gui::testing
