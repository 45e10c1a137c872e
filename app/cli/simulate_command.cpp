// polarlab-cli simulate: run a preset or a config headless and write a run directory.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "core/job/job.hpp"
#include "app/cli/assets.hpp"
#include "app/cli/command.hpp"
#include "app/cli/experiment_flags.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/io/owned_folder.hpp"
#include "core/io/run_directory.hpp"

namespace polarlab::cli {
namespace {

// The overrides (--kappa ... --seed) come from the experiment field table (core/experiment/fields.hpp), shared
// with polarlab.simulate, animate and ensemble.
struct SimulateOptions {
  ExperimentOverrides overrides;
  std::string preset, config, out;
  bool quiet = false, force = false;
};

ExperimentConfig resolve(const SimulateOptions& o) {
  if (!o.preset.empty()) {
    require_presets_folder();
    return resolve_experiment(o.preset, o.overrides);
  }
  return resolve_experiment_config(read_json_file(o.config), o.overrides, o.config);
}

void run(const SimulateOptions& o) {
  const ExperimentConfig cfg = resolve(o);
  check_output_folder(o.out, "--out", "run", o.force);  // before the run, not after it
  Runner runner(cfg);
  const bool tty = ::isatty(STDERR_FILENO);
  const double t0 = monotonic_seconds();
  auto elapsed = [&] { return monotonic_seconds() - t0; };
  double last_print = 0.0, last_save = 0.0;
  bool printed = false;
  while (!runner.done()) {
    runner.advance(Budget{.max_seconds = 0.2});
    const double now = elapsed();
    // Long runs save what they have every few seconds (atomically), so a kill loses little.
    if (now - last_save > 5.0 && !runner.done()) {
      write_run_directory(o.out, runner, {{"wall_seconds", now}}, /*force=*/true);  // --out was checked
      last_save = now;
    }
    if (!o.quiet && now > 1.0 && now - last_print >= (tty ? 0.2 : 2.0) && !runner.done()) {
      const Record& r = runner.records().back();
      std::fprintf(stderr, "%s[%s] %s %5.1f%%  step %lld  t %.4g  max_s %.6f  loss %.4g  (%.1f s)%s",
                   tty ? "\r" : "", cfg.name.c_str(), cfg.method == Method::gd ? "gd" : "flow",
                   100.0 * runner.progress(), static_cast<long long>(runner.steps_taken()), runner.t(), r.max_s,
                   r.loss, now, tty ? "" : "\n");
      std::fflush(stderr);
      last_print = now;
      printed = true;
    }
  }
  const double seconds = elapsed();
  if (printed && tty) std::fprintf(stderr, "\n");
  nlohmann::json extra;
  extra["wall_seconds"] = seconds;
  if (cfg.method == Method::gd && seconds > 0) extra["steps_per_second"] = runner.steps_taken() / seconds;
  write_run_directory(o.out, runner, extra, /*force=*/true);

  const Record& r = runner.records().back();
  // "(predicted k)" only where Theorem 3.3 predicts the winner; elsewhere "(no prediction: <reason>)".
  const TheoremScope& scope = runner.scope();
  const std::string prediction = scope.prediction ? "predicted " + std::to_string(scope.predicted_winner)
                                                  : "no prediction: " + theorem_scope_line(scope);
  std::printf("%s: %s %lld %s in %.3f s; t = %.6g  loss = %.6g  max_s = %.6f  winner = %d (%s)  "
              "u_winner = %.6g  -> %s\n",
              cfg.name.c_str(), runner.status().state == RunState::failed ? "stopped after" : "finished",
              static_cast<long long>(runner.steps_taken()),
              cfg.method == Method::gd ? "GD steps" : "flow steps", seconds, r.t, r.loss, r.max_s, r.winner,
              prediction.c_str(), r.u(r.winner), o.out.c_str());
  if (runner.status().state == RunState::failed) {
    std::fprintf(stderr, "polarlab-cli: %s\n", runner.status().message.c_str());
    exit_code() = kExitRunFailed;
  }
}

RegisterCommand reg("simulate", 10, [](CLI::App& app) {
  static SimulateOptions o;
  auto* sub = app.add_subcommand("simulate",
                                 "Run a preset or a config and write a run directory (config.json, initial_state.json, "
                                 "trajectory.csv, potentials.csv, summary.json; sink model: attention.csv; manifest.json "
                                 "listing them). A flag left out keeps the preset's (or the config's) value");
  auto* preset = sub->add_option("--preset", o.preset, "Preset name (see 'polarlab-cli presets')");
  auto* config = sub->add_option("--config", o.config, "Experiment config JSON (as written to DIR/config.json)");
  preset->excludes(config);
  // A flag that does not apply to the run (--kappa on fig2, --lr with method flow) is refused, naming why.
  add_experiment_flags(sub, o.overrides);
  sub->add_option("--out", o.out, "Run directory to write (created; a run folder there is replaced as a whole; a folder holding other files is "
                  "refused unless --force)")->required();
  sub->add_flag("--force", o.force, "Write into a --out folder that holds files polarlab did not write (they are "
                "left alone; manifest.json lists the run's files)");
  sub->add_flag("--quiet", o.quiet, "No progress line on stderr");
  sub->callback([sub] {
    if (o.preset.empty() && o.config.empty())
      throw ConfigError("--preset/--config", "give one of --preset NAME or --config FILE");
    run(o);
    (void)sub;
  });
});

}  // namespace
}  // namespace polarlab::cli
