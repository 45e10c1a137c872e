// polarlab-cli figure: draw a paper figure (PNG, SVG, PDF) from a preset run or from run directories,
// and its data CSV beside it; --all regenerates every figure into a folder.
#include <cstdio>

#include "core/job/job.hpp"
#include "app/cli/command.hpp"

#ifdef HAVE_POLARLAB_FIGURE

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <sstream>

#include "app/cli/assets.hpp"
#include "app/cli/checked_flags.hpp"
#include "core/experiment/presets.hpp"
#include "core/figure/figure.hpp"

namespace polarlab::cli {
namespace {

namespace pf = polarlab::figure;

struct FigureOptions {
  std::string preset, kind, out, out_dir, style = "paper", method;
  std::vector<std::string> runs, maps, losses, formats{"png", "svg", "pdf"};
  std::vector<double> kappas;
  std::vector<long long> dims;
  std::optional<long long> steps, records;
  double dpi = 300;
  bool all = false;
  std::vector<std::string> given;  // the flags on the command line ("--kappa", ...)
  bool has(const std::string& flag) const { return std::find(given.begin(), given.end(), flag) != given.end(); }
};

// A flag that would be silently ignored is refused, naming why (issue 25).
void check_flags_apply(const FigureOptions& o) {
  auto refuse_with = [&](const char* flag, const std::string& why) {
    if (o.has(flag)) throw ConfigError(flag, why);
  };
  if (o.all) {
    for (const char* f : {"--out", "--preset", "--kind", "--run", "--kappa", "--dim", "--map", "--loss"})
      refuse_with(f, "not used with --all (which draws every figure of every preset into --out-dir)");
  } else {
    for (const char* f : {"--out-dir", "--format"})
      refuse_with(f, "only used with --all; for one figure give --out FILE.{png,svg,pdf}");
  }
  if (!o.runs.empty())
    for (const char* f : {"--kappa", "--dim", "--map", "--loss", "--steps", "--records", "--method"})
      refuse_with(f, "applies when a preset is run; with --run the run directories are drawn as they are");
}

bool near(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

// Overrides shared by every member; the sweep filters stay out so that all members still resolve.
nlohmann::json overrides_of(const FigureOptions& o) {
  nlohmann::json j = nlohmann::json::object();
  if (o.steps) j["steps"] = *o.steps;
  if (o.records) j["records"] = *o.records;
  if (!o.method.empty()) j["method"] = o.method;
  return j;
}

std::function<bool(const ExperimentConfig&)> member_filter(const FigureOptions& o) {
  return [o](const ExperimentConfig& c) {
    if (!o.kappas.empty() &&
        std::none_of(o.kappas.begin(), o.kappas.end(), [&](double k) { return near(k, c.kappa); }))
      return false;
    if (!o.dims.empty() && std::none_of(o.dims.begin(), o.dims.end(), [&](long long d) { return d == c.p; }))
      return false;
    if (!o.maps.empty() && std::find(o.maps.begin(), o.maps.end(), map_name(c.map)) == o.maps.end()) return false;
    if (!o.losses.empty() && std::find(o.losses.begin(), o.losses.end(), loss_name(c.loss)) == o.losses.end())
      return false;
    return true;
  };
}

// "1000000 of the preset's 10000000 GD steps" when --steps shortened the run, for the caption and CSV.
std::string steps_note(const std::string& preset, const FigureOptions& o) {
  if (!o.steps) return "";
  const ExperimentConfig full = resolve_preset(preset);
  if (full.method != Method::gd || full.steps == *o.steps) return "";
  std::ostringstream s;
  s << "Run with " << *o.steps << " of the preset's " << full.steps << " GD steps (--steps).";
  return s.str();
}

std::vector<pf::RunData> run_members(const std::string& preset, const FigureOptions& o, double& seconds) {
  const double t0 = monotonic_seconds();
  auto runs = pf::run_preset(preset, overrides_of(o), member_filter(o));
  seconds = monotonic_seconds() - t0;
  if (runs.empty()) throw ConfigError("--kappa/--dim/--map/--loss", "no member of preset '" + preset + "' matches");
  return runs;
}

// Renders one figure to every requested path and reports the timings.
void draw(const std::string& label, const std::string& kind, const std::vector<pf::RunData>& runs,
          const std::vector<std::string>& paths, const pf::RenderOptions& base, const std::string& note,
          double run_seconds) {
  double t0 = monotonic_seconds();
  pf::Figure fig = pf::build_figure(kind, runs, note);
  const double build_s = monotonic_seconds() - t0;
  std::string timing;
  char buf[96];
  for (const std::string& path : paths) {
    pf::RenderOptions opt = base;
    opt.format = pf::format_from_path(path);
    if (auto dir = std::filesystem::path(path).parent_path(); !dir.empty()) std::filesystem::create_directories(dir);
    t0 = monotonic_seconds();
    pf::render(fig, path, opt);
    std::snprintf(buf, sizeof buf, "%s %.3f s, ", pf::format_extension(opt.format).c_str(), monotonic_seconds() - t0);
    timing += buf;
  }
  const std::string csv = pf::csv_path_for(paths.front());
  t0 = monotonic_seconds();
  pf::write_figure_csv(fig, csv);
  std::snprintf(buf, sizeof buf, "csv %.3f s", monotonic_seconds() - t0);
  timing += buf;
  std::printf("%-12s %zu run(s) %.3f s; build %.3f s; %s -> %s", label.c_str(), runs.size(), run_seconds, build_s,
              timing.c_str(), paths.front().c_str());
  for (std::size_t i = 1; i < paths.size(); ++i) std::printf(", %s", paths[i].c_str());
  std::printf(", %s\n", csv.c_str());
  std::fflush(stdout);
}

void run_all(const FigureOptions& o, const pf::RenderOptions& opt) {
  if (o.out_dir.empty()) throw ConfigError("--out-dir", "--all needs --out-dir DIR");
  for (const auto& f : o.formats) {
    try {
      pf::format_from_path("x." + f);
    } catch (const ConfigError&) {
      throw ConfigError("--format", "unknown format '" + f + "'; one of: png, svg, pdf");
    }
  }
  checked::check_writable_folder(o.out_dir, "--out-dir");  // before any preset is run
  auto paths = [&](const std::string& stem) {
    std::vector<std::string> p;
    // One separator whatever --out-dir ends with ("figs", "figs/", "figs//").
    for (const auto& f : o.formats)
      p.push_back((std::filesystem::path(o.out_dir) / (stem + "." + f)).lexically_normal().string());
    return p;
  };
  FigureOptions plain = o;  // --all draws every member
  plain.kappas.clear(), plain.dims.clear(), plain.maps.clear(), plain.losses.clear();
  double s = 0;
  for (const std::string preset : {"fig2", "fig3", "fig10", "fig11", "fig13", "sink"}) {
    const auto runs = run_members(preset, plain, s);
    const std::string note = steps_note(preset, o);
    if (preset == "fig3") {
      draw("fig12", "fig3", runs, paths("fig12"), opt, note, s);
      std::vector<pf::RunData> two;  // the paper's Figure 3: κ = 1 and 5
      for (const auto& r : runs)
        if (near(r.config.kappa, 1) || near(r.config.kappa, 5)) two.push_back(r);
      draw("fig3", "fig3", two, paths("fig3"), opt, note, 0);
      draw("fig12_theory", "theory", runs, paths("fig12_theory"), opt, note, 0);
    } else {
      draw(preset, preset, runs, paths(preset), opt, note, s);
      if (preset == "fig2") draw("fig2_theory", "theory", runs, paths("fig2_theory"), opt, note, 0);
    }
  }
}

void run(const FigureOptions& o) {
  pf::RenderOptions opt;
  opt.style = pf::style_by_name(o.style);
  opt.dpi = o.dpi;
  if (!(o.dpi >= 10 && o.dpi <= 2400)) throw ConfigError("--dpi", "must be in [10, 2400]");
  check_flags_apply(o);
  if (o.all || o.runs.empty()) require_presets_folder();  // the presets are run (--run DIR reads no assets)
  if (o.all) return run_all(o, opt);
  if (o.out.empty()) throw ConfigError("--out", "give --out FILE.{png,svg,pdf} (or --all --out-dir DIR)");
  pf::format_from_path(o.out);
  // The figure's folder (and the CSV's, beside it) writable before any preset is run.
  checked::check_writable_file(o.out, "--out", {});
  std::string kind = o.kind.empty() ? "" : pf::canonical_kind(o.kind);
  std::vector<pf::RunData> runs;
  double s = 0;
  std::string note;
  if (!o.runs.empty()) {
    const double t0 = monotonic_seconds();
    for (const auto& dir : o.runs) runs.push_back(pf::read_run_directory(dir));
    s = monotonic_seconds() - t0;
    if (kind.empty()) kind = pf::default_kind_for_preset(o.preset.empty() ? runs.front().config.name : o.preset);
  } else {
    if (o.preset.empty()) throw ConfigError("--preset", "give --preset NAME or --run DIR");
    const std::string preset = o.preset == "fig12" ? "fig3" : o.preset;
    if (kind.empty()) kind = pf::default_kind_for_preset(o.preset);
    runs = run_members(preset, o, s);
    note = steps_note(preset, o);
  }
  draw(kind, kind, runs, {o.out}, opt, note, s);
}

RegisterCommand reg("figure", 30, [](CLI::App& app) {
  static FigureOptions o;
  auto* sub = app.add_subcommand("figure", "Draw a paper figure (PNG/SVG/PDF) and its data CSV");
  sub->add_option("--preset", o.preset, "Preset to run: fig2, fig3 (= fig12, all five kappa), fig10, fig11, fig13, sink");
  sub->add_option("--kind", o.kind, "Figure to draw (default: the preset's): fig2, fig3, fig12, fig10, fig11, fig13, "
                                    "sink, theory (Phi_ij, int gamma, Theorem 3.3(b) bound)");
  sub->add_option("--run", o.runs, "Run directory written by 'simulate' (repeat for sweep members); the preset is not run");
  sub->add_option("--kappa", o.kappas, "Only these kappa of fig3 (e.g. --kappa 1 5 for the paper's Figure 3)")
      ->check(real_in(1, 1e6));
  sub->add_option("--dim", o.dims, "Only these D of fig11")->check(integer_in(1, 1000000));
  sub->add_option("--map", o.maps, "Only these maps of fig13 (softmax, sigmoid, relu, l1, sum, l2, relu_norm)");
  sub->add_option("--loss", o.losses, "Only these losses of fig13 (square, logistic)");
  sub->add_option("--steps", o.steps, "GD steps instead of the preset's (noted in the caption and CSV)")
      ->check(integer_in(1, 1000000000000LL));
  sub->add_option("--records", o.records, "Number of records on the log-spaced grid (default: the preset's)")
      ->check(integer_in(2, 10000000));
  sub->add_option("--method", o.method, "gd or flow (default: the preset's)")->check(CLI::IsMember({"gd", "flow"}));
  sub->add_option("--out", o.out, "Output file: .png, .svg or .pdf (the CSV goes beside it)");
  sub->add_option("--style", o.style, "paper (serif, thin lines) or slides (large text)")
      ->check(CLI::IsMember({"paper", "slides"}));
  sub->add_option("--dpi", o.dpi, "PNG resolution (default 300)")->check(real_in(10, 2400));
  sub->add_flag("--all", o.all, "Regenerate every figure into --out-dir");
  sub->add_option("--out-dir", o.out_dir, "Folder for --all");
  sub->add_option("--format", o.formats, "Formats for --all, comma-separated or repeated: png, svg, pdf")
      ->delimiter(',');
  sub->callback([sub] {
    o.given.clear();
    for (const CLI::Option* opt : sub->get_options())
      if (opt->count() > 0) o.given.push_back(opt->get_name());
    run(o);
  });
});

}  // namespace
}  // namespace polarlab::cli

#else  // built without cairo

namespace polarlab::cli {
namespace {
RegisterCommand reg("figure", 30, [](CLI::App& app) {
  auto* sub = app.add_subcommand("figure", "Draw a paper figure (unavailable: built without libcairo2-dev)");
  sub->allow_extras();
  sub->callback([] {
    std::fprintf(stderr, "polarlab-cli: figure: this build has no Cairo (apt install libcairo2-dev, then rebuild)\n");
    exit_code() = kExitBadInput;
  });
});
}  // namespace
}  // namespace polarlab::cli

#endif
