// The sweeps workspace: a sweep's results database as the paper's grids, a cell's runs, a run's maps
// (sweeps/state.hpp).
#include <imgui.h>

#include <cstdio>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/sweeps/flags.hpp"
#include "app/gui/shell/workspace.hpp"

#ifdef HAVE_POLARLAB_SWEEP
#include <GLFW/glfw3.h>

#include "app/gui/sweeps/state.hpp"
#endif

namespace polarlab::gui {

namespace {

#ifdef HAVE_POLARLAB_SWEEP
class SweepsWorkspace : public WorkspaceView {
 public:
  bool poll(AppState&) override { return lab_.poll(); }
  void draw(AppState& app) override { draw_sweeps(app, lab_); }
  void key(AppState& app, const KeyPress& k) override {
    // F5 or Ctrl+R: read the database again (the runs of a live sweep keep finishing).
    if (lab_.data() && !lab_.busy() && !k.repeat && (k.key == GLFW_KEY_F5 || (k.ctrl && k.key == GLFW_KEY_R))) {
      std::snprintf(lab_.path, sizeof lab_.path, "%s", lab_.data()->source.c_str());
      lab_.reload(*app.jobs);
    }
  }
  std::string launch(AppState& app, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const SweepsFlags&>(flags);
    if (launch.sweep_dir.empty()) return {};
    std::snprintf(lab_.path, sizeof lab_.path, "%s", launch.sweep_dir.c_str());
    lab_.want_cell = launch.sweep_cell;
    lab_.want_run = launch.sweep_run;
    lab_.open(*app.jobs, false);
    return {};
  }
  void shutdown() override { lab_.worker.reset(); }

 private:
  SweepsState lab_;
};
#else
class SweepsWorkspace : public WorkspaceView {
 public:
  void draw(AppState&) override {
    ImGui::Spacing();
    ImGui::TextUnformatted("The sweep engine (polarlab_sweep) is not part of this build.");
    ImGui::TextDisabled("Install libyaml-cpp-dev and libsqlite3-dev (Debian), then reconfigure.");
  }
  std::string launch(AppState&, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const SweepsFlags&>(flags);
    return launch.sweep_dir.empty() ? "" : "sweeps: the sweep engine is not part of this build";
  }
};
#endif

}  // namespace

std::unique_ptr<WorkspaceView> make_sweeps_workspace() { return std::make_unique<SweepsWorkspace>(); }

}  // namespace polarlab::gui
