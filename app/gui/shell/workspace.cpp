#include "app/gui/shell/workspace.hpp"

#include <imgui.h>

#include "app/gui/attention/flags.hpp"
#include "app/gui/ensemble/flags.hpp"
#include "app/gui/shell/app_state.hpp"
#include "app/gui/sweeps/flags.hpp"
#include "app/gui/transformer/flags.hpp"

namespace polarlab::gui {

// Each workspace's factory, defined in its folder's workspace.cpp, and its row below.
std::unique_ptr<WorkspaceView> make_dynamics_workspace();
std::unique_ptr<WorkspaceView> make_transformer_workspace();
std::unique_ptr<WorkspaceView> make_ensemble_workspace();
std::unique_ptr<WorkspaceView> make_sweeps_workspace();
std::unique_ptr<WorkspaceView> make_attention_workspace();

namespace {

struct Entry {
  const char* key;
  const char* title;
  std::unique_ptr<WorkspaceView> (*make)();
  std::shared_ptr<WorkspaceFlags> (*flags)();  // its command-line flags (its folder's flags.hpp); null: none
};

template <class T>
std::shared_ptr<WorkspaceFlags> flags_of() {
  return std::make_shared<T>();
}

// One row per workspace, in tab order: a new workspace is its folder and one row here.
const Entry kWorkspaces[] = {
    {"dynamics", "Dynamics", make_dynamics_workspace, nullptr},
    {"transformer", "Transformer", make_transformer_workspace, flags_of<TransformerFlags>},
    {"ensemble", "Ensemble", make_ensemble_workspace, flags_of<EnsembleFlags>},
    {"sweeps", "Sweeps", make_sweeps_workspace, flags_of<SweepsFlags>},
    {"attention", "Attention", make_attention_workspace, flags_of<AttentionFlags>},
};

WorkspaceView& view(AppState& app, WorkspaceId w) {
  if (app.workspaces.views.empty()) create_workspaces(app);
  return *app.workspaces.views[static_cast<std::size_t>(w)];
}

}  // namespace

std::size_t workspace_count() { return std::size(kWorkspaces); }

WorkspaceLaunch default_launch() {
  WorkspaceLaunch l;
  for (const Entry& e : kWorkspaces) l.by_workspace.push_back(e.flags ? e.flags() : nullptr);
  return l;
}
const char* workspace_title(WorkspaceId w) { return kWorkspaces[w].title; }
const char* workspace_key(WorkspaceId w) { return kWorkspaces[w].key; }

std::optional<WorkspaceId> workspace_from_key(std::string_view key) {
  for (std::size_t i = 0; i < std::size(kWorkspaces); ++i)
    if (key == kWorkspaces[i].key) return static_cast<WorkspaceId>(i);
  return std::nullopt;
}

std::string workspace_keys() {
  std::string s;
  for (const Entry& e : kWorkspaces) {
    if (!s.empty()) s.push_back('|');
    s.append(e.key);
  }
  return s;
}

void create_workspaces(AppState& app) {
  auto& views = app.workspaces.views;
  if (!views.empty()) return;
  for (const Entry& e : kWorkspaces) views.push_back(e.make());
}

WorkspaceId workspace_tabs(AppState& app) {
  WorkspaceStates& ws = app.workspaces;
  const WorkspaceId before = ws.current;
  WorkspaceId shown = ws.current;
  ws.tabs_right = 0.0f;
  if (ImGui::BeginTabBar("##workspaces")) {
    for (std::size_t i = 0; i < std::size(kWorkspaces); ++i) {
      const auto id = static_cast<WorkspaceId>(i);
      const ImGuiTabItemFlags flags = ws.select == id ? ImGuiTabItemFlags_SetSelected : 0;
      const bool open = ImGui::BeginTabItem(kWorkspaces[i].title, nullptr, flags);
      ws.tabs_right = std::max(ws.tabs_right, ImGui::GetItemRectMax().x);
      if (open) {
        shown = id;
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  // A tab selected by the program (--workspace) takes the tab bar a frame or two to show: until it does, the
  // requested workspace stays current instead of flickering to the first tab.
  if (ws.select >= 0) {
    if (shown == ws.select) ws.select = -1;
    else shown = ws.select;
  }
  ws.current = shown;
  if (ws.current != before) on_workspace_switch(app, before, ws.current);
  return ws.current;
}

void draw_workspace(AppState& app, WorkspaceId w) { view(app, w).draw(app); }

void workspace_keyboard(AppState& app, WorkspaceId w, const KeyPress& key) {
  if (ImGui::GetIO().WantTextInput) return;
  view(app, w).key(app, key);
}

bool poll_workspaces(AppState& app) {
  create_workspaces(app);
  bool changed = false;
  for (std::size_t i = 0; i < app.workspaces.views.size(); ++i)
    // Every worker is drained; only the shown workspace's news needs a redraw (lecture mode shows the dynamics lab
    // or a training scene, whichever tab is current).
    changed |= app.workspaces.views[i]->poll(app) &&
               (static_cast<WorkspaceId>(i) == app.workspaces.current || (app.lecture && static_cast<WorkspaceId>(i) == kDynamics));
  return changed;
}

void on_workspace_switch(AppState& app, WorkspaceId from, WorkspaceId to) {
  view(app, from).hidden(app);
  view(app, to).shown(app);
}

std::string launch_workspace(AppState& app, WorkspaceId w, const WorkspaceLaunch& launch) {
  create_workspaces(app);
  WorkspaceStates& ws = app.workspaces;
  if (w != ws.current) on_workspace_switch(app, ws.current, w);
  ws.current = w;
  ws.select = w;
  for (std::size_t i = 0; i < ws.views.size() && i < launch.by_workspace.size(); ++i)
    if (const auto& f = launch.by_workspace[i])
      if (std::string err = ws.views[i]->launch(app, *f); !err.empty()) return err;
  return {};
}

void shutdown_workspaces(AppState& app) {
  for (auto& v : app.workspaces.views) v->shutdown();
  app.workspaces.views.clear();
}

}  // namespace polarlab::gui
