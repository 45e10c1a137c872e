// Lecture scripts: `polarlab --lecture-script FILE [--scene N]` steps through a YAML list of scenes. This reads
// and validates the file into plain structs (no GUI, no GL); the GUI navigates and draws them.
//
// Format: a top-level mapping {title: ..., scenes: [...]} or a top-level sequence of scenes.
//
//   title: Gradient flow polarizes softmax        # optional (mapping form only)
//   scenes:
//     - preset: fig3                              # dynamics scenes: required, a preset name
//       overrides: {kappa: 5}                     # config keys → scalars, merged into the preset
//       method: gd                                # "", gd, flow or both ("": the preset's)
//       title: Ill-conditioning polarizes         # shown large: keep it short
//       subtitle: ...
//       panels: [logits, scores, gamma, loss]     # panel keys; left out: the preset's lecture panels
//       pace: 0.25                                # decades of simulated time per second of replay
//       start_t: 0.1                              # replay range, 0 < start_t < end_t ≤ the run's end
//       end_t: 300
//       annotations:                              # text shown from simulated time t on
//         - {t: 100, text: s polarizes}
//       parameter: {key: kappa, label: κ, min: 1, max: 10, step: 1}   # what ↑/↓ change
//     - workspace: transformer                    # a tiny transformer trained live
//       title: ...
//       train: {steps: 300, task: induction, attention: softmax, tiny: true}
//
// Scene keys: preset, overrides, method, title, subtitle, panels, pace, start_t, end_t, annotations,
// parameter, workspace, train. Transformer scenes take only workspace, title, subtitle and train; train
// belongs to transformer scenes only. Unknown keys anywhere are errors (a typo must not fall back to a
// default in front of an audience). Overrides are checked for real with resolve_preset, the parameter's
// min and max too, and start_t, end_t and annotation times must lie within the run.
// Plain YAML scalars in overrides become JSON booleans/integers/numbers/strings; quoted ones stay strings.
// Scene numbers in error keys are 1-based, as the lecture counts them ("scenes[1]" is the first scene).
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace polarlab::lecture {

struct Annotation {
  double t = 0.0;  // text shown from simulated time t on
  std::string text;
};

// What ↑/↓ change in lecture mode.
struct Parameter {
  std::string key;    // a config key, e.g. "kappa"
  std::string label;  // "κ" (default: key)
  double min = 0.0, max = 1.0, step = 1.0;
};

struct Scene {
  int line = 0;                         // 1-based line of the scene's entry in the file
  std::string workspace = "dynamics";   // "dynamics" or "transformer"
  std::string preset;                   // dynamics: a preset name (required for dynamics scenes)
  nlohmann::json overrides = nlohmann::json::object();  // partial config merged into the preset (e.g. {"kappa": 5})
  std::string method;                   // "", "gd", "flow" or "both"
  std::string title, subtitle;
  std::vector<std::string> panels;      // panel keys; empty: the preset's lecture panels
  double pace = 0.25;                   // decades of simulated time per second of replay (> 0)
  std::optional<double> start_t, end_t; // the replay's range (> 0, start < end)
  std::vector<Annotation> annotations;  // sorted by t
  std::optional<Parameter> parameter;   // default: none (the GUI falls back to the preset's slider)
  // transformer scenes: a tiny training run shown live
  long long train_steps = 300;          // > 0
  std::string train_task = "induction"; // induction | classification
  std::string train_attention = "softmax";
  bool train_tiny = true;
};

struct Script {
  std::string path;
  std::string title;          // optional top-level title
  std::vector<Scene> scenes;  // at least one
};

// What names the script may use; the GUI passes its own lists (presets from core, its panel keys).
// An empty list is not checked here (presets are still checked by resolve_preset).
struct Vocabulary {
  std::vector<std::string> presets;     // e.g. {"fig10","fig11","fig13","fig2","fig3","sink"}
  std::vector<std::string> panels;      // e.g. {"scores","projections","logits","loss","gamma","bound","singular","potentials","attention"}
  std::vector<std::string> attentions;  // allowed train_attention values; empty: anything non-empty
};

// Every problem is one of these: what() is "FILE:LINE: KEY: PROBLEM (allowed: a, b, c)" — the file, the 1-based
// line of the offending node, the key (e.g. "scenes[2].panels[1]" or "scenes[3].prezet"), what is wrong and, where
// there is a closed set, the allowed values, and what to do where that helps. Line 0 (an unreadable file) and an
// empty key are left out of what().
struct ScriptError : std::runtime_error {
  ScriptError(std::string file, int line, std::string key, const std::string& message);
  std::string file;
  int line = 0;
  std::string key;
};

// A missing/unreadable file: ScriptError with line 0 ("FILE: cannot read: ...").
Script read_script(const std::string& path, const Vocabulary& vocab);
Script parse_script(const std::string& text, const std::string& source_name, const Vocabulary& vocab);
// The allowed keys of a scene (for messages and docs).
const std::vector<std::string>& scene_keys();

}  // namespace polarlab::lecture
