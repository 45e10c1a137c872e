// The dynamics workspace's state: the value–softmax runs (one worker each, runs[0] the primary), the config
// running and the one being edited, the panels shown, the play speed, the Φ pairs. AppState (shell/app_state.hpp)
// holds it with what the shell and the lecture share; the dynamics views read both.
#pragma once
#include <array>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/gui/dynamics/history.hpp"
#include "app/gui/dynamics/worker.hpp"
#include "core/experiment/presets.hpp"

namespace polarlab::gui {

enum class Panel { scores, projections, logits, loss, gamma, bound, singular, potentials, attention, count };
inline constexpr int kPanelCount = static_cast<int>(Panel::count);
const char* panel_name(Panel p);
const char* panel_key(Panel p);             // "scores", as the preset files name panels
Panel panel_from_key(const std::string& key);  // Panel::count when unknown

struct Run {
  std::unique_ptr<DynamicsWorker> worker;
  History history;
  std::string tag;  // "GD", "flow"
};

enum class MethodChoice { gd, flow, both };
// The choice a flag or a lecture scene names ("gd", "flow", "both"); "" the config's own method.
MethodChoice method_choice(const std::string& name, Method config_method);

struct DynamicsState {
  std::vector<Run> runs;                // runs[0] is the primary; runs[1] the flow when "both"
  ExperimentConfig edit;                // the config now running
  MethodChoice method = MethodChoice::gd;
  ExperimentConfig draft;               // what the side panel shows (may hold a refused value)
  MethodChoice draft_method = MethodChoice::gd;
  std::string typed_a, typed_beta;      // typed initial values (explicit init), comma separated
  std::string preset;                   // the preset the config came from ("" if edited/opened)
  std::vector<PresetInfo> presets;
  std::string refused;                  // the panel's last refusal, shown in red
  std::array<bool, kPanelCount> show{};
  SpeedMode speed_mode = SpeedMode::records_per_second;
  float speed_value = 400.0f;           // records/s or time units/s
  float run_to = 100.0f;
  std::vector<std::pair<int, int>> pairs;  // selected Φ pairs
  bool pairs_auto = true;                  // default pairs follow the predicted winner
  char config_path[512] = "polarlab-config.json";
  char csv_path[512] = "polarlab-trajectory.csv";
  bool primary_changed = false;         // the primary run's history took new records (dynamics/workspace.cpp)
  int restarts = 0;                     // runs started by apply() (presets, settings, opened configs)
  Run& primary() { return runs.front(); }
};

}  // namespace polarlab::gui
