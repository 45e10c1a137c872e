#include "app/gui/dynamics/worker.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>
#include <utility>

namespace polarlab::gui {

namespace {
// A slice short enough that commands feel instant and long enough that the clock checks are noise.
constexpr double kSlice = 0.008;
}  // namespace

std::vector<const Record*> DynamicsSnapshot::records_from(std::size_t from) const {
  std::vector<const Record*> out;
  if (from >= total_records) return out;
  out.resize(total_records - from);
  for (const RecordChunk* c = newest.get(); c; c = c->prev.get()) {
    const std::size_t end = c->begin + c->records.size();
    if (end <= from) break;
    for (std::size_t i = std::max(from, c->begin); i < end; ++i) out[i - from] = &c->records[i - c->begin];
  }
  return out;
}

DynamicsWorker::DynamicsWorker(JobHost& host, const ExperimentConfig& cfg, bool playing, SpeedMode mode, double speed)
    : mode_(mode), speed_(speed), worker_(host) {
  set_playing(playing);
  start_run(cfg);
  report();
  publish();
  last_publish_ = last_tick_ = rate_t0_ = monotonic_seconds();
  rate_steps0_ = runner_->steps_taken();
  worker_.start("dynamics", "dynamics", [this](JobControl& job, const SliceContext& ctx) { return tick(job, ctx); },
                false);
}

DynamicsWorker::~DynamicsWorker() {
  {
    // Under the queue's mutex, so the thread either sees the cancel before it waits or is woken from the wait.
    std::lock_guard<std::mutex> lock(mutex_);
    worker_.job().request_cancel();
  }
  cv_.notify_one();
}

void DynamicsWorker::send(Command c) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(std::move(c));
  }
  cv_.notify_one();
}

void DynamicsWorker::start_run(const ExperimentConfig& cfg) {
  auto runner = std::make_unique<Runner>(cfg);  // throws ConfigError; the old run stays
  auto info = std::make_shared<RunInfo>();
  info->id = next_id_++;
  info->config = runner->experiment().config;
  info->facts = runner->facts();
  runner_ = std::move(runner);
  info_ = std::move(info);
  worker_.job().restart();
  newest_.reset();
  published_ = 0;
  run_to_ = -1.0;
  play_clock_ = 0.0;
  ref_t_ = 0.0;
  ref_records_ = 0;
  solver_seconds_ = 0.0;
  chunk_steps_ = 64;
  dirty_ = true;
}

void DynamicsWorker::report() {
  runner_->report(worker_.job());
  if (!runner_->done()) worker_.job().set_state(playing() ? JobState::running : JobState::paused);
}

void DynamicsWorker::publish() {
  auto s = std::make_shared<DynamicsSnapshot>();
  const auto& recs = runner_->records();
  if (recs.size() > published_) {
    auto chunk = std::make_shared<RecordChunk>();
    chunk->begin = published_;
    chunk->records.assign(recs.begin() + static_cast<std::ptrdiff_t>(published_), recs.end());
    chunk->prev = std::move(newest_);
    newest_ = std::move(chunk);
  }
  s->info = info_;
  s->newest = newest_;
  s->new_begin = published_;
  s->total_records = recs.size();
  published_ = recs.size();
  s->current = runner_->current_record();
  s->status = runner_->status();
  s->playing = playing();
  s->t = runner_->t();
  s->progress = runner_->progress();
  s->run_to = run_to_;
  s->steps = runner_->steps_taken();
  s->solver_seconds = solver_seconds_;
  s->steps_per_second = steps_per_second_;
  s->refused = refused_;
  s->worker_cpu_seconds = worker_cpu_;
  s->seq = ++seq_;
  worker_.publish(std::move(s));
  dirty_ = false;
}

void DynamicsWorker::advance_once() {
  Runner& r = *runner_;
  const double t0 = monotonic_seconds();
  Budget b;
  b.max_seconds = kSlice;
  if (run_to_ >= 0.0) b.until_t = run_to_;
  std::size_t added = 0;
  if (mode_ == SpeedMode::records_per_second && speed_ > 0.0) {
    // Log-spaced records at a steady rate make the log-time axis fill evenly.
    const double allowed = ref_records_ + speed_ * play_clock_ - static_cast<double>(r.records().size());
    if (allowed < 1.0) return;
    while (monotonic_seconds() - t0 < kSlice && !r.done()) {
      Budget c = b;
      c.max_steps = chunk_steps_;
      const std::size_t n = r.advance(c);
      added += n;
      if (n == 0) chunk_steps_ = std::min<std::int64_t>(chunk_steps_ * 2, 1 << 20);
      else chunk_steps_ = std::max<std::int64_t>(1, chunk_steps_ / 2);
      if (static_cast<double>(added) >= allowed) break;
      if (run_to_ >= 0.0 && r.t() >= run_to_) break;
    }
  } else if (mode_ == SpeedMode::time_per_second && speed_ > 0.0) {
    b.until_t = std::min(b.until_t, ref_t_ + speed_ * play_clock_);
    if (r.t() >= b.until_t) return;
    added = r.advance(b);
  } else {
    added = r.advance(b);
  }
  const double spent = monotonic_seconds() - t0;
  solver_seconds_ += spent;
  if (added) dirty_ = true;
  if (r.done()) set_playing(false), dirty_ = true;
  if (run_to_ >= 0.0 && r.t() >= run_to_ * (1 - 1e-12)) set_playing(false), run_to_ = -1.0, dirty_ = true;
}

Slice DynamicsWorker::tick(JobControl& job, const SliceContext& ctx) {
  std::deque<Command> cmds;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool busy = playing() && !runner_->done();
    if (queue_.empty() && !busy && !dirty_ && !job.cancel_requested()) {
      if (!ctx.may_block) return Slice::idle;
      cv_.wait(lock, [&] { return !queue_.empty() || job.cancel_requested(); });
    }
    if (job.cancel_requested()) {
      if (!job_ended(job.state())) job.set_state(JobState::cancelled);  // the worker goes before its run ended
      return Slice::ended;
    }
    cmds.swap(queue_);
  }
  const bool was_playing = playing();
  bool restarted = false;
  for (Command& c : cmds) {
    switch (c.kind) {
      case Command::play: set_playing(!runner_->done()); break;
      case Command::pause: set_playing(false); break;
      case Command::toggle: set_playing(!playing() && !runner_->done()); break;
      case Command::step:
        set_playing(false);
        if (!runner_->done()) {
          const double t0 = monotonic_seconds();
          runner_->step_once();
          solver_seconds_ += monotonic_seconds() - t0;
        }
        break;
      case Command::reset:
        restarted = true;
        try {
          start_run(info_->config);
          refused_.clear();
        } catch (const std::exception& e) {
          refused_ = e.what();
        }
        break;
      case Command::speed:
        mode_ = c.mode;
        speed_ = c.value;
        play_clock_ = 0.0;
        ref_t_ = runner_->t();
        ref_records_ = runner_->records().size();
        break;
      case Command::run_to:
        if (c.value > runner_->t() && !runner_->done()) run_to_ = c.value, set_playing(true);
        break;
    }
    dirty_ = true;
  }
  const double now = monotonic_seconds();
  if (playing() && !was_playing) {
    // Resuming: rates count from here, not from when the run was paused.
    play_clock_ = 0.0;
    ref_t_ = runner_->t();
    ref_records_ = runner_->records().size();
  }
  if (playing()) play_clock_ += now - last_tick_;
  last_tick_ = now;
  bool throttled = false;
  if (playing() && !runner_->done()) {
    const auto before = runner_->records().size();
    const double t_before = runner_->t();
    advance_once();
    // Throttled modes that are ahead of their schedule wait instead of spinning.
    throttled = playing() && runner_->records().size() == before && runner_->t() == t_before;
    if (throttled && ctx.may_block) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (restarted) {
    // A new run counts its rate from zero: the old run's steps are not the new run's (no negative rates).
    steps_per_second_ = 0.0;
    rate_steps0_ = runner_->steps_taken();
    rate_t0_ = now;
  }
  if (now - rate_t0_ >= 1.0) {
    steps_per_second_ = static_cast<double>(runner_->steps_taken() - rate_steps0_) / (now - rate_t0_);
    rate_steps0_ = runner_->steps_taken();
    rate_t0_ = now;
  }
  report();
  const double interval = publish_interval_.load(std::memory_order_relaxed);
  if (dirty_ && monotonic_seconds() - last_publish_ >= interval) {
    worker_cpu_ = thread_cpu_seconds();
    publish();
    last_publish_ = monotonic_seconds();
  } else if (dirty_ && !playing()) {
    // Nothing else to do: wait out the interval, then publish the final state (inline: a later slice does).
    if (!ctx.may_block) return Slice::idle;
    std::this_thread::sleep_for(
        std::chrono::duration<double>(std::max(0.0, interval - (monotonic_seconds() - last_publish_))));
    worker_cpu_ = thread_cpu_seconds();
    publish();
    last_publish_ = monotonic_seconds();
  }
  // The thread executor calls again at once (this slice did its own waiting); inline, an idle run yields the frame.
  if (ctx.may_block) return Slice::more;
  return playing() && !runner_->done() && !throttled ? Slice::more : Slice::idle;
}

}  // namespace polarlab::gui
