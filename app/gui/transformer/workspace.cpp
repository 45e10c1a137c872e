// The transformer workspace: the paper's tiny transformers trained live (transformer/state.hpp). Without libtorch
// in the build the tab says how to get it.
#include <imgui.h>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/transformer/flags.hpp"
#include "app/gui/shell/workspace.hpp"

#ifdef HAVE_POLARLAB_TRANSFORMER
#include <GLFW/glfw3.h>

#include "app/gui/transformer/state.hpp"
#endif

namespace polarlab::gui {

namespace {

#ifdef HAVE_POLARLAB_TRANSFORMER
namespace tf = polarlab::transformer;

class TransformerWorkspace : public WorkspaceView {
 public:
  bool poll(AppState&) override {
    if (!lab_.worker) return false;
    auto s = lab_.worker->snapshot();
    if (s == lab_.snap) return false;
    lab_.snap = std::move(s);
    return true;
  }
  void draw(AppState& app) override { draw_transformer(app, lab_); }
  void key(AppState&, const KeyPress& k) override {
    if (lab_.active() && k.key == GLFW_KEY_SPACE && !k.repeat && !k.ctrl) lab_.pause_resume();
  }
  std::string launch(AppState& app, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const TransformerFlags&>(flags);
    // Any --train-* flag sets the draft (the run starts only with --train-steps): none is dropped unread.
    if (launch.train_steps <= 0 && !launch.train_tiny && launch.train_task.empty() && launch.train_attention.empty() &&
        launch.train_device.empty() && launch.train_threads <= 0)
      return {};
    try {
      if (!launch.train_task.empty()) {
        lab_.draft.task = tf::task_from_name(launch.train_task);
        if (lab_.draft.task == tf::TaskKind::classification) lab_.draft.positional = tf::Positional::none;
      }
      if (!launch.train_attention.empty()) lab_.draft.attention = tf::attention_from_name(launch.train_attention);
    } catch (const std::exception& e) {
      return e.what();
    }
    if (!launch.train_device.empty()) lab_.draft.device = launch.train_device;
    if (launch.train_threads > 0) lab_.draft.threads = launch.train_threads;
    if (launch.train_tiny) lab_.draft = tf::tiny_model(lab_.draft);  // seconds on two cores
    if (launch.train_steps > 0) {
      lab_.draft.steps = launch.train_steps;
      lab_.budget_in_steps = true;
      if (!lab_.start(*app.jobs)) return "transformer: " + lab_.refused;
    }
    return {};
  }
  void shutdown() override {
    lab_.worker.reset();
    lab_.probing.reset();
  }

  TransformerState& lab() { return lab_; }

 private:
  TransformerState lab_;
};
#else
class TransformerWorkspace : public WorkspaceView {
 public:
  void draw(AppState&) override {
    ImGui::Spacing();
    ImGui::TextUnformatted("The transformer lab was built without libtorch.");
    ImGui::TextDisabled("Install libtorch-dev (Debian) or point CMAKE_PREFIX_PATH at a libtorch, then reconfigure "
                        "with -DPOLARLAB_TORCH=ON.");
  }
  std::string launch(AppState&, const WorkspaceFlags& flags) override {
    const auto& launch = static_cast<const TransformerFlags&>(flags);
    return launch.train_steps > 0 ? "transformer: built without libtorch" : "";
  }
};
#endif

}  // namespace

std::unique_ptr<WorkspaceView> make_transformer_workspace() { return std::make_unique<TransformerWorkspace>(); }

#ifdef HAVE_POLARLAB_TRANSFORMER
TransformerState* transformer_lab(const AppState& app) {
  auto* w = app.workspaces.get<TransformerWorkspace>();
  return w ? &w->lab() : nullptr;
}
#endif

}  // namespace polarlab::gui
