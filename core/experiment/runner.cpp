#include "core/experiment/runner.hpp"

#include <cmath>
#include <sstream>

#include "core/job/job.hpp"
#include "core/observe/record_grid.hpp"

namespace polarlab {

Runner::Runner(const ExperimentConfig& cfg) : ex_(build_experiment(cfg)) {
  Model& model = *ex_.model;
  try {
    model.observe(ex_.theta0, obs_);
  } catch (const NumericalError& e) {
    throw ConfigError("init", std::string("the initial state is not usable: ") + e.what());
  }
  if (!std::isfinite(obs_.loss)) throw ConfigError("init", "the loss at the initial state is not finite");
  facts_ = initial_facts(obs_);
  scope_ = theorem_scope(ex_);
  grad_.resize(model.num_params());
  const auto& c = ex_.config;
  if (c.method == Method::gd) {
    theta_ = ex_.theta0;
    gd_grid_ = gd_record_steps(c.steps, c.records);
    records_.push_back(make_record(obs_, facts_, 0, 0.0, 0.0));
    next_ = 1;
    if (c.steps == 0) status_.state = RunState::finished;
  } else {
    flow_grid_ = flow_record_times(c.t_end, c.records);
    Vec y0(model.num_params() + 1);
    y0.head(model.num_params()) = ex_.theta0;
    y0(model.num_params()) = 0.0;  // ∫γ rides along as an extra coordinate
    const Index n = model.num_params();
    Model* m = ex_.model.get();
    auto rhs = [m, n](double, const Vec& y, Vec& dy) {
      double gamma = 0.0;
      m->negative_grad(y.data(), dy.data(), gamma);  // reads y's first n entries, no copy
      dy(n) = gamma;
    };
    Dopri5::Options opt;
    opt.rtol = c.rtol;
    opt.atol = c.atol;
    try {
      solver_ = std::make_unique<Dopri5>(rhs, 0.0, y0, opt);
    } catch (const NumericalError& e) {
      throw ConfigError("init", std::string("the initial state is not usable: ") + e.what());
    }
    records_.push_back(make_record(obs_, facts_, 0, 0.0, 0.0));
    next_ = 1;
  }
}

Runner::~Runner() = default;

double Runner::t() const {
  return ex_.config.method == Method::gd ? static_cast<double>(steps_) * ex_.config.lr : solver_->t();
}

double Runner::progress() const {
  const auto& c = ex_.config;
  if (done()) return 1.0;
  if (c.method == Method::gd) return c.steps ? static_cast<double>(steps_) / static_cast<double>(c.steps) : 1.0;
  return flow_progress();
}

double Runner::flow_progress() const {
  const auto& c = ex_.config;
  const double lo = std::log10(std::min(1e-2, c.t_end)), hi = std::log10(c.t_end);
  const double now = std::log10(std::max(solver_->t(), 1e-2));
  return hi > lo ? std::clamp((now - lo) / (hi - lo), 0.0, 1.0) : 1.0;
}

void Runner::report(JobControl& job) const {
  const auto& c = ex_.config;
  constexpr std::int64_t kFlowTotal = 1000000;
  if (c.method == Method::gd) job.set_progress(steps_, c.steps);
  else job.set_progress(std::llround(flow_progress() * kFlowTotal), kFlowTotal);
  if (status_.state == RunState::finished) {
    job.set_state(JobState::finished);
  } else if (status_.state == RunState::failed && job.state() != JobState::failed) {
    job.fail(status_.message);
  }
}

Vec Runner::theta() const {
  if (ex_.config.method == Method::gd) return theta_;
  return solver_->y().head(ex_.model->num_params());
}

Record Runner::current_record() {
  Observation obs;
  const Vec th = theta();
  try {
    ex_.model->observe(th, obs);
  } catch (const NumericalError&) {
    return records_.back();
  }
  const double gi = ex_.config.method == Method::gd ? gamma_integral_ : solver_->y()(th.size());
  const auto step = ex_.config.method == Method::gd ? steps_ : static_cast<std::int64_t>(records_.size());
  return make_record(obs, facts_, step, t(), gi);
}

namespace {
// The first GD step whose time t = step·η is not finite (η near the largest double), or steps + 1 when none is.
std::int64_t first_step_with_infinite_t(double lr, std::int64_t steps) {
  if (std::isfinite(static_cast<double>(steps) * lr)) return steps + 1;
  std::int64_t lo = 0, hi = steps;  // lo·η finite, hi·η not
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (std::isfinite(static_cast<double>(mid) * lr) ? lo : hi) = mid;
  }
  return hi;
}

// The first value of a record that is not finite ("t", "loss", "s", ...), or nullptr. `ratio` is NaN by design
// when the predicted winner's score is 0 (sparse maps) and is not checked.
const char* non_finite_field(const Record& r) {
  const std::pair<const char*, double> scalars[] = {{"t", r.t},         {"loss", r.loss},
                                                    {"entropy", r.entropy}, {"max_s", r.max_s},
                                                    {"gamma", r.gamma}, {"gamma_integral", r.gamma_integral},
                                                    {"bound", r.bound}};
  for (const auto& [name, v] : scalars)
    if (!std::isfinite(v)) return name;
  if (!r.s.allFinite()) return "s";
  if (!r.u.allFinite()) return "u";
  if (!r.a.allFinite()) return "a";
  if (!r.singular_values.allFinite()) return "singular values";
  if (!r.column_norms.allFinite()) return "column norms";
  if (!r.attention.allFinite()) return "attention";
  return nullptr;
}

// A record with a value that is not finite ends the run (a numerical stop); the record is kept, as it shows why.
void check_record(const Record& r) {
  if (const char* f = non_finite_field(r)) throw NumericalError(std::string("the recorded ") + f + " is not finite");
}
}  // namespace

void Runner::fail(const std::string& why) {
  std::ostringstream msg;
  msg << "run stopped at step " << steps_ << " (t = " << t() << "): " << why << "; "
      << records_.size() << " records kept";
  status_.state = RunState::failed;
  status_.message = msg.str();
  status_.fail_step = steps_;
}

std::size_t Runner::advance(const Budget& b) {
  if (done()) return 0;
  return ex_.config.method == Method::gd ? advance_gd(b) : advance_flow(b);
}

std::size_t Runner::advance_gd(const Budget& b) {
  const double t0 = monotonic_seconds();
  const auto& c = ex_.config;
  const std::size_t before = records_.size();
  Model& model = *ex_.model;
  std::int64_t stop = c.steps;
  if (std::isfinite(b.until_t)) stop = std::min(stop, static_cast<std::int64_t>(std::ceil(b.until_t / c.lr - 1e-9)));
  if (b.max_steps < stop - steps_) stop = steps_ + b.max_steps;
  // t = step·η: the step whose t is not finite is not taken; the run stops there (a numerical stop).
  const std::int64_t t_cap = first_step_with_infinite_t(c.lr, c.steps);
  if (stop >= t_cap) stop = t_cap - 1;
  bool out_of_time = false;
  try {
    while (steps_ < stop && !out_of_time) {
      // Run straight to the next record step (or the stop), checking the clock now and then.
      const std::int64_t target = std::min(gd_grid_[next_], stop);
      while (steps_ < target) {
        // Chunks that end on multiples of 4096 steps, where the clock is read.
        const std::int64_t chunk = std::min(target - steps_, 4096 - (steps_ & 4095));
        model.gd_steps(theta_, grad_, c.lr, chunk, gamma_integral_, steps_);
        if ((steps_ & 4095) == 0 && monotonic_seconds() - t0 > b.max_seconds) {
          out_of_time = true;
          break;
        }
      }
      if (steps_ == gd_grid_[next_]) {
        model.observe(theta_, obs_);
        records_.push_back(make_record(obs_, facts_, steps_, static_cast<double>(steps_) * c.lr, gamma_integral_));
        ++next_;
        check_record(records_.back());
      }
      if (monotonic_seconds() - t0 > b.max_seconds) out_of_time = true;
    }
    if (t_cap <= c.steps && steps_ == t_cap - 1) {
      std::ostringstream why;
      why << "t = step x lr is not finite from step " << t_cap << " on (lr = " << c.lr << "): use a smaller learning rate";
      throw NumericalError(why.str());
    }
  } catch (const NumericalError& e) {
    fail(e.what());
    return records_.size() - before;
  }
  if (steps_ >= c.steps) status_.state = RunState::finished;
  return records_.size() - before;
}

std::size_t Runner::advance_flow(const Budget& b) {
  const double t0 = monotonic_seconds();
  const auto& c = ex_.config;
  const std::size_t before = records_.size();
  const Index n = ex_.model->num_params();
  std::int64_t budget = b.max_steps;
  Vec y;
  try {
    while (solver_->t() < c.t_end && budget > 0 && solver_->t() < b.until_t) {
      solver_->step(c.t_end);
      ++steps_;
      --budget;
      while (next_ < flow_grid_.size() && flow_grid_[next_] <= solver_->t()) {
        const double tk = flow_grid_[next_];
        if (tk == solver_->t()) y = solver_->y();
        else solver_->dense(tk, y);
        const Vec th = y.head(n);
        ex_.model->observe(th, obs_);
        records_.push_back(make_record(obs_, facts_, static_cast<std::int64_t>(records_.size()), tk, y(n)));
        ++next_;
        check_record(records_.back());
      }
      if (!solver_->y().allFinite()) throw NumericalError("the state is not finite (overflow or NaN)");
      if (monotonic_seconds() - t0 > b.max_seconds) break;
    }
  } catch (const NumericalError& e) {
    fail(e.what());
    return records_.size() - before;
  }
  if (solver_->t() >= c.t_end) status_.state = RunState::finished;
  return records_.size() - before;
}

}  // namespace polarlab
