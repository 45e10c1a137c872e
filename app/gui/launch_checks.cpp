#include "app/gui/launch_checks.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <sstream>

#include "app/gui/ensemble_stats.hpp"
#include "core/experiment/config.hpp"
#include "core/experiment/presets.hpp"

#ifdef HAVE_POLARLAB_SWEEP
#include "app/gui/sweeps_model.hpp"
#endif
#ifdef HAVE_POLARLAB_TRANSFORMER
#include "core/transformer/config.hpp"
#endif

namespace polarlab::gui {

namespace fs = std::filesystem;

namespace {

// A ConfigError's text without its "field: " prefix, where the flag names the field instead.
std::string reason(const std::exception& e) {
  const std::string what = e.what();
  if (const auto* c = dynamic_cast<const ConfigError*>(&e); c && !c->field.empty() && what.rfind(c->field + ": ", 0) == 0)
    return what.substr(c->field.size() + 2);
  return what;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string check_attention(const std::vector<std::string>& models) {
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

std::string check_sweep(const WorkspaceLaunch& l) {
  if (l.sweep_dir.empty()) {
    if (!l.sweep_cell.empty()) return "--sweep-cell: needs --sweep (the sweep folder the cell is in)";
    if (!l.sweep_run.empty()) return "--sweep-run: needs --sweep (the sweep folder the run is in)";
    return {};
  }
#ifdef HAVE_POLARLAB_SWEEP
  SweepPaths p;
  try {
    p = resolve_sweep_path(l.sweep_dir);
  } catch (const std::exception& e) {
    return "--sweep: " + reason(e);
  }
  std::error_code ec;
  if (!fs::exists(p.db, ec)) {
    if (!fs::exists(fs::path(p.dir) / "plan.json", ec))
      return "--sweep: " + p.dir + " is not a sweep folder (no results.sqlite, no plan.json); make one with "
             "'polarlab-cli sweep plan SPEC --out DIR'";
    // A planned sweep with no results yet opens (its Collect button reads the runs), but has no cells or runs.
    const std::string flag = !l.sweep_cell.empty() ? "--sweep-cell" : "--sweep-run";
    if (!l.sweep_cell.empty() || !l.sweep_run.empty())
      return flag + ": " + p.dir + " has no results database yet: collect it first (polarlab-cli sweep collect " +
             p.dir + ")";
    return {};
  }
  if (l.sweep_cell.empty() && l.sweep_run.empty()) return {};
  std::shared_ptr<const SweepData> d;
  try {
    d = load_sweep(l.sweep_dir);
  } catch (const std::exception& e) {
    return "--sweep: " + reason(e);
  }
  if (!l.sweep_cell.empty()) {
    try {
      parse_cell_ref(l.sweep_cell, d->grids);
    } catch (const std::exception& e) {
      return "--sweep-cell: " + reason(e);
    }
  }
  if (!l.sweep_run.empty() && !d->find(l.sweep_run))
    return "--sweep-run: no run '" + l.sweep_run + "' in " + d->db + " (its runs are the folders in " + d->dir +
           "/runs)";
  return {};
#else
  return "--sweep: the sweep engine is not part of this build (install libyaml-cpp-dev and libsqlite3-dev, then "
         "reconfigure)";
#endif
}

std::string check_ensemble(const WorkspaceLaunch& l) {
  if (l.ensemble_count <= 0) {
    if (!l.ensemble_preset.empty()) return "--ensemble-preset: needs --ensemble-count (the runs per κ to start)";
    if (!l.kappa_range.empty()) return "--kappa-range: needs --ensemble-count (the runs per κ to start)";
    return {};
  }
  const std::string preset = l.ensemble_preset.empty() ? "fig3" : l.ensemble_preset;  // EnsembleLab's default
  ExperimentConfig base;
  try {
    base = resolve_preset(preset);
  } catch (const std::exception& e) {
    return "--ensemble-preset: " + reason(e);
  }
  if (!l.kappa_range.empty()) {
    try {
      parse_kappa_range(l.kappa_range);
    } catch (const std::exception& e) {
      return "--kappa-range: " + reason(e);
    }
    // κ is the regression model's condition number; the ensemble of another model would ignore the range.
    if (base.model != ModelKind::regression)
      return "--kappa-range: preset " + preset + " is not the regression model, it has no κ to sweep (drop " +
             "--kappa-range, or use --ensemble-preset fig3)";
  }
  return {};
}

std::string check_transformer(const WorkspaceLaunch& l) {
#ifdef HAVE_POLARLAB_TRANSFORMER
  try {
    if (!l.train_task.empty()) transformer::task_from_name(l.train_task);
  } catch (const std::exception& e) {
    return "--train-task: " + reason(e);
  }
  try {
    if (!l.train_attention.empty()) transformer::attention_from_name(l.train_attention);
  } catch (const std::exception& e) {
    return "--train-attention: " + reason(e);
  }
#else
  const char* given = l.train_steps > 0            ? "--train-steps"
                     : l.train_tiny                 ? "--train-tiny"
                     : !l.train_task.empty()        ? "--train-task"
                     : !l.train_attention.empty()   ? "--train-attention"
                     : !l.train_device.empty()      ? "--train-device"
                     : l.train_threads > 0          ? "--train-threads"
                                                    : nullptr;
  if (given)
    return std::string(given) + ": this build has no transformer (libtorch); reconfigure with -DPOLARLAB_TORCH=ON "
                                "to train";
#endif
  return {};
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
      return "--preset: " + reason(e);
    }
  }
  // A script's content problems show in an interactive window (it can be fixed and reloaded); a missing file cannot.
  if (!o.lecture_script.empty() && !fs::is_regular_file(o.lecture_script, ec))
    return "--lecture-script: '" + o.lecture_script + "' " +
           (fs::exists(o.lecture_script, ec) ? "is not a file" : "does not exist") +
           " (the shipped lectures are in assets/lectures/)";
  if (std::string e = check_attention(o.launch.attention_models); !e.empty()) return e;
  if (std::string e = check_sweep(o.launch); !e.empty()) return e;
  if (std::string e = check_ensemble(o.launch); !e.empty()) return e;
  if (std::string e = check_transformer(o.launch); !e.empty()) return e;
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
