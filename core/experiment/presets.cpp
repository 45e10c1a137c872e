#include "core/experiment/presets.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace polarlab {

namespace fs = std::filesystem;
using nlohmann::json;

#ifndef POLARLAB_ASSETS_DIR
#define POLARLAB_ASSETS_DIR "assets"
#endif

std::string assets_dir() {
  if (const char* env = std::getenv("POLARLAB_ASSETS"); env && *env) return env;
  return POLARLAB_ASSETS_DIR;
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  const fs::path dir = fs::path(assets_dir()) / "presets";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  // Paper order: fig2, fig3, fig10, ... then the rest.
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    auto key = [](const std::string& s) {
      int num = 1000;
      if (s.rfind("fig", 0) == 0) num = std::atoi(s.c_str() + 3);
      return std::make_pair(num, s);
    };
    return key(a) < key(b);
  });
  return names;
}

json load_preset_json(const std::string& name) {
  const fs::path file = fs::path(assets_dir()) / "presets" / (name + ".json");
  if (!fs::exists(file)) {
    std::string known;
    for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
    throw ConfigError("preset", "unknown preset '" + name + "'; available: " + known +
                                    " (presets are read from " + (fs::path(assets_dir()) / "presets").string() +
                                    ", set POLARLAB_ASSETS to move them)");
  }
  return read_json_file(file.string());
}

std::vector<PresetInfo> list_presets() {
  std::vector<PresetInfo> out;
  for (const auto& name : preset_names()) {
    const json j = load_preset_json(name);
    PresetInfo info;
    info.name = name;
    info.figure = j.value("figure", "");
    info.description = j.value("description", "");
    info.theorem = j.value("theorem", "");
    info.sweep = j.value("sweep", json::object());
    const json gui = j.value("gui", json::object());
    info.lecture_panels = gui.value("lecture_panels", std::vector<std::string>{});
    info.slider = gui.value("slider", json::object());
    out.push_back(info);
  }
  return out;
}

ExperimentConfig resolve_preset(const std::string& name, const json& overrides) {
  const json preset = load_preset_json(name);
  json cfg = preset.value("config", json::object());
  cfg["name"] = name;
  if (preset.contains("description")) cfg["description"] = preset["description"];
  if (preset.contains("theorem")) cfg["theorem"] = preset["theorem"];
  // One sweep member: the first value unless the caller chose one.
  const json defaults = preset.value("defaults", json::object());
  const json sweep = preset.value("sweep", json::object());
  for (const auto& [key, values] : sweep.items()) {
    if (overrides.contains(key)) continue;
    if (defaults.contains(key)) cfg[key] = defaults[key];
    else if (values.is_array() && !values.empty()) cfg[key] = values[0];
  }
  for (const auto& [key, value] : overrides.items()) cfg[key] = value;
  // Variants keyed by a chosen value, e.g. variants.loss.logistic = {lr: 0.5, steps: 100000}.
  const json variants = preset.value("variants", json::object());
  for (const auto& [key, table] : variants.items()) {
    if (!cfg.contains(key) || !cfg[key].is_string()) continue;
    const std::string chosen = cfg[key].get<std::string>();
    if (!table.contains(chosen)) continue;
    for (const auto& [k, v] : table[chosen].items())
      if (!overrides.contains(k)) cfg[k] = v;
  }
  return config_from_json(cfg);
}

std::vector<ExperimentConfig> preset_sweep_members(const std::string& name, const json& overrides) {
  const json preset = load_preset_json(name);
  const json sweep = preset.value("sweep", json::object());
  std::vector<json> combos{overrides};
  for (const auto& [key, values] : sweep.items()) {
    if (overrides.contains(key)) continue;
    std::vector<json> next;
    for (const auto& base : combos)
      for (const auto& v : values) {
        json o = base;
        o[key] = v;
        next.push_back(o);
      }
    combos = next;
  }
  std::vector<ExperimentConfig> out;
  for (const auto& o : combos) out.push_back(resolve_preset(name, o));
  return out;
}

}  // namespace polarlab
