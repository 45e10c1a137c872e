#include "core/experiment/overrides.hpp"

#include "core/experiment/presets.hpp"

namespace polarlab {

nlohmann::json simulate_overrides_json(const SimulateOverrides& o, const std::string& model) {
  nlohmann::json j = nlohmann::json::object();
  if (o.kappa) j["kappa"] = *o.kappa;
  if (o.dim) j[model == "sink" ? "T" : "D"] = *o.dim;
  if (!o.loss.empty()) j["loss"] = o.loss;
  if (!o.map.empty()) j["map"] = o.map;
  if (!o.method.empty()) j["method"] = o.method;
  if (o.steps) j["steps"] = *o.steps;
  if (o.lr) j["lr"] = *o.lr;
  if (o.t_end) j["t_end"] = *o.t_end;
  if (o.records) j["records"] = *o.records;
  if (o.seed) j["seed"] = *o.seed;
  if (o.rtol) j["rtol"] = *o.rtol;
  if (o.atol) j["atol"] = *o.atol;
  return j;
}

ExperimentConfig resolve_simulation(const std::string& preset, const SimulateOverrides& o) {
  const auto json = load_preset_json(preset);
  const std::string model = json.value("config", nlohmann::json::object()).value("model", "value_softmax");
  return resolve_preset(preset, simulate_overrides_json(o, model));
}

ExperimentConfig resolve_simulation_config(nlohmann::json cfg, const SimulateOverrides& o, const std::string& origin) {
  if (!cfg.is_object()) throw ConfigError("config", "'" + origin + "' must hold a JSON object");
  const nlohmann::json overrides = simulate_overrides_json(o, cfg.value("model", "value_softmax"));
  for (const auto& [k, v] : overrides.items()) {
    if (k == "D" && cfg.value("model", "") != "tied") {
      cfg["d"] = v;
      cfg["p"] = v;
    } else {
      cfg[k] = v;
    }
  }
  return config_from_json(cfg);
}

}  // namespace polarlab
