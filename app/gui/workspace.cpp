#include "app/gui/workspace.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <cstdio>

#include "app/gui/app.hpp"
#include "app/gui/ensemble_lab.hpp"
#include "app/gui/sweeps_lab.hpp"
#include "app/gui/transformer_lab.hpp"

namespace polarlab::gui {

namespace {

void draw_transformer_ws(AppState& app) {
#ifdef HAVE_POLARLAB_TRANSFORMER
  if (!app.workspaces.transformer) app.workspaces.transformer = std::make_shared<TransformerLab>();
  draw_transformer(app, *app.workspaces.transformer);
#else
  (void)app;
  ImGui::Spacing();
  ImGui::TextUnformatted("The transformer lab was built without libtorch.");
  ImGui::TextDisabled("Install libtorch-dev (Debian) or point CMAKE_PREFIX_PATH at a libtorch, then reconfigure with "
                      "-DPOLARLAB_TORCH=ON.");
#endif
}

void keys_transformer_ws(AppState& app, const KeyPress& k) {
#ifdef HAVE_POLARLAB_TRANSFORMER
  auto& lab = app.workspaces.transformer;
  if (lab && lab->active() && k.key == GLFW_KEY_SPACE && !k.repeat && !k.ctrl) lab->pause_resume();
#else
  (void)app, (void)k;
#endif
}

void draw_ensemble_ws(AppState& app) {
#ifdef HAVE_POLARLAB_ENSEMBLE
  if (!app.workspaces.ensemble) app.workspaces.ensemble = std::make_shared<EnsembleLab>();
  draw_ensemble(app, *app.workspaces.ensemble);
#else
  (void)app;
  ImGui::TextUnformatted("The ensemble engine (polarlab_ensemble) is not part of this build.");
#endif
}

void draw_sweeps_ws(AppState& app) {
#ifdef HAVE_POLARLAB_SWEEP
  if (!app.workspaces.sweeps) app.workspaces.sweeps = std::make_shared<SweepsLab>();
  draw_sweeps(app, *app.workspaces.sweeps);
#else
  (void)app;
  ImGui::Spacing();
  ImGui::TextUnformatted("The sweep engine (polarlab_sweep) is not part of this build.");
  ImGui::TextDisabled("Install libyaml-cpp-dev and libsqlite3-dev (Debian), then reconfigure.");
#endif
}

void keys_sweeps_ws(AppState& app, const KeyPress& k) {
#ifdef HAVE_POLARLAB_SWEEP
  // F5 or Ctrl+R: read the database again (the runs of a live sweep keep finishing).
  auto& lab = app.workspaces.sweeps;
  if (lab && lab->data() && !lab->busy() && !k.repeat &&
      (k.key == GLFW_KEY_F5 || (k.ctrl && k.key == GLFW_KEY_R))) {
    std::snprintf(lab->path, sizeof lab->path, "%s", lab->data()->source.c_str());
    lab->reload();
  }
#else
  (void)app, (void)k;
#endif
}

struct Entry {
  Workspace id;
  const char* key;
  const char* title;
  void (*draw)(AppState&);  // null: frame_layout.cpp's draw_frame (the dynamics view)
  void (*keys)(AppState&, const KeyPress&);  // null: no shortcuts of its own
};

// One row per workspace, in tab order.
constexpr Entry kWorkspaces[] = {
    {Workspace::dynamics, "dynamics", "Dynamics", nullptr, nullptr},
    {Workspace::transformer, "transformer", "Transformer", draw_transformer_ws, keys_transformer_ws},
    {Workspace::ensemble, "ensemble", "Ensemble", draw_ensemble_ws, nullptr},
    {Workspace::sweeps, "sweeps", "Sweeps", draw_sweeps_ws, keys_sweeps_ws},
};
static_assert(std::size(kWorkspaces) == static_cast<std::size_t>(kWorkspaceCount));

const Entry& entry(Workspace w) { return kWorkspaces[static_cast<int>(w)]; }

}  // namespace

const char* workspace_title(Workspace w) { return entry(w).title; }
const char* workspace_key(Workspace w) { return entry(w).key; }

std::optional<Workspace> workspace_from_key(std::string_view key) {
  for (const Entry& e : kWorkspaces)
    if (key == e.key) return e.id;
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

Workspace workspace_tabs(AppState& app) {
  WorkspaceStates& ws = app.workspaces;
  const Workspace before = ws.current;
  Workspace shown = ws.current;
  if (ImGui::BeginTabBar("##workspaces")) {
    for (const Entry& e : kWorkspaces) {
      const ImGuiTabItemFlags flags = ws.select == static_cast<int>(e.id) ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(e.title, nullptr, flags)) {
        shown = e.id;
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  // A tab selected by the program (--workspace) takes the tab bar a frame or two to show: until it does, the
  // requested workspace stays current instead of flickering to the first tab.
  if (ws.select >= 0) {
    if (static_cast<int>(shown) == ws.select) ws.select = -1;
    else shown = static_cast<Workspace>(ws.select);
  }
  ws.current = shown;
  if (ws.current != before) on_workspace_switch(app, before, ws.current);
  return ws.current;
}

void draw_workspace(AppState& app, Workspace w) {
  if (const auto draw = entry(w).draw) draw(app);
}

void workspace_keyboard(AppState& app, Workspace w, const KeyPress& key) {
  if (ImGui::GetIO().WantTextInput) return;
  if (const auto keys = entry(w).keys) keys(app, key);
}

bool poll_workspaces(AppState& app) {
  bool changed = false;
  WorkspaceStates& ws = app.workspaces;
#ifdef HAVE_POLARLAB_TRANSFORMER
  if (auto& lab = ws.transformer; lab && lab->worker) {
    auto s = lab->worker->snapshot();
    if (s != lab->snap) {
      lab->snap = std::move(s);
      changed |= ws.current == Workspace::transformer;
    }
  }
#endif
#ifdef HAVE_POLARLAB_ENSEMBLE
  if (auto& lab = ws.ensemble; lab) changed |= lab->poll() && ws.current == Workspace::ensemble;
#endif
#ifdef HAVE_POLARLAB_SWEEP
  if (auto& lab = ws.sweeps; lab) changed |= lab->poll() && ws.current == Workspace::sweeps;
#endif
  return changed;
}

void on_workspace_switch(AppState& app, Workspace from, Workspace to) {
  // The dynamics solver pauses while another workspace has the screen (two cores are shared with the
  // training or the ensemble) and resumes where it was when the user comes back.
  if (from == Workspace::dynamics && !app.runs.empty()) {
    const auto& snap = app.primary().history.snap;
    app.workspaces.dynamics_was_playing = snap && snap->playing;
    for (Run& r : app.runs) r.worker->pause();
  }
  if (to == Workspace::dynamics && app.workspaces.dynamics_was_playing) {
    for (Run& r : app.runs) r.worker->play();
    app.workspaces.dynamics_was_playing = false;
  }
}

std::string launch_workspace(AppState& app, Workspace w, const WorkspaceLaunch& launch) {
  WorkspaceStates& ws = app.workspaces;
  if (w != ws.current) on_workspace_switch(app, ws.current, w);
  ws.current = w;
  ws.select = static_cast<int>(w);
#ifdef HAVE_POLARLAB_TRANSFORMER
  if (launch.train_steps > 0 || launch.train_tiny || !launch.train_task.empty()) {
    if (!ws.transformer) ws.transformer = std::make_shared<TransformerLab>();
    TransformerLab& lab = *ws.transformer;
    namespace tf = polarlab::transformer;
    try {
      if (!launch.train_task.empty()) {
        lab.draft.task = tf::task_from_name(launch.train_task);
        if (lab.draft.task == tf::TaskKind::classification) lab.draft.positional = tf::Positional::none;
      }
      if (!launch.train_attention.empty()) lab.draft.attention = tf::attention_from_name(launch.train_attention);
    } catch (const std::exception& e) {
      return e.what();
    }
    if (!launch.train_device.empty()) lab.draft.device = launch.train_device;
    if (launch.train_threads > 0) lab.draft.threads = launch.train_threads;
    if (launch.train_tiny) {
      // Seconds on two cores: d 32, batch 64, frequent logs (the spec's model is d 128 on 100,000 sequences).
      lab.draft.d_model = 32;
      lab.draft.d_ff = 64;
      lab.draft.train_size = 32768;
      lab.draft.eval_size = 256;
      lab.draft.batch_size = 64;
      lab.draft.log_every = 10;
    }
    if (launch.train_steps > 0) {
      lab.draft.steps = launch.train_steps;
      lab.budget_in_steps = true;
      if (!lab.start()) return "transformer: " + lab.refused;
    }
  }
#else
  if (launch.train_steps > 0) return "transformer: built without libtorch";
#endif
#ifdef HAVE_POLARLAB_ENSEMBLE
  if (launch.ensemble_count > 0) {
    if (!ws.ensemble) ws.ensemble = std::make_shared<EnsembleLab>();
    EnsembleLab& lab = *ws.ensemble;
    lab.count = launch.ensemble_count;
    if (!launch.ensemble_preset.empty()) lab.preset = launch.ensemble_preset;
    if (!launch.kappa_range.empty())
      std::snprintf(lab.kappa_range, sizeof lab.kappa_range, "%s", launch.kappa_range.c_str());
    if (!lab.start()) return "ensemble: " + lab.refused;
  }
#else
  if (launch.ensemble_count > 0) return "ensemble: not part of this build";
#endif
#ifdef HAVE_POLARLAB_SWEEP
  if (!launch.sweep_dir.empty()) {
    if (!ws.sweeps) ws.sweeps = std::make_shared<SweepsLab>();
    SweepsLab& lab = *ws.sweeps;
    std::snprintf(lab.path, sizeof lab.path, "%s", launch.sweep_dir.c_str());
    lab.want_cell = launch.sweep_cell;
    lab.want_run = launch.sweep_run;
    lab.open(false);
  }
#else
  if (!launch.sweep_dir.empty()) return "sweeps: the sweep engine is not part of this build";
#endif
  return {};
}

void shutdown_workspaces(AppState& app) {
  app.workspaces.transformer.reset();
  app.workspaces.ensemble.reset();
  app.workspaces.sweeps.reset();
}

}  // namespace polarlab::gui
