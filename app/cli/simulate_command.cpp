// polarlab-cli simulate: run a preset or a config headless and write a run directory.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>

#include "app/cli/command.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/io/run_directory.hpp"

namespace polarlab::cli {
namespace {

struct SimulateOptions {
  std::string preset, config, out, loss, map, method;
  std::optional<double> kappa, lr, t_end, rtol, atol;
  std::optional<long long> dim, steps, records, seed;
  bool quiet = false;
};

nlohmann::json overrides_of(const SimulateOptions& o, const std::string& model) {
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

ExperimentConfig resolve(const SimulateOptions& o) {
  if (!o.preset.empty()) {
    const auto preset = load_preset_json(o.preset);
    const std::string model = preset.value("config", nlohmann::json::object()).value("model", "value_softmax");
    return resolve_preset(o.preset, overrides_of(o, model));
  }
  nlohmann::json cfg = read_json_file(o.config);
  if (!cfg.is_object()) throw ConfigError("config", "'" + o.config + "' must hold a JSON object");
  const nlohmann::json overrides = overrides_of(o, cfg.value("model", "value_softmax"));
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

void run(const SimulateOptions& o) {
  const ExperimentConfig cfg = resolve(o);
  Runner runner(cfg);
  const bool tty = ::isatty(STDERR_FILENO);
  const auto t0 = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
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
  auto* sub = app.add_subcommand("simulate", "Run a preset or a config and write a run directory");
  auto* preset = sub->add_option("--preset", o.preset, "Preset name (see 'polarlab-cli presets')");
  auto* config = sub->add_option("--config", o.config, "Experiment config JSON (as written to DIR/config.json)");
  preset->excludes(config);
  sub->add_option("--kappa", o.kappa, "Condition number of the design X (>= 1); fig3's sweep member");
  sub->add_option("--dim", o.dim, "Dimension D (tied: D; sink: T; otherwise d = p = D); fig11's sweep member");
  sub->add_option("--loss", o.loss, "Loss: logistic, square, cross_entropy");
  sub->add_option("--map", o.map, "Map: softmax, sigmoid, relu, l1, sum, l2, relu_norm");
  sub->add_option("--method", o.method, "gd (gradient descent) or flow (adaptive Dormand-Prince)")
      ->check(CLI::IsMember({"gd", "flow"}));
  sub->add_option("--steps", o.steps, "GD steps");
  sub->add_option("--lr", o.lr, "GD learning rate eta");
  sub->add_option("--t-end", o.t_end, "Flow end time");
  sub->add_option("--rtol", o.rtol, "Flow relative tolerance");
  sub->add_option("--atol", o.atol, "Flow absolute tolerance");
  sub->add_option("--records", o.records, "Number of log-spaced records");
  sub->add_option("--seed", o.seed, "numpy-legacy seed");
  sub->add_option("--out", o.out, "Output directory")->required();
  sub->add_flag("--quiet", o.quiet, "No progress line");
  sub->callback([sub] {
    if (o.preset.empty() && o.config.empty())
      throw ConfigError("--preset/--config", "give one of --preset NAME or --config FILE");
    run(o);
    (void)sub;
  });
});

}  // namespace
}  // namespace polarlab::cli
