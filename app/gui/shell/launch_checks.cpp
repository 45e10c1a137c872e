#include "app/gui/shell/launch_checks.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "app/gui/shell/flag_checks.hpp"
#include "core/experiment/config.hpp"
#include "core/experiment/presets.hpp"

namespace polarlab::gui {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string check_inputs(const AppOptions& o) {
  std::error_code ec;
  if (!o.config.empty()) {
    if (!fs::exists(o.config, ec)) return "--config: '" + o.config + "' does not exist";
    if (fs::is_directory(o.config, ec))
      return "--config: '" + o.config + "' is a folder (give its config.json: " +
             (fs::path(o.config) / "config.json").string() + ")";
    try {
      validate(config_from_json(read_json_file(o.config)));
    } catch (const std::exception& e) {
      return "--config: " + o.config + ": " + e.what();
    }
  } else {
    try {
      validate(resolve_preset(o.preset));
    } catch (const std::exception& e) {
      return "--preset: " + flag_reason(e);
    }
  }
  // A script's content problems show in an interactive window (it can be fixed and reloaded); a missing file cannot.
  if (!o.lecture_script.empty() && !fs::is_regular_file(o.lecture_script, ec))
    return "--lecture-script: '" + o.lecture_script + "' " +
           (fs::exists(o.lecture_script, ec) ? "is not a file" : "does not exist") +
           " (the shipped lectures are in assets/lectures/)";
  // Each workspace checks its own flags (its folder's flags.cpp).
  for (const auto& f : o.launch.by_workspace)
    if (f)
      if (std::string e = f->check(); !e.empty()) return e;
  return {};
}

std::string check_output_path(const std::string& flag, const std::string& path,
                              const std::vector<std::string>& extensions) {
  std::string allowed;
  for (const std::string& x : extensions) allowed += (allowed.empty() ? "" : ", ") + x;
  if (path.empty()) return flag + ": an empty file name (give FILE" + extensions.front() + ")";
  const fs::path p(path);
  const std::string ext = lower(p.extension().string());
  if (std::find(extensions.begin(), extensions.end(), ext) == extensions.end())
    return flag + ": " + path + ": " + (ext.empty() ? "no extension" : "unknown extension " + ext) + " (allowed: " +
           allowed + ")";
  std::error_code ec;
  if (fs::is_directory(p, ec)) return flag + ": " + path + " is a folder (give a file name in it)";
  const fs::path dir = fs::absolute(p, ec).parent_path();
  if (!fs::is_directory(dir, ec))
    return flag + ": cannot write " + path + ": the folder " + dir.string() + " does not exist (create it first)";
  if (::access(dir.c_str(), W_OK) != 0)
    return flag + ": cannot write " + path + ": the folder " + dir.string() + " is not writable";
  if (fs::exists(p, ec) && ::access(p.c_str(), W_OK) != 0)
    return flag + ": cannot write " + path + ": the file exists and is not writable";
  return {};
}

}  // namespace polarlab::gui
