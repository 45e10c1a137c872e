#include "app/gui/workspace.hpp"

#include <imgui.h>

#include "app/gui/app.hpp"

namespace polarlab::gui {

// Each workspace's factory, defined in its file (workspace_<key>.cpp), and its row below.
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
};

// One row per workspace, in tab order: a new workspace is its class's file and one row here.
const Entry kWorkspaces[] = {
    {"dynamics", "Dynamics", make_dynamics_workspace},
    {"transformer", "Transformer", make_transformer_workspace},
    {"ensemble", "Ensemble", make_ensemble_workspace},
    {"sweeps", "Sweeps", make_sweeps_workspace},
    {"attention", "Attention", make_attention_workspace},
};

WorkspaceView& view(AppState& app, WorkspaceId w) {
  if (app.workspaces.views.empty()) create_workspaces(app);
  return *app.workspaces.views[static_cast<std::size_t>(w)];
}

}  // namespace

std::size_t workspace_count() { return std::size(kWorkspaces); }
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
  if (ImGui::BeginTabBar("##workspaces")) {
    for (std::size_t i = 0; i < std::size(kWorkspaces); ++i) {
      const auto id = static_cast<WorkspaceId>(i);
      const ImGuiTabItemFlags flags = ws.select == id ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(kWorkspaces[i].title, nullptr, flags)) {
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
    // Every worker is drained; only the shown workspace's news needs a redraw.
    changed |= app.workspaces.views[i]->poll(app) && static_cast<WorkspaceId>(i) == app.workspaces.current;
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
  for (auto& v : ws.views)
    if (std::string err = v->launch(app, launch); !err.empty()) return err;
  return {};
}

void shutdown_workspaces(AppState& app) {
  for (auto& v : app.workspaces.views) v->shutdown();
  app.workspaces.views.clear();
}

}  // namespace polarlab::gui
