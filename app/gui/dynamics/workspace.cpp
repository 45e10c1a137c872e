// The dynamics workspace: the value–softmax runs of the side panel and the plot panels (dynamics/layout.cpp draws
// them; lecture mode draws them without the tab bar). Its keys (dynamics/keys.cpp) also serve lecture mode.
#include "app/gui/dynamics/keys.hpp"
#include "app/gui/shell/app_state.hpp"
#include "app/gui/shell/workspace.hpp"

namespace polarlab::gui {

namespace {

class DynamicsWorkspace : public WorkspaceView {
 public:
  void draw(AppState& app) override { draw_dynamics(app, false); }
  void key(AppState& app, const KeyPress& k) override { dynamics_key(app, k); }

  // The runs' snapshots into their histories; a change of the primary run is the replay's news (App::frame).
  bool poll(AppState& app) override {
    bool fresh = false;
    for (std::size_t i = 0; i < app.runs.size(); ++i) {
      Run& r = app.runs[i];
      auto s = r.worker->snapshot();
      fresh |= !r.history.snap || s->seq != r.history.snap->seq;
      const bool changed = r.history.sync(std::move(s));
      if (i == 0) app.primary_changed |= changed;
    }
    return fresh;
  }

  // The solver pauses while another workspace has the screen (two cores are shared with the training or the
  // ensemble) and resumes where it was when the user comes back.
  void hidden(AppState& app) override {
    if (app.runs.empty()) return;
    const auto& snap = app.primary().history.snap;
    was_playing_ = snap && snap->playing;
    for (Run& r : app.runs) r.worker->pause();
  }
  void shown(AppState& app) override {
    if (!was_playing_) return;
    for (Run& r : app.runs) r.worker->play();
    was_playing_ = false;
  }

 private:
  bool was_playing_ = false;
};

}  // namespace

std::unique_ptr<WorkspaceView> make_dynamics_workspace() { return std::make_unique<DynamicsWorkspace>(); }

}  // namespace polarlab::gui
