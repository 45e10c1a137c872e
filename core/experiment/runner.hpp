// Runs an experiment in budgets so a GUI worker can pause, resume and single-step it,
// while the CLI simply advances it to the end. Records are taken on the log-spaced grid.
// A run is a job (core/job) driven from outside: whoever calls advance() checks the job's pause and cancel
// between budgets, and report() says the run's progress and end in the job's terms.
#pragma once
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dynamics/dopri5.hpp"
#include "core/experiment/experiment.hpp"
#include "core/observe/observables.hpp"
#include "core/experiment/theorem_scope.hpp"

namespace polarlab {

class JobControl;

enum class RunState { running, finished, failed };

struct RunStatus {
  RunState state = RunState::running;
  std::string message;         // why it failed (step, time and reason)
  std::int64_t fail_step = -1;
};

struct Budget {
  std::int64_t max_steps = std::numeric_limits<std::int64_t>::max();  // GD updates or flow steps
  double max_seconds = std::numeric_limits<double>::infinity();
  double until_t = std::numeric_limits<double>::infinity();  // stop once t reaches this
};

class Runner {
 public:
  explicit Runner(const ExperimentConfig& cfg);  // throws ConfigError
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  // Advances until the budget is spent or the run ends; returns the number of records added.
  std::size_t advance(const Budget& budget);
  // One GD update, or one accepted flow step.
  std::size_t step_once() { return advance(Budget{.max_steps = 1}); }

  bool done() const { return status_.state != RunState::running; }
  const RunStatus& status() const { return status_; }
  const std::vector<Record>& records() const { return records_; }
  // Observables at the current state, on the grid or not (the GUI's "now").
  Record current_record();
  std::int64_t steps_taken() const { return steps_; }  // GD updates or accepted flow steps
  double t() const;
  double progress() const;  // 0..1, logarithmic in time for the flow
  // The job's progress (GD steps of the planned steps; the flow's logarithmic progress in millionths, as its
  // step count is not known ahead) and, once the run has ended, its state: finished, or failed with the
  // status message. A running run leaves the state to the caller (running or paused is the caller's to say).
  void report(JobControl& job) const;
  const Experiment& experiment() const { return ex_; }
  const InitialFacts& facts() const { return facts_; }
  // Where Theorems 3.2/3.3 apply to this run: its predicted winner (argmax u(0)) is a prediction only there.
  const TheoremScope& scope() const { return scope_; }
  Vec theta() const;
  const Dopri5* solver() const { return solver_.get(); }

 private:
  std::size_t advance_gd(const Budget& b);
  std::size_t advance_flow(const Budget& b);
  double flow_progress() const;  // how far the flow is, whether it ended or not
  void fail(const std::string& why);

  Experiment ex_;
  InitialFacts facts_;
  TheoremScope scope_;
  RunStatus status_;
  std::vector<Record> records_;
  Observation obs_;
  Vec grad_;
  std::int64_t steps_ = 0;
  // GD
  Vec theta_;
  double gamma_integral_ = 0.0;
  std::vector<std::int64_t> gd_grid_;
  // flow
  std::unique_ptr<Dopri5> solver_;
  std::vector<double> flow_grid_;
  std::size_t next_ = 0;  // next grid index to record
};

}  // namespace polarlab
