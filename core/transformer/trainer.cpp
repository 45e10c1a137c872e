// The Trainer without libtorch: it owns the plugin's engine and adds the job control, the progress counters and
// the run loop (between steps: pause, cancel; every log_every steps: a metrics row).
#include "core/transformer/trainer.hpp"

#include <limits>

#include "core/transformer/torch_plugin.hpp"
#include "core/transformer/trainer_engine.hpp"

namespace polarlab::transformer {

Trainer::Trainer(TrainConfig config) : engine_(torch_plugin().make_engine(config)) {
  progress_.total = total_steps();
}

Trainer::~Trainer() = default;

const TrainConfig& Trainer::config() const { return engine_->config(); }
std::string Trainer::device() const { return engine_->device(); }
bool Trainer::cuda_available() { return torch_plugin().cuda_available(); }
std::string Trainer::torch_version() { return torch_plugin().torch_version(); }
long long Trainer::num_parameters() const { return engine_->num_parameters(); }
long long Trainer::step() const { return engine_->step(); }
long long Trainer::total_steps() const { return engine_->config().total_steps(); }
double Trainer::mean_step_seconds() const { return engine_->mean_step_seconds(); }

double Trainer::train_step() {
  engine_->accumulate_step();
  progress_.step = engine_->step();
  return engine_->take_mean_loss();
}

Evaluation Trainer::evaluate(bool with_maps) { return engine_->evaluate(with_maps); }
FlipRate Trainer::flip_rate(int pairs) { return engine_->flip_rate(pairs); }
std::vector<ClsAttentionRecord> Trainer::cls_attention() { return engine_->cls_attention(); }
EvalAttention Trainer::eval_attention(int max_samples) { return engine_->eval_attention(max_samples); }
void Trainer::save_checkpoint(const std::string& path) const { engine_->save_checkpoint(path); }
std::vector<float> Trainer::flat_parameters() const { return engine_->flat_parameters(); }

void Trainer::load_checkpoint(const std::string& path) {
  engine_->load_checkpoint(path);
  progress_.step = engine_->step();
  progress_.seconds = engine_->seconds();
}

TrainState Trainer::run(const std::function<void(const MetricsRow&, const Evaluation&)>& on_row,
                        const std::function<void(long long)>& on_step, JobControl* control) {
  TrainState s;
  while ((s = run_for(std::numeric_limits<double>::infinity(), on_row, on_step, control)) == TrainState::running) {
  }
  return s;
}

TrainState Trainer::run_for(double max_seconds,
                            const std::function<void(const MetricsRow&, const Evaluation&)>& on_row,
                            const std::function<void(long long)>& on_step, JobControl* control) {
  TrainerEngine& e = *engine_;
  JobControl& job = control ? *control : job_;
  const long long total = total_steps();
  const long long log_every = e.config().log_every;
  const bool induction = e.config().task == TaskKind::induction;
  if (!running_) {
    progress_.total = total;
    job.set_progress(e.step(), total);
    job.set_state(TrainState::running);
    e.take_mean_loss();  // a row's loss is the mean of this run's steps since the previous row
    running_ = true;
  }
  const double t0 = monotonic_seconds();
  try {
    while (e.step() < total) {
      if (monotonic_seconds() - t0 >= max_seconds) return TrainState::running;
      // Between steps: a pause blocks here (state paused), a cancel ends the run.
      if (!job.checkpoint()) {
        job.set_state(TrainState::cancelled);
        running_ = false;
        return TrainState::cancelled;
      }
      e.accumulate_step();
      const long long step = e.step();
      progress_.step = step;
      job.set_progress(step, total);
      progress_.seconds = e.seconds();
      progress_.eta_seconds = e.mean_step_seconds() * static_cast<double>(total - step);
      if (on_step) on_step(step);
      if (step % log_every == 0 || step == total) {
        MetricsRow row;
        row.step = step;
        row.epoch = static_cast<int>((step - 1) / e.config().steps_per_epoch());
        row.train_loss = e.take_mean_loss();
        Evaluation ev = e.evaluate(true);
        row.eval_loss = ev.eval_loss;
        row.eval_accuracy = ev.eval_accuracy;
        row.seconds = progress_.seconds;
        row.head_scores = induction ? ev.sink_scores : ev.concentration;
        if (on_row) on_row(row, ev);
      }
    }
  } catch (...) {
    job.set_state(TrainState::failed);
    running_ = false;
    throw;
  }
  job.set_state(TrainState::finished);
  running_ = false;
  return TrainState::finished;
}

}  // namespace polarlab::transformer
