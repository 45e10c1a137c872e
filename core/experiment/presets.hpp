// Presets: one JSON file per paper figure in assets/presets/. A preset holds a base config, an
// optional sweep dimension (fig3's κ, fig11's D, fig13's map and loss) of which one member runs,
// and per-choice variants (fig13's learning rate and steps depend on the loss).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/experiment/config.hpp"

namespace polarlab {

struct PresetInfo {
  std::string name;
  std::string figure;
  std::string description;
  std::string theorem;
  nlohmann::json sweep;  // {"kappa": [1,2,3,4,5]} or {}
  // How the live lab shows the preset (read by the GUI, kept here so preset rules live in the preset files):
  std::vector<std::string> lecture_panels;  // the four panels of lecture mode, by key ("scores", "logits", ...)
  nlohmann::json slider;  // {"key": "kappa", "label": "κ", "min": 1, "max": 10}: a config value under the presets
};

// The assets folder: $POLARLAB_ASSETS, else the source tree's assets/ baked in at build time.
std::string assets_dir();
std::vector<PresetInfo> list_presets();
std::vector<std::string> preset_names();
nlohmann::json load_preset_json(const std::string& name);

// Base config ← overrides for sweep/variant keys ← the chosen variants ← all overrides.
// `overrides` is a partial config object (e.g. {"kappa": 3, "method": "flow"}).
ExperimentConfig resolve_preset(const std::string& name, const nlohmann::json& overrides = nlohmann::json::object());
// The config of every sweep member (fig3: five κ), for figures and ensembles.
std::vector<ExperimentConfig> preset_sweep_members(const std::string& name,
                                                   const nlohmann::json& overrides = nlohmann::json::object());

}  // namespace polarlab
