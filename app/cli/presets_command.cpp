// polarlab-cli presets: one line per paper figure preset.
#include <iostream>

#include "app/cli/assets.hpp"
#include "app/cli/command.hpp"
#include "core/experiment/presets.hpp"

namespace polarlab::cli {
namespace {
RegisterCommand reg("presets", 20, [](CLI::App& app) {
  auto* sub = app.add_subcommand("presets", "List the presets (one per paper figure)");
  static bool as_json = false;
  sub->add_flag("--json", as_json, "Print the list as JSON: name, figure, description, theorem, sweep per preset");
  sub->callback([] {
    require_presets_folder();
    const auto presets = list_presets();
    if (as_json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& p : presets)
        out.push_back({{"name", p.name}, {"figure", p.figure}, {"description", p.description},
                       {"theorem", p.theorem}, {"sweep", p.sweep}});
      std::cout << out.dump(2) << '\n';
      return;
    }
    for (const auto& p : presets) {
      std::cout << p.name;
      for (std::size_t i = p.name.size(); i < 8; ++i) std::cout << ' ';
      std::cout << "  " << p.description;
      if (!p.sweep.empty()) {
        for (const auto& [k, v] : p.sweep.items()) std::cout << "  [sweep " << k << ": " << v.dump() << "]";
      }
      std::cout << '\n';
    }
  });
});
}  // namespace
}  // namespace polarlab::cli
