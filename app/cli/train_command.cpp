// polarlab-cli train: train one transformer of spec §7 (induction or classification) and write a run directory.
// Compiles to nothing when the transformer lab is not built (no libtorch).
#ifdef HAVE_POLARLAB_TRANSFORMER
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <limits>
#include <optional>
#include <variant>

#include "app/cli/command.hpp"
#include "core/io/owned_folder.hpp"
#include "core/transformer/config_table.hpp"
#include "core/transformer/train_run.hpp"
#include "core/types.hpp"
#include "core/util/checked_values.hpp"

namespace polarlab::cli {
namespace {
namespace tf = polarlab::transformer;

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

// The config's flags come from the field table (core/transformer/config_table.hpp): each flag's value is kept
// as given and set through the table, so a flag, its config.json key and its sweep parameter cannot drift apart.
struct FlagValue {
  const tf::ConfigField* field = nullptr;
  std::optional<long long> integer;
  std::optional<double> real;
  std::optional<std::string> text;
  std::vector<int> integers;
  bool set_true = false, set_false = false;
};

struct TrainOptions {
  std::vector<FlagValue> flags;  // one per table row with a flag, in table order
  std::string out;
  bool resume = false, quiet = false, force = false;
};

tf::TrainConfig config_of(const TrainOptions& o) {
  std::vector<tf::GivenValue> values;
  for (const FlagValue& f : o.flags) {
    if (f.integer) values.push_back({f.field, *f.integer, f.field->flag});
    if (f.real) values.push_back({f.field, *f.real, f.field->flag});
    if (f.text) values.push_back({f.field, *f.text, f.field->flag});
    if (!f.integers.empty()) values.push_back({f.field, f.integers, f.field->flag});
    if (f.set_true) values.push_back({f.field, true, f.field->flag});
    // Both --causal and --non-causal: train_config_from_values refuses the pair, naming both.
    if (f.set_false) values.push_back({f.field, false, f.field->negated_flag});
  }
  tf::TrainConfig c = tf::train_config_from_values(values);
  try {
    tf::validate(c);
  } catch (const ConfigError& e) {
    // validate() names config.json keys; the message names the flag the user typed (or would type).
    const tf::ConfigField* f = tf::field_by_key(e.field);
    if (!f || (f->flag.empty() && f->negated_flag.empty())) throw;
    std::string why = e.what();
    if (why.rfind(e.field + ": ", 0) == 0) why = why.substr(e.field.size() + 2);
    throw ConfigError(f->flag.empty() ? f->negated_flag : f->flag, why);
  }
  return c;
}

void run(const TrainOptions& o) {
  const tf::TrainConfig cfg = config_of(o);
  // Before the data and the model are built (seconds to minutes): an --out that cannot be written is refused now.
  checked::check_writable_folder(o.out, "--out");
  check_output_folder(o.out, "--out", "train", o.force);  // and not someone else's folder
  g_interrupted = false;
  auto previous = std::signal(SIGINT, on_interrupt);
  const bool tty = ::isatty(STDERR_FILENO);
  double last_print = -1e9;
  bool printed = false;
  tf::TrainRunOptions ro;
  ro.out = o.out;
  ro.resume = o.resume;
  ro.force = o.force;
  ro.cancel = &g_interrupted;
  ro.report = [&](const tf::Progress& p, const tf::MetricsRow* row) {
    if (o.quiet) return;
    const double s = p.seconds.load();
    if (!row && s - last_print < (tty ? 0.5 : 10.0)) return;
    last_print = s;
    printed = true;
    std::fprintf(stderr, "%s[train %s %s] %5.1f%%  step %lld/%lld  %.0f s  eta %.0f s", tty ? "\r" : "",
                 tf::name_of(cfg.task).c_str(), tf::name_of(cfg.attention).c_str(), 100.0 * p.fraction(), p.step.load(), p.total.load(), s,
                 p.eta_seconds.load());
    if (row) std::fprintf(stderr, "  loss %.4f  eval %.4f  acc %.3f", row->train_loss, row->eval_loss, row->eval_accuracy);
    std::fprintf(stderr, "%s", tty ? "\033[K" : "\n");
    std::fflush(stderr);
  };
  tf::TrainRunResult r;
  try {
    r = tf::train_to_directory(cfg, ro);
  } catch (...) {
    std::signal(SIGINT, previous);
    throw;
  }
  std::signal(SIGINT, previous);
  if (printed && tty) std::fprintf(stderr, "\n");
  const auto& s = r.summary;
  std::printf("train %s/%s: %s after %lld/%lld steps on %s (%.4f s/step); eval accuracy %.4f, eval loss %.4g",
              tf::name_of(cfg.task).c_str(), tf::name_of(cfg.attention).c_str(), tf::name_of(r.state), s["steps"].get<long long>(),
              s["total_steps"].get<long long>(), s["device"].get<std::string>().c_str(),
              s["seconds_per_step"].get<double>(), s["eval_accuracy"].get<double>(),
              s["eval_loss"].is_number() ? s["eval_loss"].get<double>() : NAN);
  if (s.contains("sink_scores") && !s["sink_scores"].empty()) {
    const auto& last = s["sink_scores"].back();
    std::printf("; layer-%zu sink scores", s["sink_scores"].size());
    for (const auto& v : last) std::printf(" %.3f", v.is_number() ? v.get<double>() : NAN);
  }
  if (s.contains("flip_rate")) std::printf("; flip rate %.3f", s["flip_rate"].get<double>());
  std::printf(" -> %s\n", o.out.c_str());
  if (r.state == tf::TrainState::cancelled) {
    std::fprintf(stderr, "polarlab-cli: interrupted; resume with --resume --out %s\n", o.out.c_str());
    exit_code() = 130;
  }
}

RegisterCommand reg("train", 30, [](CLI::App& app) {
  static TrainOptions o;
  auto* sub = app.add_subcommand("train", "Train a transformer of the paper's section 4 (libtorch) and write a run directory");
  for (const tf::ConfigField& f : tf::config_fields())
    if (!f.flag.empty() || !f.negated_flag.empty()) o.flags.push_back({&f});
  CLI::Option* steps = nullptr;
  CLI::Option* epochs = nullptr;
  for (FlagValue& v : o.flags) {
    const tf::ConfigField& f = *v.field;
    CLI::Option* opt = nullptr;
    switch (f.type) {
      case tf::FieldType::boolean:
        if (!f.flag.empty()) sub->add_flag(f.flag, v.set_true, f.help);
        if (!f.negated_flag.empty()) sub->add_flag(f.negated_flag, v.set_false, f.negated_help);
        break;
      case tf::FieldType::integer: opt = sub->add_option(f.flag, v.integer, f.help); break;
      case tf::FieldType::real: opt = sub->add_option(f.flag, v.real, f.help); break;
      case tf::FieldType::text: opt = sub->add_option(f.flag, v.text, f.help); break;
      case tf::FieldType::integers: opt = sub->add_option(f.flag, v.integers, f.help); break;
    }
    if (opt && f.flag_checks_choices) opt->check(CLI::IsMember(f.choices));
    // Numbers parsed strictly against the table's range before CLI11 converts them (CLI11 takes "nan" and "inf"
    // for a double and saturates a 20-digit integer); the message names the flag.
    if (opt && (f.type == tf::FieldType::integer || f.type == tf::FieldType::real ||
                f.type == tf::FieldType::integers)) {
      const tf::ConfigField* field = &f;
      opt->check(CLI::Validator([field](std::string& text) { return tf::text_refusal(*field, text); },
                                "in " + tf::range_text(f)));
    }
    // The default shown by --help and docs/cli.md: TrainConfig's, unless it depends on the task or the machine
    // (resolve_defaults fills it in) or the help text already says it.
    // A default outside the flag's range (steps' 0: "use epochs") is not a value to type, so it is not shown.
    if (opt && f.help.find("default") == std::string::npos) {
      const nlohmann::json d = tf::field_value(f, tf::TrainConfig{});
      if (!d.is_null() && d == tf::field_value(f, tf::resolve_defaults(tf::TrainConfig{})) &&
          tf::value_refusal(f, d).empty())
        opt->default_str(d.is_string() ? d.get<std::string>() : d.dump());
    }
    if (f.key == "steps") steps = opt;
    if (f.key == "epochs") epochs = opt;
  }
  if (steps && epochs) steps->excludes(epochs);
  sub->add_option("--out", o.out, "Output directory (created; a fresh run removes the previous run's files there; a "
                                  "folder holding other files is refused unless --force)")
      ->required();
  sub->add_flag("--force", o.force, "Write into a --out folder that holds files polarlab did not write (they are "
                                    "left alone; manifest.json lists the run's files)");
  sub->add_flag("--resume", o.resume, "Continue from OUT/checkpoint.pt when it exists");
  sub->add_flag("--quiet", o.quiet, "No progress line");
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli
#endif  // HAVE_POLARLAB_TRANSFORMER
