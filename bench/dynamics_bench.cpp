// Times polarlab's dynamics; bench/run_benchmarks.sh runs it beside the numpy/scipy references and
// prints the ratios. Output: one "key value" line per measurement (seconds unless named otherwise), plus
// "scaling ..." lines. Every timing is the best of a few repeats (the machine is shared).
//
// Floating-point work is counted as +, −, ×, ÷ (exp and log1p not counted); the machine's limit is measured
// here with in-process multiply–add loops: the SSE2 mul+add peak (the instruction set polarlab is built for,
// no -march) and, where the CPU has them, the AVX2 and AVX-512 FMA peaks (dispatched at run time, used
// only by the peak loops).
//
// Usage: dynamics_bench [RTOL [ATOL [quick]]] [--quick]   (--help lists the flags; bench/run_benchmarks.sh
// passes RTOL ATOL and $QUICK, which may be empty)
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>

#include "bench/bench_cli.hpp"
#include "core/dynamics/dopri5.hpp"
#include "core/experiment/experiment.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#ifdef HAVE_POLARLAB_ENSEMBLE
#include "core/ensemble/ensemble.hpp"
#endif

using namespace polarlab;

namespace {
using Clock = std::chrono::steady_clock;

double seconds_of(const std::function<void()>& f, int repeats = 5) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = Clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
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

// Flops of one GD update of the value–softmax model with softmax scores and the logistic loss:
// β = Vs (2dp), h = Vᵀ∇ℓ (2dp), θ_V −= η ∇ℓ sᵀ (3dp), softmax (3p), ∇_a and its update (6p), margin, γ, ∇ℓ (5d).
double gd_flops(double d, double p) { return 7 * d * p + 9 * p + 5 * d; }
// One right-hand side −∇L (no update: the outer product is dp with its sign).
double rhs_flops(double d, double p) { return 5 * d * p + 8 * p + 5 * d; }
// One accepted DOPRI5 step on n coordinates: 6 right-hand sides, the stage sums (46n), the error estimate and
// its scaled norm (17n) and the dense-output coefficients (18n).
double flow_step_flops(double d, double p) { return 6 * rhs_flops(d, p) + 81 * (d * p + p + 1); }

// --- The machine's limit -------------------------------------------------------------------------------
using v2d = double __attribute__((vector_size(16)));
volatile double g_one = 1.0, g_tiny = 1e-300;

// 8 independent multiply chains and 6 independent add chains on 2-wide vectors (16 registers in all): enough
// to fill two multiply pipes of latency 4 and two add pipes of latency 3. 14 vector ops × 2 lanes per iteration.
double peak_sse2_gflops() {
  const v2d x = {g_one, g_one}, y = {g_tiny, g_tiny};
  v2d m0 = x, m1 = x, m2 = x, m3 = x, m4 = x, m5 = x, m6 = x, m7 = x, a0 = y, a1 = y, a2 = y, a3 = y, a4 = y, a5 = y;
  const long n = 1'000'000;  // ~1 ms a window, best of many: robust to a shared machine
  double best = 0.0;
  for (int r = 0; r < 30; ++r) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) {
      m0 *= x; m1 *= x; m2 *= x; m3 *= x; m4 *= x; m5 *= x; m6 *= x; m7 *= x;
      a0 += y; a1 += y; a2 += y; a3 += y; a4 += y; a5 += y;
      __asm__ volatile("" : "+x"(m0), "+x"(m1), "+x"(m2), "+x"(m3), "+x"(m4), "+x"(m5), "+x"(m6), "+x"(m7));
      __asm__ volatile("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5));
    }
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, 14.0 * 2.0 * static_cast<double>(n) / s * 1e-9);
  }
  const v2d sum = m0 + m1 + m2 + m3 + m4 + m5 + m6 + m7 + a0 + a1 + a2 + a3 + a4 + a5;
  if (sum[0] == 42.0) std::printf("#\n");  // keep the chains alive
  return best;
}

// 10 independent FMA chains on 4-wide vectors (latency 4–5 cycles, two FMA pipes), in named registers.
__attribute__((target("avx2,fma"))) double peak_avx2_fma_gflops() {
  const __m256d x = _mm256_set1_pd(g_one), y = _mm256_set1_pd(g_tiny);
  __m256d c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y, c8 = y, c9 = y;
  const long n = 500'000;
  double best = 0.0;
  for (int r = 0; r < 30; ++r) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) {
      c0 = _mm256_fmadd_pd(c0, x, y); c1 = _mm256_fmadd_pd(c1, x, y); c2 = _mm256_fmadd_pd(c2, x, y);
      c3 = _mm256_fmadd_pd(c3, x, y); c4 = _mm256_fmadd_pd(c4, x, y); c5 = _mm256_fmadd_pd(c5, x, y);
      c6 = _mm256_fmadd_pd(c6, x, y); c7 = _mm256_fmadd_pd(c7, x, y); c8 = _mm256_fmadd_pd(c8, x, y);
      c9 = _mm256_fmadd_pd(c9, x, y);
      __asm__ volatile("" : "+x"(c0), "+x"(c1), "+x"(c2), "+x"(c3), "+x"(c4));
      __asm__ volatile("" : "+x"(c5), "+x"(c6), "+x"(c7), "+x"(c8), "+x"(c9));
    }
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, 10.0 * 8.0 * static_cast<double>(n) / s * 1e-9);
  }
  double out[4];
  _mm256_storeu_pd(out, _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(c0, c1), _mm256_add_pd(c2, c3)),
                                      _mm256_add_pd(_mm256_add_pd(c4, c5), _mm256_add_pd(_mm256_add_pd(c6, c7),
                                                                                         _mm256_add_pd(c8, c9)))));
  if (out[0] == 42.0) std::printf("#\n");
  return best;
}

// 12 independent FMA chains on 8-wide vectors.
__attribute__((target("avx512f"))) double peak_avx512_fma_gflops() {
  const __m512d x = _mm512_set1_pd(g_one), y = _mm512_set1_pd(g_tiny);
  __m512d c0 = y, c1 = y, c2 = y, c3 = y, c4 = y, c5 = y, c6 = y, c7 = y, c8 = y, c9 = y, c10 = y, c11 = y;
  const long n = 250'000;
  double best = 0.0;
  for (int r = 0; r < 30; ++r) {
    const auto t0 = Clock::now();
    for (long i = 0; i < n; ++i) {
      c0 = _mm512_fmadd_pd(c0, x, y); c1 = _mm512_fmadd_pd(c1, x, y); c2 = _mm512_fmadd_pd(c2, x, y);
      c3 = _mm512_fmadd_pd(c3, x, y); c4 = _mm512_fmadd_pd(c4, x, y); c5 = _mm512_fmadd_pd(c5, x, y);
      c6 = _mm512_fmadd_pd(c6, x, y); c7 = _mm512_fmadd_pd(c7, x, y); c8 = _mm512_fmadd_pd(c8, x, y);
      c9 = _mm512_fmadd_pd(c9, x, y); c10 = _mm512_fmadd_pd(c10, x, y); c11 = _mm512_fmadd_pd(c11, x, y);
      __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3), "+v"(c4), "+v"(c5));
      __asm__ volatile("" : "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9), "+v"(c10), "+v"(c11));
    }
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::max(best, 12.0 * 16.0 * static_cast<double>(n) / s * 1e-9);
  }
  const __m512d sum = _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(c0, c1), _mm512_add_pd(c2, c3)),
                                    _mm512_add_pd(_mm512_add_pd(_mm512_add_pd(c4, c5), _mm512_add_pd(c6, c7)),
                                                  _mm512_add_pd(_mm512_add_pd(c8, c9), _mm512_add_pd(c10, c11))));
  double out[8];
  _mm512_storeu_pd(out, sum);
  if (out[0] == 42.0) std::printf("#\n");
  return best;
}

// --- Bare dynamics (no records): what the scaling curve times -------------------------------------------
// Seconds per GD update over n updates from θ0.
double gd_seconds_per_step(const ExperimentConfig& c, std::int64_t n) {
  Experiment ex = build_experiment(c);
  Vec grad(ex.model->num_params());
  return seconds_of(
             [&] {
               Vec theta = ex.theta0;
               double gi = 0.0;
               std::int64_t done = 0;
               ex.model->gd_steps(theta, grad, c.lr, n, gi, done);
             },
             3) /
         static_cast<double>(n);
}

// The flow's Dopri5 on [θ; ∫γ] from θ0, started at t = 0 (the start-up probe included).
std::unique_ptr<Dopri5> make_solver(Experiment& ex, double rtol, double atol) {
  const Index n = ex.model->num_params();
  Model* m = ex.model.get();
  Vec y0(n + 1);
  y0.head(n) = ex.theta0;
  y0(n) = 0.0;
  return std::make_unique<Dopri5>(
      [m, n](double, const Vec& y, Vec& dy) {
        double gamma = 0.0;
        m->negative_grad(y.data(), dy.data(), gamma);  // as the Runner's right-hand side
        dy(n) = gamma;
      },
      0.0, y0, Dopri5::Options{.rtol = rtol, .atol = atol});
}

// Integrates to t_end; returns the accepted steps.
std::int64_t integrate(Experiment& ex, double t_end, double rtol, double atol) {
  auto s = make_solver(ex, rtol, atol);
  std::int64_t steps = 0;
  for (; s->t() < t_end; ++steps) s->step(t_end);
  return steps;
}

// Seconds per accepted step over the first max_steps steps towards t_end (set-up not timed).
double flow_seconds_per_step(const ExperimentConfig& c, std::int64_t max_steps) {
  Experiment ex = build_experiment(c);
  double best = 1e300;
  for (int r = 0; r < 3; ++r) {
    auto s = make_solver(ex, c.rtol, c.atol);
    std::int64_t steps = 0;
    const auto t0 = Clock::now();
    for (; s->t() < c.t_end && steps < max_steps; ++steps) s->step(c.t_end);
    const double t = std::chrono::duration<double>(Clock::now() - t0).count();
    best = std::min(best, t / static_cast<double>(std::max<std::int64_t>(steps, 1)));
  }
  return best;
}

// Heap bytes of one record of the value–softmax model (s, u, a: p each; singular values: min(d, p)) plus the
// struct itself; the p = 8 value is checked against a real record below.
double record_bytes(Index d, Index p) {
  return static_cast<double>(sizeof(Record)) + 8.0 * static_cast<double>(3 * p + std::min(d, p));
}
double record_bytes(const Record& r) {
  const auto n = r.s.size() + r.u.size() + r.a.size() + r.singular_values.size() + r.column_norms.size() +
                 r.attention.size();
  return static_cast<double>(sizeof(Record)) + 8.0 * static_cast<double>(n);
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Times polarlab's dynamics: the machine's FLOP peak, GD and the flow on fig2, scaling in p and an "
               "ensemble; one 'key value' line per measurement (bench/run_benchmarks.sh compares them with numpy "
               "and scipy).",
               "dynamics_bench"};
  double rtol = 1e-8, atol = 1e-10;
  std::string mode;
  bool quick_flag = false;
  app.add_option("RTOL", rtol, "Flow relative tolerance")->check(polarlab::bench::real_in(1e-14, 1))->capture_default_str();
  app.add_option("ATOL", atol, "Flow absolute tolerance")->check(polarlab::bench::real_in(0, 1, true))->capture_default_str();
  app.add_option("MODE", mode, "'quick' (same as --quick) or empty")->check(CLI::IsMember({"", "quick"}));
  app.add_flag("--quick", quick_flag, "Shorter scaling curve (p <= 128, a tenth of the steps) and 1e3 ensemble members");
  if (const int code = polarlab::bench::parse(app, argc, argv); code >= 0) return code;
  const bool quick = quick_flag || mode == "quick";
  return polarlab::bench::run_main("dynamics_bench", [&] {

  // 0. The machine's limit.
  const double peak_sse2 = peak_sse2_gflops();
  const double peak_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? peak_avx2_fma_gflops() : 0.0;
  const double peak_avx512 = __builtin_cpu_supports("avx512f") ? peak_avx512_fma_gflops() : 0.0;
  std::printf("peak_sse2_muladd_gflops %.3f\npeak_avx2_fma_gflops %.3f\npeak_avx512_fma_gflops %.3f\n", peak_sse2,
              peak_avx2, peak_avx512);
  const double peak_machine = std::max({peak_sse2, peak_avx2, peak_avx512});

  // 1. GD, fig2 setup, 1e6 steps. The numpy loop records nothing: the like-for-like run keeps only the
  //    decade records (8 records); the CLI's default run (1428 records with observables) is timed too.
  const ExperimentConfig gd_full = resolve_preset("fig2");
  const ExperimentConfig gd_dec = resolve_preset("fig2", {{"records", 2}});
  const double gd = seconds_of([&] { run(gd_dec); }, 7);
  const double gd_rec = seconds_of([&] { run(gd_full); }, 3);
  std::printf("gd_fig2_1e6_steps %.6f\ngd_fig2_1e6_steps_records1428 %.6f\n", gd, gd_rec);
  const double gd_f = gd_flops(8, 8);
  std::printf("gd_flops_per_step %.0f\ngd_ns_per_step %.2f\ngd_gflops %.4f\n", gd_f, gd * 1e3,
              gd_f * 1e6 / gd * 1e-9);
  std::printf("gd_fraction_of_sse2_peak %.4f\ngd_fraction_of_machine_peak %.4f\n", gd_f * 1e6 / gd * 1e-9 / peak_sse2,
              gd_f * 1e6 / gd * 1e-9 / peak_machine);

  // 2. Flow to t = 1e6, p = 8, equal tolerances.
  auto flow_cfg = [&](int records) {
    return resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e6}, {"rtol", rtol}, {"atol", atol}, {"records", records}});
  };
  const ExperimentConfig flow_full = flow_cfg(2000), flow_dec = flow_cfg(2);
  std::int64_t flow_steps = 0;
  const double flow = seconds_of([&] { flow_steps = run(flow_full); }, 3);
  const double flow_decades = seconds_of([&] { run(flow_dec); }, 20);
  // The solver alone (no Runner, no records): what scipy's solve_ivp without t_eval does.
  Experiment flow_ex = build_experiment(flow_dec);
  std::int64_t solver_steps = 0;
  const double flow_solver = seconds_of([&] { solver_steps = integrate(flow_ex, 1e6, rtol, atol); }, 20);
  std::printf("flow_fig2_t1e6_records2000 %.6f\nflow_fig2_t1e6_steps %lld\n", flow, static_cast<long long>(flow_steps));
  std::printf("flow_fig2_t1e6_decades %.6f\nflow_fig2_t1e6_solver %.6f\nflow_fig2_t1e6_solver_steps %lld\n", flow_decades,
              flow_solver, static_cast<long long>(solver_steps));
  const double fl_f = flow_step_flops(8, 8);
  const double fl_rate = fl_f * static_cast<double>(solver_steps) / flow_solver * 1e-9;
  std::printf("flow_flops_per_step %.0f\nflow_ns_per_step %.1f\nflow_gflops %.4f\n", fl_f,
              flow_solver / static_cast<double>(solver_steps) * 1e9, fl_rate);
  std::printf("flow_fraction_of_sse2_peak %.4f\nflow_fraction_of_machine_peak %.4f\n", fl_rate / peak_sse2,
              fl_rate / peak_machine);

  // 3. Scaling in p (d = p): bare GD updates and bare flow steps (no records; their cost is separate).
  for (Index q : {8, 16, 32, 64, 128, 256, 512, 1024}) {
    if (quick && q > 128) break;
    const double qq = static_cast<double>(q) * static_cast<double>(q);
    const auto n_gd = static_cast<std::int64_t>(std::max(10.0, (quick ? 4e5 : 4e6) / qq));
    const auto n_flow = static_cast<std::int64_t>(std::max(5.0, (quick ? 4e4 : 4e5) / qq));
    const double tg = gd_seconds_per_step(square_model(q, "gd"), n_gd);
    ExperimentConfig f = square_model(q, "flow");
    f.t_end = 1e3;
    const double tf = flow_seconds_per_step(f, n_flow);
    std::printf("scaling p %lld gd_step %.3e flow_step %.3e gd_gflops %.3f flow_gflops %.3f record_bytes %.0f\n",
                static_cast<long long>(q), tg, tf, gd_flops(q, q) / tg * 1e-9, flow_step_flops(q, q) / tf * 1e-9,
                record_bytes(q, q));
  }
  {
    Runner r(flow_dec);
    std::printf("memory_per_record_p8_bytes %.0f\nmemory_per_record_p8_formula_bytes %.0f\n", record_bytes(r.records()[0]),
                record_bytes(8, 8));
  }

#ifdef HAVE_POLARLAB_ENSEMBLE
  // 4. Ensemble: 1e4 initializations, p = 8, flow to t = 1e5, both cores.
  const ExperimentConfig e = resolve_preset("fig2", {{"method", "flow"}, {"t_end", 1e5}});
  const double ens = seconds_of([&] { run_ensemble(e, {.count = quick ? 1000 : 10000}); }, 1);
  std::printf("ensemble_%s_fig2_t1e5 %.4f\n", quick ? "1e3" : "1e4", ens);
#endif
  return 0;
  });
}
