// Render time of every paper figure given its run data (the runs themselves are not timed).
// Usage: polarlab_figure_bench [--full] [--reps N] [--dpi D]
//   --full   run every preset as written (fig10: 1e7 GD steps); default fig10 runs 1e6 steps,
//            which yields the same number of records and so the same rendering work.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_cli.hpp"
#include "core/figure/figure.hpp"

namespace pf = polarlab::figure;

namespace {
double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}
}  // namespace

int main(int argc, char** argv) {
  bool full = false;
  int reps = 5;
  double dpi = 300;
  CLI::App app{"Render time of every paper figure (build, PNG, SVG, PDF, CSV) from its run data; exits 1 when the "
               "slowest figure takes 1 s or more.",
               "polarlab_figure_bench"};
  app.add_flag("--full", full, "Run every preset as written (fig10: 1e7 GD steps; default 1e6, the same records)");
  app.add_option("--reps", reps, "Repeats per figure (the median is shown)")->check(polarlab::bench::integer_in(1, 1000))->capture_default_str();
  app.add_option("--dpi", dpi, "PNG resolution")->check(polarlab::bench::real_in(10.0, 2400.0))->capture_default_str();
  if (const int code = polarlab::bench::parse(app, argc, argv); code >= 0) return code;
  return polarlab::bench::run_main("polarlab_figure_bench", [&] {
  struct Case {
    std::string name, preset, kind;
  };
  const std::vector<Case> cases = {{"fig2", "fig2", "fig2"},    {"fig2_theory", "fig2", "theory"},
                                   {"fig12", "fig3", "fig3"},   {"fig12_theory", "fig3", "theory"},
                                   {"fig10", "fig10", "fig10"}, {"fig11", "fig11", "fig11"},
                                   {"fig13", "fig13", "fig13"}, {"sink", "sink", "sink"}};
  std::printf("%-13s %6s %8s %9s %9s %9s %9s %9s  (median of %d, ms; PNG at %g dpi)\n", "figure", "runs", "records",
              "build", "png", "svg", "pdf", "csv", reps, dpi);
  std::string last_preset;
  std::vector<pf::RunData> runs;
  double worst = 0;
  for (const Case& c : cases) {
    if (c.preset != last_preset) {
      nlohmann::json o = nlohmann::json::object();
      if (c.preset == "fig10" && !full) o["steps"] = 1000000;
      runs = pf::run_preset(c.preset, o);
      last_preset = c.preset;
    }
    std::size_t records = 0;
    for (const auto& r : runs) records += r.records.size();
    std::vector<double> tb, tp, ts, td, tc;
    for (int k = 0; k < reps; ++k) {
      double t0 = now();
      const pf::Figure f = pf::build_figure(c.kind, runs);
      tb.push_back(now() - t0);
      for (auto [fmt, vec] : {std::pair{pf::Format::png, &tp}, {pf::Format::svg, &ts}, {pf::Format::pdf, &td}}) {
        pf::RenderOptions opt;
        opt.format = fmt;
        opt.dpi = dpi;
        t0 = now();
        const std::string bytes = pf::render_to_bytes(f, opt);
        vec->push_back(now() - t0);
        if (bytes.empty()) return 1;
      }
      t0 = now();
      const std::string csv = pf::figure_csv(f);
      tc.push_back(now() - t0);
    }
    const double b = median(tb) * 1e3, p = median(tp) * 1e3, s = median(ts) * 1e3, d = median(td) * 1e3,
                 cs = median(tc) * 1e3;
    worst = std::max({worst, b + p + cs, b + s + cs, b + d + cs});
    std::printf("%-13s %6zu %8zu %9.1f %9.1f %9.1f %9.1f %9.1f\n", c.name.c_str(), runs.size(), records, b, p, s, d,
                cs);
  }
  std::printf("slowest figure (build + one format + csv): %.1f ms\n", worst);
  return worst < 1000 ? 0 : 1;
  });
}
