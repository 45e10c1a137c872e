#include "app/gui/transformer/worker.hpp"

#include "core/util/enum_names.hpp"

#ifdef HAVE_POLARLAB_TRANSFORMER
namespace polarlab::gui {

namespace tf = polarlab::transformer;

namespace {
constexpr EnumName<TrainPhase> kPhaseNames[] = {
    {TrainPhase::preparing, "preparing data and model"}, {TrainPhase::running, "training"},
    {TrainPhase::paused, "paused"},                      {TrainPhase::finished, "finished"},
    {TrainPhase::cancelled, "stopped"},                  {TrainPhase::failed, "failed"}};
}  // namespace

const char* phase_name(TrainPhase p) { return name_of(kPhaseNames, p, ""); }

TrainWorker::TrainWorker(JobHost& host, tf::TrainConfig config, bool start_paused)
    : config_(tf::resolve_defaults(std::move(config))), worker_(host) {
  tf::validate(config_);
  worker_.job().set_paused(start_paused);
  rows_ = std::make_shared<const std::vector<tf::MetricsRow>>();
  auto s = std::make_shared<TrainSnapshot>();
  s->config = config_;
  s->total = config_.total_steps();
  s->rows = rows_;
  worker_.publish(std::move(s));
  std::string name = "training: " + tf::name_of(config_.task) + ", " + std::to_string(config_.total_steps()) + " steps";
  if (host.executor() == Executor::threads)
    worker_.start_once(std::move(name), "transformer", [this](JobControl& job) { loop(job); });
  else
    worker_.start(std::move(name), "transformer", [this](JobControl& job, const SliceContext&) { return slice(job); });
}

// The worker's job is the training's: the trainer's loop checks it between optimizer steps, and a request made
// before the trainer exists waits in it.
void TrainWorker::set_paused(bool paused) { worker_.job().set_paused(paused); }
void TrainWorker::stop() { worker_.job().request_cancel(); }

void TrainWorker::publish(TrainPhase phase, bool force, const std::string& error) {
  // At most ~30 snapshots a second: a tiny model takes a step in a millisecond, the UI draws at 60 Hz.
  const double now = monotonic_seconds();
  if (!force && now - last_publish_ < 1.0 / 30.0) return;
  last_publish_ = now;
  auto s = std::make_shared<TrainSnapshot>();
  s->seq = ++seq_;
  s->phase = phase;
  s->config = config_;
  s->device = device_;
  s->parameters = parameters_;
  s->rows = rows_;
  s->eval = eval_;
  s->total = config_.total_steps();
  if (trainer_) {
    const tf::Progress& p = trainer_->progress();
    s->step = p.step.load();
    s->seconds = p.seconds.load();
    s->eta_seconds = p.eta_seconds.load();
    s->seconds_per_step = trainer_->mean_step_seconds();
  }
  s->error = error;
  worker_.job().set_state(phase);
  worker_.publish(std::move(s));
}

void TrainWorker::fail(JobControl& job, const std::string& why) {
  job.fail(why);
  publish(TrainPhase::failed, true, why);
}

bool TrainWorker::prepare(JobControl& job) {
  try {
    auto trainer = std::make_unique<tf::Trainer>(config_);
    device_ = trainer->device();
    parameters_ = trainer->num_parameters();
    trainer_ = std::move(trainer);
    // The untrained model's heads, so the grid shows something from the first frame of training.
    eval_ = std::make_shared<const tf::Evaluation>(trainer_->evaluate(true));
    publish(TrainPhase::running, true);
    return true;
  } catch (const std::exception& e) {
    fail(job, e.what());
  } catch (...) {
    fail(job, "unknown error");
  }
  return false;
}

void TrainWorker::on_row(const tf::MetricsRow& row, const tf::Evaluation& ev) {
  auto rows = std::make_shared<std::vector<tf::MetricsRow>>(*rows_);
  rows->push_back(row);
  rows_ = std::move(rows);
  eval_ = std::make_shared<const tf::Evaluation>(ev);
  publish(TrainPhase::running, true);
}

void TrainWorker::loop(JobControl& job) {
  if (!prepare(job)) return;
  try {
    const tf::TrainState end = trainer_->run(
        [&](const tf::MetricsRow& row, const tf::Evaluation& ev) { on_row(row, ev); },
        [&](long long) { publish(job.pause_requested() ? TrainPhase::paused : TrainPhase::running, false); }, &job);
    publish(end == tf::TrainState::finished ? TrainPhase::finished : TrainPhase::cancelled, true);
  } catch (const std::exception& e) {
    fail(job, e.what());
  } catch (...) {
    fail(job, "unknown error");
  }
}

Slice TrainWorker::slice(JobControl& job) {
  if (!trainer_) {
    if (job.cancel_requested()) {
      publish(TrainPhase::cancelled, true);
      return Slice::ended;
    }
    return prepare(job) ? Slice::more : Slice::ended;
  }
  if (job.cancel_requested()) {
    publish(TrainPhase::cancelled, true);
    return Slice::ended;
  }
  if (job.pause_requested()) {
    // The trainer's loop would block on the pause: this slice only says so.
    if (job.state() != JobState::paused) publish(TrainPhase::paused, true);
    return Slice::idle;
  }
  try {
    const tf::TrainState s = trainer_->run_for(
        0.008, [&](const tf::MetricsRow& row, const tf::Evaluation& ev) { on_row(row, ev); },
        [&](long long) { publish(TrainPhase::running, false); }, &job);
    if (s == tf::TrainState::running) return Slice::more;
    publish(s == tf::TrainState::finished ? TrainPhase::finished : TrainPhase::cancelled, true);
  } catch (const std::exception& e) {
    fail(job, e.what());
  } catch (...) {
    fail(job, "unknown error");
  }
  return Slice::ended;
}

}  // namespace polarlab::gui
#endif
