// A resolved experiment: config + initial state + the model that integrates it.
#pragma once
#include <memory>

#include "core/experiment/config.hpp"
#include "core/init/initial_state.hpp"
#include "core/model/model.hpp"

namespace polarlab {

struct Experiment {
  ExperimentConfig config;
  InitialState initial;
  std::unique_ptr<Model> model;
  Vec theta0;
};

// Validates, draws the initial state and builds the model; throws ConfigError on bad input.
Experiment build_experiment(const ExperimentConfig& cfg);
// initial_state.json: V (list of rows), a, beta_star, plus X, y, p_star where present, loss, map, model.
nlohmann::json initial_state_json(const Experiment& ex);

}  // namespace polarlab
