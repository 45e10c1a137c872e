// Workspaces of the live lab: the value–softmax dynamics, the transformer lab, the ensemble phase diagram, the
// sweeps browser and the attention of imported models. Vocabulary: a *workspace* is a class (a WorkspaceView:
// poll / draw / key / launch / shutdown) in its folder's workspace.cpp (app/gui/<name>/, with its state, keys,
// views, model and worker); a *view* is a function that draws one panel (view_*.cpp); a *model* is a workspace's
// data without ImGui. A workspace is named in shell/workspace.cpp by its factory and one row of the table
// (kWorkspaces), and its files in app/gui/CMakeLists.txt; nothing else names it. A workspace whose engine is not
// in the build (no libtorch) still has its tab and says why. Background work runs on the App's job host
// (shell/job_host.hpp).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/gui/shell/input_queue.hpp"
#include "app/gui/shell/workspace_flags.hpp"

namespace polarlab::gui {

struct AppState;

// What the command line (or a lecture scene) passes to the workspaces: each workspace's own flags, by WorkspaceId
// (null where a workspace has none; empty: nothing to launch).
struct WorkspaceLaunch {
  std::vector<std::shared_ptr<WorkspaceFlags>> by_workspace;
  // The flags of type T (a workspace's flags.hpp); null when absent.
  template <class T>
  T* get() const {
    for (const auto& f : by_workspace)
      if (auto* t = dynamic_cast<T*>(f.get())) return t;
    return nullptr;
  }
};
// Every workspace's flags at their defaults, from the workspace table.
WorkspaceLaunch default_launch();

class WorkspaceView {
 public:
  virtual ~WorkspaceView() = default;
  // Picks up the workers' new snapshots; true when something changed (the frame loop must redraw).
  virtual bool poll(AppState&) { return false; }
  // Draws the workspace in the rest of the window, under the tab bar.
  virtual void draw(AppState& app) = 0;
  // One key press, when this workspace has the screen and no widget holds the keys (each press once).
  virtual void key(AppState&, const KeyPress&) {}
  // This workspace's flags from the command line or a lecture scene (start a run, open a folder); an error text
  // or "".
  virtual std::string launch(AppState&, const WorkspaceFlags&) { return {}; }
  // The tab was selected or left (the dynamics run pauses while another workspace computes).
  virtual void shown(AppState&) {}
  virtual void hidden(AppState&) {}
  // Stops and joins the workspace's workers (before the GL context goes).
  virtual void shutdown() {}
};

// Workspaces by index, in tab order (0 is the dynamics view).
using WorkspaceId = int;
inline constexpr WorkspaceId kDynamics = 0;
std::size_t workspace_count();
const char* workspace_title(WorkspaceId w);                 // tab label: "Dynamics"
const char* workspace_key(WorkspaceId w);                   // flag value: "dynamics"
std::optional<WorkspaceId> workspace_from_key(std::string_view key);
std::string workspace_keys();                               // "dynamics|transformer|ensemble|sweeps"

struct WorkspaceStates {
  WorkspaceId current = kDynamics;
  int select = -1;                                   // a tab to select programmatically (--workspace)
  float tabs_right = 0.0f;                           // the last tab's right edge this frame (0: no tab bar)
  std::vector<std::unique_ptr<WorkspaceView>> views;  // one per table row, made by create_workspaces

  // The view of type T (tests, and a workspace that needs another's state); null when absent.
  template <class T>
  T* get() const {
    for (const auto& v : views)
      if (auto* t = dynamic_cast<T*>(v.get())) return t;
    return nullptr;
  }
  const char* current_key() const { return workspace_key(current); }
};

void create_workspaces(AppState& app);
// The tab bar across the top; returns the workspace to draw this frame.
WorkspaceId workspace_tabs(AppState& app);
void draw_workspace(AppState& app, WorkspaceId w);
void workspace_keyboard(AppState& app, WorkspaceId w, const KeyPress& key);
bool poll_workspaces(AppState& app);
// Applies the command line: selects the workspace, passes each workspace its flags. An error text or "".
std::string launch_workspace(AppState& app, WorkspaceId w, const WorkspaceLaunch& launch);
void on_workspace_switch(AppState& app, WorkspaceId from, WorkspaceId to);
void shutdown_workspaces(AppState& app);

}  // namespace polarlab::gui
