// Workspaces of the live lab: the value–softmax dynamics (the original view), the transformer lab, the
// ensemble phase diagram and the sweeps browser. One entry per workspace in a dispatch table (workspace.cpp), so
// a new one is a new enum value, a new row and its own files. Each non-dynamics workspace keeps its state in
// its own object, created on first use and destroyed (its worker joined) before the GL context goes.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/gui/input_queue.hpp"

namespace polarlab::gui {

struct AppState;

enum class Workspace { dynamics, transformer, ensemble, sweeps, count };  // a new one: add here and in kWorkspaces
inline constexpr int kWorkspaceCount = static_cast<int>(Workspace::count);

const char* workspace_title(Workspace w);                     // tab label: "Dynamics"
const char* workspace_key(Workspace w);                       // flag value: "dynamics"
std::optional<Workspace> workspace_from_key(std::string_view key);
std::string workspace_keys();                                 // "dynamics|transformer|ensemble|sweeps"

struct TransformerLab;  // transformer_lab.hpp
struct EnsembleLab;     // ensemble_lab.hpp
struct SweepsLab;       // sweeps_lab.hpp

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
};

struct WorkspaceStates {
  Workspace current = Workspace::dynamics;
  int select = -1;                       // a tab to select programmatically next frame (--workspace)
  bool dynamics_was_playing = false;     // resumed when the user comes back to the dynamics tab
  std::shared_ptr<TransformerLab> transformer;
  std::shared_ptr<EnsembleLab> ensemble;
  std::shared_ptr<SweepsLab> sweeps;
};

// The tab bar across the top; returns the workspace to draw this frame.
Workspace workspace_tabs(AppState& app);
// Draws a non-dynamics workspace filling the rest of the window.
void draw_workspace(AppState& app, Workspace w);
// One key press for a non-dynamics workspace's shortcuts (the dynamics ones live in lab_app.cpp and fire only
// there); each press reaches one handler once (input_queue.hpp).
void workspace_keyboard(AppState& app, Workspace w, const KeyPress& key);
// Picks up the workers' new snapshots; true when something changed (the frame loop must redraw).
bool poll_workspaces(AppState& app);
// Applies the command line: selects the workspace, starts the scripted runs. Returns an error text or "".
std::string launch_workspace(AppState& app, Workspace w, const WorkspaceLaunch& launch);
// Called when the user switches tabs (pauses the dynamics runs while another workspace is shown).
void on_workspace_switch(AppState& app, Workspace from, Workspace to);
// Stops and joins every workspace worker.
void shutdown_workspaces(AppState& app);

}  // namespace polarlab::gui
