// The assets folder of the commands that read it (presets, simulate --preset, figure, ensemble): a folder that is
// missing is bad input (exit 2) with its name and where the name came from, never an empty answer.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/experiment/presets.hpp"
#include "core/types.hpp"

namespace polarlab::cli {

// Throws ConfigError naming the missing folder (the assets folder, or its presets/ folder) or an empty presets/.
inline void require_presets_folder() {
  namespace fs = std::filesystem;
  const std::string root = assets_dir();
  const char* env = std::getenv("POLARLAB_ASSETS");
  const bool from_env = env && *env;
  const std::string origin = from_env ? "POLARLAB_ASSETS is set to '" + root + "'"
                                      : "the build's assets folder is '" + root + "'";
  const std::string fix = from_env ? "point POLARLAB_ASSETS at polarlab's assets/ folder (it holds presets/ and "
                                     "sweeps/), or unset it to use the build's"
                                   : "set POLARLAB_ASSETS to polarlab's assets/ folder (it holds presets/ and sweeps/)";
  std::error_code ec;
  if (!fs::is_directory(root, ec))
    throw ConfigError("assets", "the assets folder '" + root + "' does not exist (" + origin + "); " + fix);
  const fs::path presets = fs::path(root) / "presets";
  if (!fs::is_directory(presets, ec))
    throw ConfigError("assets", "the presets folder '" + presets.string() + "' does not exist (" + origin + "); " + fix);
  if (preset_names().empty())
    throw ConfigError("assets", "the presets folder '" + presets.string() + "' holds no preset (*.json) (" + origin +
                                    "); " + fix);
}

}  // namespace polarlab::cli
