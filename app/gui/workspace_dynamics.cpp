// The dynamics workspace: the value–softmax runs of the side panel and the plot panels (frame_layout.cpp draws
// them; lecture mode draws them without the tab bar). Its shortcuts are the App's (lab_app.cpp), which also
// serve lecture mode.
#include "app/gui/app.hpp"
#include "app/gui/workspace.hpp"

namespace polarlab::gui {

namespace {

class DynamicsWorkspace : public WorkspaceView {
 public:
  void draw(AppState& app) override { draw_dynamics(app, false); }

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
