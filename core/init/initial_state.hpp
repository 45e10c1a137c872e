// Initial states: Assumption 3.1, Assumption 3.4, Gaussian, explicit values, or an explicit recipe of
// numpy-legacy draws in the official code's order (so that presets reproduce its seeds exactly).
#pragma once
#include <vector>

#include "core/config/experiment_config.hpp"
#include "core/model/model.hpp"

namespace polarlab {

struct InitialState {
  Parameters params;  // V (or U, or sink V), a (or sink A)
  Vec beta_star;      // logistic / square target direction (empty for regression and cross-entropy)
  Vec y;              // regression targets
  Mat X;              // regression design, condition number κ
  Vec p_star;         // cross-entropy target distribution
};

// The draws a config's init kind stands for, in order.
std::vector<InitDraw> expand_init_recipe(const ExperimentConfig& cfg);
InitialState make_initial_state(const ExperimentConfig& cfg);
// Replaces X's singular values by linspace(1, 1/κ, min(n, d)) (spec §2).
Mat condition_design(const Mat& X_raw, double kappa);

}  // namespace polarlab
