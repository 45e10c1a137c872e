// The simulate overrides: `polarlab-cli simulate`'s flags and `polarlab.simulate`'s keywords, mapped onto a preset
// or a config in one place (so both front ends resolve the same config from the same values).
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/experiment/config.hpp"

namespace polarlab {

// A value left out keeps the preset's (or the config's).
struct SimulateOverrides {
  std::string loss, map, method;
  std::optional<double> kappa, lr, t_end, rtol, atol;
  std::optional<long long> dim, steps, records, seed;
};

// The overrides as a partial config; `dim` is T for the sink model, D otherwise.
nlohmann::json simulate_overrides_json(const SimulateOverrides& o, const std::string& model);
// A preset with the overrides (throws ConfigError for an unknown preset or a bad value).
ExperimentConfig resolve_simulation(const std::string& preset, const SimulateOverrides& o);
// A config object (config.json's layout) with the overrides; D sets d and p unless the model is tied. `origin`
// names the config in the error when it is not a JSON object ("'FILE' must hold a JSON object").
ExperimentConfig resolve_simulation_config(nlohmann::json cfg, const SimulateOverrides& o, const std::string& origin);

}  // namespace polarlab
