#include "app/gui/attention/flags.hpp"

#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "app/gui/shell/flag_checks.hpp"

namespace polarlab::gui {

namespace fs = std::filesystem;

void AttentionFlags::add(CLI::App& cli) {
  cli.add_option("--attention", attention_models,
                 "attention: open these models (at most two; each a file, shards separated by spaces in one argument, "
                 "or a train run folder)");
}

std::string AttentionFlags::check() const {
  const std::vector<std::string>& models = attention_models;
  if (models.size() > 2)
    return "--attention: " + std::to_string(models.size()) +
           " models given, at most two (give one model's shards in one argument, separated by spaces)";
  for (const std::string& m : models) {
    std::istringstream in(m);
    int files = 0;
    for (std::string s; in >> s; ++files) {
      std::error_code ec;
      if (fs::is_directory(s, ec)) {
        if (!fs::is_regular_file(fs::path(s) / "attention.npy", ec))
          return "--attention: '" + s + "' is a folder without attention.npy (give a model file, or a run folder " +
                 "written by polarlab-cli train)";
      } else if (!fs::exists(s, ec)) {
        return "--attention: '" + s + "' does not exist";
      } else if (!fs::is_regular_file(s, ec) || ::access(s.c_str(), R_OK) != 0) {
        return "--attention: '" + s + "' is not a readable file";
      }
    }
    if (files == 0) return "--attention: an empty model (give a file, shards separated by spaces, or a run folder)";
  }
  return {};
}

}  // namespace polarlab::gui
