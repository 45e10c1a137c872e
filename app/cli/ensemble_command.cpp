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
#include "core/experiment/presets.hpp"
#include "core/io/atomic_file.hpp"

namespace polarlab::cli {
namespace {

struct EnsembleCliOptions {
  std::string preset, out, kappa_range, method = "flow";
  int count = 1000;
  std::optional<double> t_end, lr;
  std::optional<long long> steps, dim;
  long long first_seed = 0;
  int threads = 0;
  double threshold = 0.9;
  bool quiet = false;
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
  nlohmann::json overrides = {{"method", o.method}};
  if (o.t_end) overrides["t_end"] = *o.t_end;
  if (o.lr) overrides["lr"] = *o.lr;
  if (o.steps) overrides["steps"] = *o.steps;
  if (o.dim) overrides["D"] = *o.dim;
  const ExperimentConfig base = resolve_preset(o.preset, overrides);
  EnsembleOptions opt;
  if (o.count < 1 || o.count > 10'000'000) throw ConfigError("--count", "must be between 1 and 10000000");
  opt.count = o.count;
  opt.first_seed = static_cast<std::uint32_t>(o.first_seed);
  opt.threads = o.threads;
  opt.polarized_threshold = o.threshold;
  if (!o.kappa_range.empty()) opt.kappas = parse_range(o.kappa_range);
  if (!o.kappa_range.empty() && base.model != ModelKind::regression)
    std::fprintf(stderr, "polarlab-cli: note: κ only changes the regression model; '%s' ignores it\n", o.preset.c_str());

  const double t0 = monotonic_seconds();
  std::atomic<double> last{0.0};
  auto progress = [&](std::size_t done, std::size_t total) {
    const double now = monotonic_seconds() - t0;
    double prev = last.load();
    if (o.quiet || now < 1.0 || now - prev < 1.0 || !last.compare_exchange_strong(prev, now)) return;
    std::fprintf(stderr, "[ensemble %s] %zu / %zu runs (%.1f s)\n", o.preset.c_str(), done, total, now);
  };
  const EnsembleResult res = run_ensemble(base, opt, nullptr, progress);

  std::filesystem::create_directories(o.out);
  write_file_atomically(o.out + "/members.csv", [&](std::ostream& out) {
    out << std::setprecision(17) << "kappa,seed,max_s,entropy,loss,winner,predicted_winner,status\n";
    for (const auto& m : res.members)
      out << m.kappa << ',' << m.seed << ',' << m.max_s << ',' << m.entropy << ',' << m.loss << ',' << m.winner << ','
          << m.predicted_winner << ',' << (m.ok ? "ok" : "failed") << '\n';
  });
  nlohmann::json js = nlohmann::json::array();
  write_file_atomically(o.out + "/summary.csv", [&](std::ostream& out) {
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
  write_file_atomically(o.out + "/summary.json", [&](std::ostream& out) { out << summary.dump(2) << '\n'; });
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
  sub->add_option("--method", o.method, "flow (default) or gd")->check(CLI::IsMember({"gd", "flow"}));
  sub->add_option("--t-end", o.t_end, "Flow end time (default: the preset's)");
  sub->add_option("--steps", o.steps, "GD steps (--method gd; default: the preset's)");
  sub->add_option("--lr", o.lr, "GD learning rate (--method gd; default: the preset's)");
  sub->add_option("--dim", o.dim, "Dimension D (presets with a D sweep, e.g. fig11; default: the preset's)");
  sub->add_option("--first-seed", o.first_seed, "Seed of the first member")->check(CLI::Range(0LL, 4294967295LL));
  sub->add_option("--threads", o.threads, "Worker threads (0: all cores)");
  sub->add_option("--threshold", o.threshold, "max s above which a run counts as polarized");
  sub->add_option("--out", o.out, "Output directory (created; its files are replaced)")->required();
  sub->add_flag("--quiet", o.quiet, "No progress lines on stderr");
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli
#endif
