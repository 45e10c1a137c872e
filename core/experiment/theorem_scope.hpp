// Where the theory applies: whether a run satisfies the hypotheses of Theorems 3.2/3.3 (spec §5), so
// that the app shows the predicted winner argmax u(0) and the 3.3(b) bound only where they are proved,
// and why not elsewhere. Also detects initial states where nothing can move (∇L(θ0) = 0 exactly).
#pragma once
#include <string>

#include "core/config/experiment_config.hpp"
#include "core/experiment/experiment.hpp"

namespace polarlab {

struct TheoremScope {
  // Theorem 3.2 + 3.3(c): the order of u(0) is kept and s → one-hot on argmax u(0).
  bool prediction = false;
  int predicted_winner = -1;  // argmax u(0) when `prediction`, else -1
  // Theorem 3.3(b) as recorded (Record::bound): max_{j≠w} s_j/s_w ≤ 1/(1 + (δ/p)∫γ).
  bool bound = false;
  double delta = 0.0;         // min gap of u(0)
  std::string holds;          // the hypotheses found to hold (when `bound` or `prediction`)
  std::string reason;         // why Theorem 3.3(b) does not apply (empty when `bound`)
  // ∇L(θ0) = 0 exactly: θ0 is a fixed point of GD and flow, s, u, a never move.
  bool stationary = false;
  std::string stationary_reason;
};

// Checks the config and the drawn initial state. The model's scratch buffers are used, hence non-const;
// the parameters are not changed.
TheoremScope theorem_scope(Experiment& ex);
// Builds the experiment (draws the initial state) first; throws ConfigError like build_experiment.
TheoremScope theorem_scope(const ExperimentConfig& cfg);

// One line for a panel or status bar: "Theorem 3.3 applies: …", "Theorem 3.3 does not apply: <reason>", or
// (winner predicted, bound not) "Theorem 3.3(b) does not apply: <reason>".
std::string theorem_scope_line(const TheoremScope& scope);

}  // namespace polarlab
