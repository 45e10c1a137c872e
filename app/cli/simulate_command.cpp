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
#include "core/experiment/overrides.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/io/run_directory.hpp"

namespace polarlab::cli {
namespace {

// The overrides (--kappa ... --atol) are core's (core/experiment/overrides.hpp), shared with polarlab.simulate.
struct SimulateOptions : SimulateOverrides {
  std::string preset, config, out;
  bool quiet = false;
};

ExperimentConfig resolve(const SimulateOptions& o) {
  if (!o.preset.empty()) {
    require_presets_folder();
    return resolve_simulation(o.preset, o);
  }
  return resolve_simulation_config(read_json_file(o.config), o, o.config);
}

void run(const SimulateOptions& o) {
  const ExperimentConfig cfg = resolve(o);
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
      write_run_directory(o.out, runner, {{"wall_seconds", now}});
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
  write_run_directory(o.out, runner, extra);

  const Record& r = runner.records().back();
  std::printf("%s: %s %lld %s in %.3f s; t = %.6g  loss = %.6g  max_s = %.6f  winner = %d (predicted %d)  "
              "u_winner = %.6g  -> %s\n",
              cfg.name.c_str(), runner.status().state == RunState::failed ? "stopped after" : "finished",
              static_cast<long long>(runner.steps_taken()),
              cfg.method == Method::gd ? "GD steps" : "flow steps", seconds, r.t, r.loss, r.max_s, r.winner,
              runner.facts().predicted_winner, r.u(r.winner), o.out.c_str());
  if (runner.status().state == RunState::failed) {
    std::fprintf(stderr, "polarlab-cli: %s\n", runner.status().message.c_str());
    exit_code() = kExitRunFailed;
  }
}

RegisterCommand reg("simulate", 10, [](CLI::App& app) {
  static SimulateOptions o;
  auto* sub = app.add_subcommand("simulate",
                                 "Run a preset or a config and write a run directory (config.json, initial_state.json, "
                                 "trajectory.csv, potentials.csv, summary.json; sink model: attention.csv). A flag "
                                 "left out keeps the preset's (or the config's) value");
  auto* preset = sub->add_option("--preset", o.preset, "Preset name (see 'polarlab-cli presets')");
  auto* config = sub->add_option("--config", o.config, "Experiment config JSON (as written to DIR/config.json)");
  preset->excludes(config);
  sub->add_option("--kappa", o.kappa, "Condition number of the design X (>= 1); fig3's sweep member");
  sub->add_option("--dim", o.dim, "Dimension D (tied: D; sink: T; otherwise d = p = D); fig11's sweep member");
  sub->add_option("--loss", o.loss, "Loss: logistic, square or cross_entropy");
  sub->add_option("--map", o.map, "Map: softmax, sigmoid, relu, l1, sum, l2 or relu_norm");
  sub->add_option("--method", o.method, "gd (gradient descent) or flow (adaptive Dormand-Prince)")
      ->check(CLI::IsMember({"gd", "flow"}));
  sub->add_option("--steps", o.steps, "GD steps (method gd)");
  sub->add_option("--lr", o.lr, "GD learning rate eta (method gd; t = step * eta)");
  sub->add_option("--t-end", o.t_end, "Flow end time t (method flow)");
  sub->add_option("--rtol", o.rtol, "Flow relative tolerance of the Dormand-Prince step control (method flow)");
  sub->add_option("--atol", o.atol, "Flow absolute tolerance (method flow)");
  sub->add_option("--records", o.records,
                  "Number of records on the log-spaced grid (step 0, every power of ten and the last step always "
                  "included)");
  sub->add_option("--seed", o.seed,
                  "Seed of numpy's legacy generator (MT19937): the preset's initial state, bit for bit");
  sub->add_option("--out", o.out, "Run directory to write (created; its files are replaced)")->required();
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
