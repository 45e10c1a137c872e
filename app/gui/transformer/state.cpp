// The transformer workspace: layout (side panel | curves over the attention grid) and the run's life cycle.
#include "app/gui/transformer/state.hpp"

#ifdef HAVE_POLARLAB_TRANSFORMER
#include <chrono>
#include <cmath>
#include <cstdio>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/lecture/deck.hpp"
#include "core/transformer/torch_plugin.hpp"
#include "core/transformer/trainer.hpp"

namespace polarlab::gui {

namespace tf = polarlab::transformer;

TransformerState::TransformerState() {
  draft.epochs = 10;  // spec §7: 10 epochs of 100,000 sequences (3,910 steps at batch 256)
  draft.steps = 500;  // shown when the budget is switched to steps
}

bool TransformerState::start(JobHost& host) {
  tf::TrainConfig c = draft;
  if (!budget_in_steps) c.steps = 0;
  // The eval sequences the user can choose between: the first few of the eval set.
  c.attention_samples.clear();
  for (int i = 0; i < kKeptSamples && i < c.eval_size; ++i) c.attention_samples.push_back(i);
  try {
    tf::validate(tf::resolve_defaults(c));  // refuse before stopping the run that goes on
    // The previous run stops in the background (JobHost::retire): the window does not wait for it.
    host.retire<TrainWorker>(std::move(worker), [](TrainWorker& w) { w.stop(); },
                             [](const TrainWorker& w) { return w.ended(); });
    worker = std::make_unique<TrainWorker>(host, c);
    snap = worker->snapshot();
    refused.clear();
    return true;
  } catch (const std::exception& e) {
    refused = e.what();
    return false;
  }
}

void TransformerState::pause_resume() {
  if (worker) worker->set_paused(!worker->paused());
}

void TransformerState::stop() {
  if (worker) worker->stop();
}

bool TransformerState::active() const {
  return snap && (snap->phase == TrainPhase::preparing || snap->phase == TrainPhase::running ||
                  snap->phase == TrainPhase::paused);
}

std::string format_duration(double s) {
  char buf[48];
  if (!std::isfinite(s) || s < 0) return "–";
  if (s < 10) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 120) std::snprintf(buf, sizeof buf, "%.0f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%dm %02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh %02dm", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
  return buf;
}

void draw_transformer(AppState& app, TransformerState& lab) {
  if (!lab.torch && !lab.probing) {
    lab.probing = std::make_unique<JobWorker<TransformerState::TorchProbe>>(*app.jobs);
    auto* w = lab.probing.get();
    w->start_once("loading libtorch", "transformer", [w](JobControl&) {
      auto p = std::make_shared<TransformerState::TorchProbe>();
      p->available = tf::torch_plugin_available(&p->error);
      if (p->available) {
        p->cuda = tf::torch_plugin().cuda_available();
        p->version = tf::torch_plugin().torch_version();
      }
      w->publish(std::move(p));
    });
  }
  if (lab.probing && lab.probing->ended()) {
    if (auto p = lab.probing->snapshot()) lab.torch = *p;
    lab.probing.reset();
  }
  // A lecture scene: the curves and the head grid in the lecture's large font, no settings (the scene sets them).
  const bool lecture = lecture_training_scene(app);
  if (lecture) {
    ImGui::PushFont(app.font_large);
  } else {
    ImGui::BeginChild("tf_controls", ImVec2(app.side_width * app.dpi_scale, 0), true);
    transformer_controls(app, lab);
    ImGui::EndChild();
    ImGui::SameLine();
  }
  ImGui::BeginChild("tf_main", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  const float avail = ImGui::GetContentRegionAvail().y;
  const float status_h = ImGui::GetFrameHeightWithSpacing() * 1.2f;
  const float curves_h = std::floor((avail - status_h) * (lecture ? 0.4f : 0.34f));
  view_transformer_curves(app, lab, curves_h);
  ImGui::BeginChild("tf_attention", ImVec2(0, avail - curves_h - status_h - ImGui::GetStyle().ItemSpacing.y), true,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  view_transformer_attention(app, lab);
  ImGui::EndChild();
  // Status line, as the dynamics workspace's.
  const auto& s = lab.snap;
  if (s) {
    const bool paused = lab.worker && lab.worker->paused() && lab.active();
    ImGui::TextDisabled("%s   step %lld / %lld   %s params   device %s   %.0f fps", paused ? "paused" : phase_name(s->phase),
                        s->step, s->total, s->parameters > 0 ? std::to_string(s->parameters).c_str() : "–",
                        s->device.empty() ? "–" : s->device.c_str(), app.fps);
  } else {
    ImGui::TextDisabled("no run yet: choose the settings and press Start   %.0f fps", app.fps);
  }
  ImGui::EndChild();
  if (lecture) ImGui::PopFont();
}

}  // namespace polarlab::gui
#endif
