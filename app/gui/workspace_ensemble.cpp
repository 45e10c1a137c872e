// The ensemble workspace: many initializations per κ on all cores, the phase diagram (ensemble_lab.hpp).
#include <imgui.h>

#include <cstdio>

#include "app/gui/app.hpp"
#include "app/gui/workspace.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
#include "app/gui/ensemble_lab.hpp"
#endif

namespace polarlab::gui {

namespace {

#ifdef HAVE_POLARLAB_ENSEMBLE
class EnsembleWorkspace : public WorkspaceView {
 public:
  bool poll(AppState&) override { return lab_.poll(); }
  void draw(AppState& app) override { draw_ensemble(app, lab_); }
  std::string launch(AppState&, const WorkspaceLaunch& launch) override {
    if (launch.ensemble_count <= 0) return {};
    lab_.count = launch.ensemble_count;
    if (!launch.ensemble_preset.empty()) lab_.preset = launch.ensemble_preset;
    if (!launch.kappa_range.empty())
      std::snprintf(lab_.kappa_range, sizeof lab_.kappa_range, "%s", launch.kappa_range.c_str());
    return lab_.start() ? std::string() : "ensemble: " + lab_.refused;
  }
  void shutdown() override { lab_.worker.reset(); }

  EnsembleLab& lab() { return lab_; }

 private:
  EnsembleLab lab_;
};
#else
class EnsembleWorkspace : public WorkspaceView {
 public:
  void draw(AppState&) override {
    ImGui::TextUnformatted("The ensemble engine (polarlab_ensemble) is not part of this build.");
  }
  std::string launch(AppState&, const WorkspaceLaunch& launch) override {
    return launch.ensemble_count > 0 ? "ensemble: not part of this build" : "";
  }
};
#endif

}  // namespace

std::unique_ptr<WorkspaceView> make_ensemble_workspace() { return std::make_unique<EnsembleWorkspace>(); }

#ifdef HAVE_POLARLAB_ENSEMBLE
EnsembleLab* ensemble_lab(const AppState& app) {
  auto* w = app.workspaces.get<EnsembleWorkspace>();
  return w ? &w->lab() : nullptr;
}
#endif

}  // namespace polarlab::gui
