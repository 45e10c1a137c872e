#include <string>
#include <cmath>
#include "core/ensemble/ensemble.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <thread>

#include "core/experiment/runner.hpp"

namespace polarlab {

namespace {
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}
}  // namespace

std::vector<EnsembleSummary> summarize_ensemble(const std::vector<EnsembleMember>& members, double threshold) {
  std::map<double, std::vector<const EnsembleMember*>> by_kappa;
  for (const auto& m : members) by_kappa[m.kappa].push_back(&m);
  std::vector<EnsembleSummary> out;
  for (const auto& [kappa, list] : by_kappa) {
    EnsembleSummary s;
    s.kappa = kappa;
    s.planned = static_cast<int>(list.size());
    std::vector<double> max_s;
    int polarized = 0, predicted = 0;
    for (const EnsembleMember* m : list) {
      if (!m->done) {
        ++s.unfinished;
        continue;
      }
      if (!m->ok) {
        ++s.failed;
        continue;
      }
      max_s.push_back(m->max_s);
      polarized += m->max_s > threshold;
      predicted += m->winner == m->predicted_winner;
    }
    s.count = static_cast<int>(max_s.size());
    if (s.count > 0) {
      s.p_polarized = static_cast<double>(polarized) / s.count;
      s.p_predicted_winner = static_cast<double>(predicted) / s.count;
      double sum = 0.0;
      for (double v : max_s) sum += v;
      s.max_s_mean = sum / s.count;
      s.max_s_q10 = quantile(max_s, 0.1);
      s.max_s_q50 = quantile(max_s, 0.5);
      s.max_s_q90 = quantile(max_s, 0.9);
    } else {
      // No member finished ok: there is no probability or quantile to show, and 0 would read as data.
      const double none = std::numeric_limits<double>::quiet_NaN();
      s.p_polarized = s.p_predicted_winner = s.max_s_mean = none;
      s.max_s_q10 = s.max_s_q50 = s.max_s_q90 = none;
    }
    out.push_back(s);
  }
  return out;
}

bool run_member(EnsembleMember& m, const ExperimentConfig& base, JobControl* job) {
  ExperimentConfig c = base;
  c.kappa = m.kappa;
  c.seed = m.seed;
  c.records = 2;  // only the end state matters here
  try {
    Runner r(c);
    // In slices, so a cancel reaches a long member too (a t_end or step count typed large) within a slice.
    Budget slice;
    slice.max_seconds = 0.05;
    while (!r.done()) {
      if (job && !job->checkpoint()) return false;
      r.advance(slice);
    }
    const Record& last = r.records().back();
    m.max_s = last.max_s;
    m.entropy = last.entropy;
    m.loss = last.loss;
    m.winner = last.winner;
    m.predicted_winner = r.facts().predicted_winner;
    m.ok = r.status().state == RunState::finished;
  } catch (const std::exception&) {
    m.ok = false;
  }
  m.done = true;
  return true;
}

void check_ensemble_options(const ExperimentConfig& base, const EnsembleOptions& opt) {
  if (opt.count < 1 || opt.count > 10'000'000) throw ConfigError("--count", "must be between 1 and 10000000");
  constexpr std::int64_t kLastSeed = 4294967295LL;
  if (opt.first_seed < 0 || opt.first_seed > kLastSeed)
    throw ConfigError("--first-seed", "must be in [0, 4294967295], got " + std::to_string(opt.first_seed));
  if (opt.first_seed + opt.count - 1 > kLastSeed)
    throw ConfigError("--first-seed", "seeds " + std::to_string(opt.first_seed) + " .. " +
                                          std::to_string(opt.first_seed + opt.count - 1) +
                                          " pass 4294967295 (the last 32-bit seed); lower --first-seed or --count");
  if (opt.threads < 0 || opt.threads > 256) throw ConfigError("--threads", "must be in [0, 256] (0: all cores)");
  if (!(opt.polarized_threshold > 0.0 && opt.polarized_threshold < 1.0))
    throw ConfigError("--threshold", "must be a number in (0, 1): max s lies in [1/p, 1]");
  if (!opt.kappas.empty() && base.model != ModelKind::regression)
    throw ConfigError("--kappa-range", "κ is the condition number of the regression model's design X (presets: "
                                       "fig3); this ensemble's model is " + model_name(base.model));
  if (opt.kappas.size() > 10000) throw ConfigError("--kappa-range", "at most 10000 values");
  for (double k : opt.kappas)
    if (!std::isfinite(k) || k < 1.0 || k > 1e12) throw ConfigError("--kappa-range", "every κ must be in [1, 1e+12]");
}

EnsembleResult plan_ensemble(const ExperimentConfig& base, const EnsembleOptions& opt) {
  validate(base);
  check_ensemble_options(base, opt);
  std::vector<double> kappas = opt.kappas.empty() ? std::vector<double>{base.kappa} : opt.kappas;
  for (double k : kappas) {
    ExperimentConfig c = base;
    c.kappa = k;
    validate(c);  // an impossible κ is refused before any thread starts
  }
  EnsembleResult result;
  result.members.resize(kappas.size() * static_cast<std::size_t>(std::max(opt.count, 0)));
  for (std::size_t i = 0; i < result.members.size(); ++i) {
    result.members[i].kappa = kappas[i / static_cast<std::size_t>(opt.count)];
    result.members[i].seed = static_cast<std::uint32_t>(opt.first_seed + static_cast<std::int64_t>(i % static_cast<std::size_t>(opt.count)));
  }
  return result;
}

void finish_ensemble(EnsembleResult& result, const EnsembleOptions& opt, double seconds) {
  result.finished = 0;
  for (const EnsembleMember& m : result.members) result.finished += m.done ? 1 : 0;
  result.summaries = summarize_ensemble(result.members, opt.polarized_threshold);
  result.seconds = seconds;
}

EnsembleResult run_ensemble(const ExperimentConfig& base, const EnsembleOptions& opt,
                            JobControl* job, const std::function<void(std::size_t, std::size_t)>& progress) {
  const double t0 = monotonic_seconds();
  EnsembleResult result = plan_ensemble(base, opt);
  std::atomic<std::size_t> next{0}, done{0};
  if (job) {
    job->set_progress(0, static_cast<std::int64_t>(result.members.size()));
    job->set_state(JobState::running);
  }
  auto work = [&] {
    for (;;) {
      if (job && !job->checkpoint()) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= result.members.size()) return;
      EnsembleMember& m = result.members[i];
      if (!run_member(m, base, job)) return;  // cancelled inside the member: it stays unfinished
      const std::size_t d = done.fetch_add(1) + 1;
      if (job) job->add_done();
      if (progress) progress(d, result.members.size());
    }
  };
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int n_threads = std::clamp(opt.threads > 0 ? opt.threads : hw, 1, 256);
  std::vector<std::thread> pool;
  for (int t = 1; t < n_threads; ++t) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (job) job->set_state(job->cancel_requested() ? JobState::cancelled : JobState::finished);
  finish_ensemble(result, opt, monotonic_seconds() - t0);
  return result;
}

}  // namespace polarlab
