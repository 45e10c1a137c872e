// Workspaces of the live lab: the value–softmax dynamics, the transformer lab, the ensemble phase diagram, the
// sweeps browser and the attention of imported models. Each is one class (a WorkspaceView: poll / draw / key /
// launch / shutdown) in its own file, named in workspace.cpp by its factory and one row of the table
// (kWorkspaces), and in app/gui/CMakeLists.txt's source list; nothing else names it. A workspace whose
// engine is not in the build (no libtorch) still has its tab and says why.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/gui/input_queue.hpp"

namespace polarlab::gui {

struct AppState;

// Options the command line passes to the workspaces (scripted screenshots and tests).
struct WorkspaceLaunch {
  long long train_steps = 0;  // > 0: start a training run of this many steps on open
  bool train_tiny = false;    // a small model and data set (tests: seconds on 2 cores)
  std::string train_task, train_attention, train_device;
  int train_threads = 0;
  int ensemble_count = 0;     // > 0: start an ensemble of this many members per κ on open
  std::string ensemble_preset, kappa_range;
  std::string sweep_dir;      // open this sweep folder (or results.sqlite) in the sweeps workspace
  std::string sweep_cell;     // then select VIEW:PANEL:ROW:COL (sweeps_model.hpp: parse_cell_ref)
  std::string sweep_run;      // and open this run's attention maps
  // attention: open these models (at most two), each one argument: a file, shards separated by spaces, or a
  // `polarlab-cli train` run folder (its attention.npy)
  std::vector<std::string> attention_models;
};

class WorkspaceView {
 public:
  virtual ~WorkspaceView() = default;
  // Picks up the workers' new snapshots; true when something changed (the frame loop must redraw).
  virtual bool poll(AppState&) { return false; }
  // Draws the workspace in the rest of the window, under the tab bar.
  virtual void draw(AppState& app) = 0;
  // One key press, when this workspace has the screen and no widget holds the keys (each press once).
  virtual void key(AppState&, const KeyPress&) {}
  // The command line's options for this workspace (start a run, open a folder); an error text or "".
  virtual std::string launch(AppState&, const WorkspaceLaunch&) { return {}; }
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
// Applies the command line: selects the workspace, passes the options to every workspace. An error text or "".
std::string launch_workspace(AppState& app, WorkspaceId w, const WorkspaceLaunch& launch);
void on_workspace_switch(AppState& app, WorkspaceId from, WorkspaceId to);
void shutdown_workspaces(AppState& app);

}  // namespace polarlab::gui
