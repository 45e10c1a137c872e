// The dynamics worker: a JobWorker (shell/job_worker.hpp) whose thread owns the Runner, takes commands from a queue
// and publishes immutable snapshots by pointer swap. The UI reads the latest snapshot each frame and never waits
// on the solver; the solver never waits on the UI (publishing is a pointer swap, at most once per publish
// interval). Its job is the run shown: paused while not playing, its progress and end as the Runner reports
// them; a reset or a new config restarts it.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "app/gui/shell/job_worker.hpp"
#include "core/experiment/config.hpp"
#include "core/experiment/runner.hpp"

namespace polarlab::gui {

// Records arrive in immutable chunks linked newest → oldest, so a snapshot shares all earlier records
// with the previous one and a reader that skipped snapshots can still collect every record it missed.
struct RecordChunk {
  std::size_t begin = 0;  // index of records.front() in the run
  std::vector<Record> records;
  std::shared_ptr<const RecordChunk> prev;
};

// What does not change while a run goes on.
struct RunInfo {
  std::uint64_t id = 0;  // new on every reset or config change
  ExperimentConfig config;
  InitialFacts facts;
};

struct DynamicsSnapshot {
  std::shared_ptr<const RunInfo> info;
  std::shared_ptr<const RecordChunk> newest;  // nullptr: no records yet
  std::size_t total_records = 0;
  std::size_t new_begin = 0;  // records [new_begin, total_records) are new since the previous snapshot
  Record current;             // observables at the current state (on the grid or not)
  RunStatus status;
  bool playing = false;
  double t = 0.0, progress = 0.0, run_to = -1.0;
  std::int64_t steps = 0;
  double solver_seconds = 0.0;      // time spent inside Runner::advance
  double steps_per_second = 0.0;    // over the last second of playing
  double worker_cpu_seconds = 0.0;  // CPU time of the worker thread so far (for the benchmark)
  std::string refused;              // why the last command was refused (e.g. a config the runner rejected)
  std::uint64_t seq = 0;            // publish counter

  // Records [from, total_records) in order (walks the chunk list back).
  std::vector<const Record*> records_from(std::size_t from) const;
};

enum class SpeedMode { max, records_per_second, time_per_second };

struct Command {
  // A new config is a new worker (AppState::apply validates it first); reset restarts the same one.
  enum Kind { play, pause, toggle, step, reset, speed, run_to } kind = play;
  SpeedMode mode = SpeedMode::max;
  double value = 0.0;
};

class DynamicsWorker {
 public:
  // Builds the first run on the caller's thread, so a bad config throws ConfigError here.
  DynamicsWorker(JobHost& host, const ExperimentConfig& cfg, bool playing = false, SpeedMode mode = SpeedMode::max,
                 double speed = 0.0);
  ~DynamicsWorker();  // cancels the job; the JobWorker joins
  DynamicsWorker(const DynamicsWorker&) = delete;
  DynamicsWorker& operator=(const DynamicsWorker&) = delete;

  void send(Command c);
  void play() { send({Command::play}); }
  void pause() { send({Command::pause}); }
  void toggle() { send({Command::toggle}); }
  void step() { send({Command::step}); }
  void reset() { send({Command::reset}); }
  void set_speed(SpeedMode m, double v) { send({Command::speed, m, v}); }
  void run_to(double t) { send({Command::run_to, SpeedMode::max, t}); }

  std::shared_ptr<const DynamicsSnapshot> snapshot() const { return worker_.snapshot(); }
  // Read-only: play and pause are commands, so they keep their order with steps and resets.
  const JobControl& job() const { return worker_.job(); }
  // Minimum time between publishes (the UI's frame interval).
  void set_publish_interval(double seconds) { publish_interval_.store(seconds, std::memory_order_relaxed); }

 private:
  // One pass of the worker's loop: the queued commands, a slice of solving, a publish when due. With
  // may_block, it waits for commands when there is nothing to do; otherwise it returns Slice::idle.
  Slice tick(JobControl& job, const SliceContext& ctx);
  void start_run(const ExperimentConfig& cfg);
  void advance_once();
  void publish();
  // Playing is the job not paused; only the worker thread changes it (after construction).
  bool playing() const { return !worker_.job().pause_requested(); }
  void set_playing(bool playing) { worker_.job().set_paused(!playing); }
  void report();  // the job's state and progress from the run

  std::atomic<double> publish_interval_{1.0 / 60.0};
  std::mutex mutex_;  // guards queue_, and the cancel against the thread's wait for commands
  std::condition_variable cv_;
  std::deque<Command> queue_;

  // Owned by the worker thread after construction.
  std::unique_ptr<Runner> runner_;
  std::shared_ptr<const RunInfo> info_;
  std::shared_ptr<const RecordChunk> newest_;
  std::size_t published_ = 0;
  std::uint64_t next_id_ = 1, seq_ = 0;
  SpeedMode mode_ = SpeedMode::max;
  double speed_ = 0.0;
  double run_to_ = -1.0;
  double solver_seconds_ = 0.0;
  double play_clock_ = 0.0;         // wall seconds played since the speed reference was set
  double ref_t_ = 0.0;              // sim time at the reference
  std::size_t ref_records_ = 0;     // records at the reference
  double steps_per_second_ = 0.0;
  std::int64_t chunk_steps_ = 64;
  std::string refused_;
  double worker_cpu_ = 0.0;  // the worker thread's CPU seconds at the last publish
  bool dirty_ = true;
  double last_publish_ = 0.0, last_tick_ = 0.0, rate_t0_ = 0.0;
  std::int64_t rate_steps0_ = 0;

  JobWorker<DynamicsSnapshot> worker_;  // last: starts after everything above exists, joins before it goes
};

}  // namespace polarlab::gui
