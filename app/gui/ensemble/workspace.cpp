// The ensemble workspace: many initializations per κ on all cores, the phase diagram (ensemble/state.hpp).
#include <imgui.h>

#include <cstdio>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/ensemble/flags.hpp"
#include "app/gui/shell/workspace.hpp"

#ifdef HAVE_POLARLAB_ENSEMBLE
#include "app/gui/ensemble/state.hpp"
#endif

namespace polarlab::gui {

namespace {

#ifdef HAVE_POLARLAB_ENSEMBLE
class EnsembleWorkspace : public WorkspaceView {
 public:
  bool poll(AppState&) override { return lab_.poll(); }
  void draw(AppState& app) override { draw_ensemble(app, lab_); }
  std::string launch(AppState& app, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const EnsembleFlags&>(flags);
    if (launch.ensemble_count <= 0) return {};
    lab_.count = launch.ensemble_count;
    if (!launch.ensemble_preset.empty()) lab_.preset = launch.ensemble_preset;
    if (!launch.kappa_range.empty())
      std::snprintf(lab_.kappa_range, sizeof lab_.kappa_range, "%s", launch.kappa_range.c_str());
    return lab_.start(*app.jobs) ? std::string() : "ensemble: " + lab_.refused;
  }
  void shutdown() override { lab_.worker.reset(); }

  EnsembleState& lab() { return lab_; }

 private:
  EnsembleState lab_;
};
#else
class EnsembleWorkspace : public WorkspaceView {
 public:
  void draw(AppState&) override {
    ImGui::TextUnformatted("The ensemble engine (polarlab_ensemble) is not part of this build.");
  }
  std::string launch(AppState&, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const EnsembleFlags&>(flags);
    return launch.ensemble_count > 0 ? "ensemble: not part of this build" : "";
  }
};
#endif

}  // namespace

std::unique_ptr<WorkspaceView> make_ensemble_workspace() { return std::make_unique<EnsembleWorkspace>(); }

#ifdef HAVE_POLARLAB_ENSEMBLE
EnsembleState* ensemble_lab(const AppState& app) {
  auto* w = app.workspaces.get<EnsembleWorkspace>();
  return w ? &w->lab() : nullptr;
}
#endif

}  // namespace polarlab::gui
