// polarlab-cli ensemble: many seeds (and optionally a range of κ) of one preset, in parallel.
#ifdef HAVE_POLARLAB_ENSEMBLE
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <sstream>

#include "core/job/job.hpp"
#include "app/cli/assets.hpp"
#include "app/cli/command.hpp"
#include "core/ensemble/ensemble.hpp"
#include "app/cli/experiment_flags.hpp"
#include "core/experiment/presets.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/owned_folder.hpp"

namespace polarlab::cli {
namespace {

struct EnsembleCliOptions {
  ExperimentOverrides overrides;  // the experiment field table's flags (method defaults to flow here)
  std::string preset, out, kappa_range;
  int count = 1000;
  long long first_seed = 0;
  int threads = 0;
  double threshold = 0.9;
  bool quiet = false, force = false;
};

std::vector<double> parse_range(const std::string& text) {
  // a:b:n → n values evenly spaced from a to b.
  double a = 0, b = 0;
  long long n = 0;
  char c1 = 0, c2 = 0;
  std::istringstream in(text);
  if (!(in >> a >> c1 >> b >> c2 >> n) || c1 != ':' || c2 != ':' || n < 1 || n > 10000 || !in.eof())
    throw ConfigError("--kappa-range", "expected a:b:n (e.g. 1:10:10), got '" + text + "'");
  std::vector<double> out;
  for (long long i = 0; i < n; ++i) out.push_back(n == 1 ? a : a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1));
  return out;
}

void run(const EnsembleCliOptions& o) {
  require_presets_folder();
  ExperimentOverrides overrides = o.overrides;
  if (!overrides.has("method")) overrides.set_text("method", "flow", "--method");  // ensembles default to the flow
  const ExperimentConfig base = resolve_experiment(o.preset, overrides);
  EnsembleOptions opt;
  opt.count = o.count;
  opt.first_seed = o.first_seed;
  opt.threads = o.threads;
  opt.polarized_threshold = o.threshold;
  if (!o.kappa_range.empty()) opt.kappas = parse_range(o.kappa_range);
  check_ensemble_options(base, opt);  // before any member runs: a κ range on fig2, seeds past 2³² − 1, ...

  const double t0 = monotonic_seconds();
  std::atomic<double> last{0.0};
  auto progress = [&](std::size_t done, std::size_t total) {
    const double now = monotonic_seconds() - t0;
    double prev = last.load();
    if (o.quiet || now < 1.0 || now - prev < 1.0 || !last.compare_exchange_strong(prev, now)) return;
    std::fprintf(stderr, "[ensemble %s] %zu / %zu runs (%.1f s)\n", o.preset.c_str(), done, total, now);
  };
  check_output_folder(o.out, "--out", "ensemble", o.force);  // before the runs, not after them
  const EnsembleResult res = run_ensemble(base, opt, nullptr, progress);

  // The three files replace the folder as a whole (manifest.json lists them).
  write_owned_folder(o.out, "ensemble", [&](const std::string& dir) {
    write_file_atomically(dir + "/members.csv", [&](std::ostream& out) {
      out << std::setprecision(17) << "kappa,seed,max_s,entropy,loss,winner,predicted_winner,status\n";
      for (const auto& m : res.members)
        out << m.kappa << ',' << m.seed << ',' << m.max_s << ',' << m.entropy << ',' << m.loss << ',' << m.winner << ','
            << m.predicted_winner << ',' << (m.ok ? "ok" : "failed") << '\n';
    });
    nlohmann::json js = nlohmann::json::array();
    write_file_atomically(dir + "/summary.csv", [&](std::ostream& out) {
      out << std::setprecision(10)
          << "kappa,count,failed,p_polarized,p_predicted_winner,max_s_mean,max_s_q10,max_s_q50,max_s_q90\n";
      for (const auto& s : res.summaries) {
        out << s.kappa << ',' << s.count << ',' << s.failed << ',' << s.p_polarized << ',' << s.p_predicted_winner << ','
            << s.max_s_mean << ',' << s.max_s_q10 << ',' << s.max_s_q50 << ',' << s.max_s_q90 << '\n';
        js.push_back({{"kappa", s.kappa}, {"count", s.count}, {"failed", s.failed}, {"p_polarized", s.p_polarized},
                      {"p_predicted_winner", s.p_predicted_winner}, {"max_s_mean", s.max_s_mean},
                      {"max_s_q50", s.max_s_q50}});
      }
    });
    const nlohmann::json summary = {{"preset", o.preset}, {"base_config", config_to_json(base)}, {"count", o.count},
                                    {"threshold", o.threshold}, {"seconds", res.seconds}, {"per_kappa", js}};
    write_file_atomically(dir + "/summary.json", [&](std::ostream& out) { out << summary.dump(2) << '\n'; });
  });
  std::printf("%s: %zu runs in %.3f s\n", o.preset.c_str(), res.members.size(), res.seconds);
  std::printf("%10s %8s %12s %20s %10s\n", "kappa", "runs", "P(max s>" "thr)", "P(winner=argmax u0)", "median s");
  for (const auto& s : res.summaries)
    std::printf("%10.4g %8d %12.4f %20.4f %10.4f\n", s.kappa, s.count, s.p_polarized, s.p_predicted_winner, s.max_s_q50);
}

RegisterCommand reg("ensemble", 40, [](CLI::App& app) {
  static EnsembleCliOptions o;
  auto* sub = app.add_subcommand("ensemble", "Integrate many initializations of a preset in parallel (phase "
                                             "diagram); writes members.csv, summary.csv and summary.json");
  sub->add_option("--preset", o.preset, "Preset name (see 'polarlab-cli presets')")->required();
  sub->add_option("--count", o.count, "Initializations per kappa (seeds first-seed .. first-seed+count-1)");
  sub->add_option("--kappa-range", o.kappa_range,
                  "a:b:n: n condition numbers kappa evenly spaced from a to b (regression presets, e.g. fig3; "
                  "default: the preset's)");
  // --method (default here: flow), --t-end, --steps, --lr, --dim, ...: the experiment table's flags (a value
  // left out keeps the preset's); one that does not apply (--lr with the flow) is refused.
  add_experiment_flags(sub, o.overrides, {"loss", "map", "method", "steps", "lr", "t_end", "rtol", "atol", "dim"});
  sub->add_option("--first-seed", o.first_seed,
                  "Seed of the first member; every seed up to first-seed + count - 1 must stay <= 4294967295")
      ->check(CLI::Range(0LL, 4294967295LL));
  sub->add_option("--threads", o.threads, "Worker threads (0: all cores)")->check(CLI::Range(0, 256));
  sub->add_option("--threshold", o.threshold, "max s above which a run counts as polarized, in (0, 1)");
  sub->add_option("--out", o.out, "Output directory (created; an ensemble folder there is replaced as a whole; a "
                                  "folder holding other files is refused unless --force)")
      ->required();
  sub->add_flag("--force", o.force, "Write into a --out folder that holds files polarlab did not write (they are "
                "left alone; manifest.json lists the ensemble's files)");
  sub->add_flag("--quiet", o.quiet, "No progress lines on stderr");
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli
#endif
