// Times polarlab's dynamics; bench/run_benchmarks.sh runs it beside the numpy/scipy references and
// prints the ratios. Output: one "key value" line per measurement (seconds unless named otherwise).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#ifdef HAVE_POLARLAB_ENSEMBLE
#include "core/ensemble/ensemble.hpp"
#endif

using namespace polarlab;

namespace {
double seconds_of(const std::function<void()>& f, int repeats = 3) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

std::int64_t run(const ExperimentConfig& c) {
  Runner r(c);
  while (!r.done()) r.advance(Budget{});
  if (r.status().state != RunState::finished) std::fprintf(stderr, "run failed: %s\n", r.status().message.c_str());
  return r.steps_taken();
}

ExperimentConfig square_model(Index p, const char* method) {
  // d = p, logistic, Assumption 3.1 with the official draws: the fig2 setup at any size.
  return resolve_preset("fig2", {{"d", p}, {"p", p}, {"method", method}, {"records", 2}});
}
}  // namespace

int main(int argc, char** argv) {
  const double rtol = argc > 1 ? std::atof(argv[1]) : 1e-8;
  const double atol = argc > 2 ? std::atof(argv[2]) : 1e-10;
  const bool quick = argc > 3 && std::strcmp(argv[3], "quick") == 0;

  // 1. GD, fig2 setup, 1e6 steps.
  const double gd = seconds_of([] { run(resolve_preset("fig2")); });
  std::printf("gd_fig2_1e6_steps %.6f\n", gd);

  // 2. Flow to t = 1e6, p = 8.
  std::int64_t flow_steps = 0;
  const double flow = seconds_of([&] {
    flow_steps = run(resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e6}, {"rtol", rtol}, {"atol", atol}}));
  });
  std::printf("flow_fig2_t1e6 %.6f\nflow_fig2_t1e6_steps %lld\n", flow, static_cast<long long>(flow_steps));
  // The same integration with only the decade records: the cost of the 2000 records' observables.
  const double flow_bare = seconds_of([&] {
    run(resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e6}, {"rtol", rtol}, {"atol", atol}, {"records", 2}}));
  });
  std::printf("flow_fig2_t1e6_few_records %.6f\n", flow_bare);
  // Floating-point work of one RHS evaluation for p = d = 8: V s (2dp), Vᵀg (2dp), g sᵀ (dp), softmax ~ 20p.
  const double p = 8, flops_per_eval = 5 * p * p + 20 * p, evals = 6.0 * static_cast<double>(flow_steps);
  std::printf("flow_gflops %.4f\n", flops_per_eval * evals / flow_bare * 1e-9);

  // 3. Scaling in p (d = p).
  for (Index q : {8, 16, 32, 64, 128, 256, 512, 1024}) {
    if (quick && q > 256) break;
    const std::int64_t n = std::max<std::int64_t>(100, 4'000'000 / (q * q));
    ExperimentConfig c = square_model(q, "gd");
    c.steps = n;
    const double t = seconds_of([&] { run(c); }, 1);
    ExperimentConfig f = square_model(q, "flow");
    f.t_end = 1e3;
    std::int64_t fs = 0;
    const double tf = seconds_of([&] { fs = run(f); }, 1);
    std::printf("scaling p %lld gd_step %.3e flow_step %.3e\n", static_cast<long long>(q), t / static_cast<double>(n),
                tf / static_cast<double>(std::max<std::int64_t>(fs, 1)));
  }
  // Memory per record: the Record's vectors (s, u, a, singular values) for p = 8, plus the struct.
  const double bytes = sizeof(Record) + 4 * 8 * sizeof(double);
  std::printf("memory_per_record_p8_bytes %.0f\n", bytes);

#ifdef HAVE_POLARLAB_ENSEMBLE
  // 4. Ensemble: 1e4 initializations, p = 8, flow to t = 1e5, both cores.
  const ExperimentConfig e = resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e5}});
  const double ens = seconds_of([&] { run_ensemble(e, {.count = quick ? 1000 : 10000}); }, 1);
  std::printf("ensemble_%s_fig2_t1e5 %.4f\n", quick ? "1e3" : "1e4", ens);
#endif
  return 0;
}
