// The transformer workspace's state: the settings being edited, the training worker and its latest
// snapshot, the chosen eval sequence. Panels: transformer/view_controls.cpp (side panel),
// transformer/view_curves.cpp (loss, accuracy, head scores), transformer/view_attention.cpp (layers × heads).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/gui/transformer/worker.hpp"
#include "core/transformer/config.hpp"

namespace polarlab::gui {

struct AppState;

struct TransformerState {
  transformer::TrainConfig draft;  // what the side panel shows; resolved and validated on Start
  bool budget_in_steps = false;    // false: draft.epochs; true: draft.steps
  std::unique_ptr<TrainWorker> worker;
  std::shared_ptr<const TrainSnapshot> snap;
  std::string refused;             // why the draft cannot start (validation), shown in red
  std::string message;             // last export result
  int sample = 0;                  // index into the evaluation's maps
  char csv_path[512] = "polarlab-train-metrics.csv";
  // libtorch is a plugin loaded on first use (~0.5 s): probed as a job of the App's host so the tab opens at once.
  struct TorchProbe {
    bool available = false, cuda = false;
    std::string version, error;
  };
  std::unique_ptr<JobWorker<TorchProbe>> probing;
  std::optional<TorchProbe> torch;  // empty until the probe has answered
  bool cuda() const { return torch && torch->cuda; }

  TransformerState();
  bool start(JobHost& host);  // refuses (reason in `refused`) or replaces the worker with a fresh run
  void pause_resume();
  void stop();
  bool active() const;  // preparing, running or paused
};

// Spec §7 induction: the attention samples the lab keeps maps of (the eval sequences the user can pick).
inline constexpr int kKeptSamples = 16;

void draw_transformer(AppState& app, TransformerState& lab);
void transformer_controls(AppState& app, TransformerState& lab);
void view_transformer_curves(AppState& app, TransformerState& lab, float height);
void view_transformer_attention(AppState& app, TransformerState& lab);
// "3m 12s", "41 s", "0.8 s".
std::string format_duration(double seconds);

// The workspace's lab in a running App (workspace_*.cpp); null when absent.
TransformerState* transformer_lab(const AppState& app);

}  // namespace polarlab::gui
