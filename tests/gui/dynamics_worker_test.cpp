// The dynamics worker's snapshot hand-off: commands from other threads while the UI side reads snapshots; its
// job (state, progress, error) follows the run. Built twice: plain and with -fsanitize=thread
// (polarlab_dynamics_worker_tsan_tests); run on both executors of the job host (POLARLAB_EXECUTOR=inline: the
// test's thread advances the job between its looks, as the frame does).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/gui/dynamics/history.hpp"
#include "app/gui/dynamics/worker.hpp"
#include "core/experiment/presets.hpp"
#include "tests/gui/executor.hpp"
#include "tests/poll.hpp"

using namespace polarlab;
using namespace polarlab::gui;
using namespace std::chrono_literals;

namespace {
JobHost& host() {
  static JobHost h(polarlab::test::executor_from_env());
  return h;
}
// Between looks: the inline executor's slices (a frame's worth), or a short sleep while the thread works.
void pump() {
  if (host().run_slices(0.004) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

ExperimentConfig small_config(std::int64_t steps = 20000, int records = 300) {
  ExperimentConfig c = resolve_preset("fig2");
  c.steps = steps;
  c.records = records;
  return c;
}

// Waits (bounded) until pred(snapshot) holds; at the deadline the test fails, naming what it waited for.
template <class Pred>
std::shared_ptr<const DynamicsSnapshot> wait_for(const DynamicsWorker& w, Pred pred, const char* what,
                                                 double seconds = 30.0) {
  std::shared_ptr<const DynamicsSnapshot> s;
  if (!polarlab::test::poll_until([&] { return pred(*(s = w.snapshot())); }, seconds, pump))
    ADD_FAILURE() << "timed out after " << seconds << " s waiting for: " << what << " (steps " << s->steps
                  << ", records " << s->total_records << ", playing " << s->playing << ")";
  return s;
}

// Waits (bounded) until pred(job) holds; at the deadline the test fails, naming what it waited for.
template <class Pred>
void wait_job(const DynamicsWorker& w, Pred pred, const char* what, double seconds = 30.0) {
  if (!polarlab::test::poll_until([&] { return pred(w.job()); }, seconds, pump))
    ADD_FAILURE() << "timed out after " << seconds << " s waiting for: " << what << " (job "
                  << job_state_name(w.job().state()) << ", " << w.job().done() << " of " << w.job().total() << ")";
}

// Syncs h like the UI does (whenever, possibly skipping snapshots) until the run has finished and h holds
// every record; fails at the deadline.
void sync_until_finished(const DynamicsWorker& w, History& h, double seconds = 60.0) {
  const bool done = polarlab::test::poll_until(
      [&] {
        h.sync(w.snapshot());
        return h.snap->status.state == RunState::finished && h.size() == h.snap->total_records;
      },
      seconds, pump);
  if (!done)
    ADD_FAILURE() << "timed out after " << seconds << " s waiting for the run to finish (steps " << h.snap->steps
                  << ", records " << h.size() << " of " << h.snap->total_records << ")";
}
}  // namespace

TEST(DynamicsWorker, ABadFirstConfigThrowsOnTheCallersThread) {
  ExperimentConfig bad = small_config();
  bad.model = ModelKind::tied;
  bad.d = 8;
  bad.p = 9;  // the tied model needs d = p
  EXPECT_THROW(DynamicsWorker w(host(), bad), ConfigError);
}

TEST(DynamicsWorker, PublishesAnInitialSnapshotPaused) {
  DynamicsWorker w(host(), small_config());
  auto s = w.snapshot();
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->playing);
  EXPECT_EQ(s->total_records, 1u);  // the t = 0 record
  EXPECT_EQ(s->steps, 0);
  EXPECT_EQ(s->info->config.steps, 20000);
}

TEST(DynamicsWorker, PlayRunsToTheEndAndHistoryGetsEveryRecordInOrder) {
  DynamicsWorker w(host(), small_config());
  w.play();
  History h;
  sync_until_finished(w, h);
  ASSERT_EQ(h.snap->status.state, RunState::finished);
  EXPECT_EQ(h.size(), h.snap->total_records);
  EXPECT_GT(h.size(), 100u);
  for (std::size_t i = 1; i < h.size(); ++i) ASSERT_LT(h.t[i - 1], h.t[i]);
  EXPECT_EQ(h.s.size(), 8u);
  EXPECT_FALSE(h.snap->playing);
}

TEST(DynamicsWorker, HistoryColumnsStayPutWhileTheRunRecords) {
  // The plots key their caches on the columns' addresses: a column that grows by copying would make every
  // plot start over (tens of ms at 10⁵ records). History reserves the planned records at the first one.
  DynamicsWorker w(host(), small_config(20000, 600));
  History h;
  h.sync(w.snapshot());
  ASSERT_EQ(h.size(), 1u);
  const double* t0 = h.t.data();
  const double* s0 = h.s.at(0).data();
  const double* loss0 = h.loss.data();
  w.play();
  sync_until_finished(w, h);
  ASSERT_GT(h.size(), 300u);  // log-spaced records: fewer than asked, many more than one
  EXPECT_EQ(h.t.data(), t0);
  EXPECT_EQ(h.s.at(0).data(), s0);
  EXPECT_EQ(h.loss.data(), loss0);
}

TEST(DynamicsWorker, StepPauseResetAndRunTo) {
  DynamicsWorker w(host(), small_config(200000, 500));
  w.step();
  auto s = wait_for(w, [](const DynamicsSnapshot& s) { return s.steps == 1; }, "one step");
  EXPECT_EQ(s->steps, 1);
  EXPECT_FALSE(s->playing);
  w.run_to(50.0);  // lr 0.1: 500 steps
  s = wait_for(w, [](const DynamicsSnapshot& s) { return !s.playing && s.steps >= 500; },
               "run_to(50) to stop at step 500");
  EXPECT_NEAR(s->t, 50.0, 0.1 + 1e-9);
  EXPECT_FALSE(s->playing);
  const auto id = s->info->id;
  w.reset();
  s = wait_for(w, [&](const DynamicsSnapshot& s) { return s.info->id != id; }, "a new run after reset");
  EXPECT_NE(s->info->id, id);
  EXPECT_EQ(s->steps, 0);
  EXPECT_EQ(s->total_records, 1u);
}

TEST(DynamicsWorker, ThrottledSpeedRecordsPerSecond) {
  // At 200 records/s the worker never gets ahead of its schedule: at any moment it holds at most the t = 0
  // record, 200 per second since it started, and the records of one solver chunk it may overshoot by (64
  // steps at most, at most one record each). Checked on every snapshot while waiting (bounded) for 300
  // records, so a busy machine only makes the wait longer; unthrottled, the 2000 records take milliseconds.
  constexpr double kRate = 200.0;
  constexpr std::size_t kSlack = 1 + 64, kTarget = 300;
  const auto t0 = std::chrono::steady_clock::now();  // before the worker (and its clock) starts
  DynamicsWorker w(host(), small_config(1000000, 2000), true, SpeedMode::records_per_second, kRate);
  std::size_t most_ahead = 0, records_then = 0;  // the largest excess over the schedule seen, and when
  double elapsed_then = 0.0;
  auto s = wait_for(
      w,
      [&](const DynamicsSnapshot& s) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const auto allowed = kSlack + static_cast<std::size_t>(kRate * elapsed);
        if (s.total_records > allowed && s.total_records - allowed > most_ahead)
          most_ahead = s.total_records - allowed, records_then = s.total_records, elapsed_then = elapsed;
        return s.total_records >= kTarget;
      },
      "300 records at 200 records/s");
  EXPECT_EQ(most_ahead, 0u) << records_then << " records after " << elapsed_then << " s: ahead of 200 records/s";
  EXPECT_GE(s->total_records, kTarget);
}

TEST(DynamicsWorker, NaNRunFailsWithAMessageAndKeepsItsRecords) {
  ExperimentConfig c = resolve_preset("fig13", {{"loss", "square"}});
  c.lr = 1e3;  // square loss: GD with a huge step overflows within a few hundred steps
  c.steps = 100000;
  DynamicsWorker w(host(), c, true);
  auto s = wait_for(w, [](const DynamicsSnapshot& s) { return s.status.state != RunState::running && !s.playing; },
                  "the run to stop");
  ASSERT_EQ(s->status.state, RunState::failed);
  EXPECT_NE(s->status.message.find("not finite"), std::string::npos) << s->status.message;
  EXPECT_GE(s->total_records, 1u);
  History h;
  h.sync(s);
  EXPECT_EQ(h.size(), s->total_records);
}

TEST(DynamicsWorker, ItsJobIsTheRunShown) {
  // Paused until played (play and pause stay commands; the job says which), its progress in GD steps, finished
  // and no longer playing at the end.
  DynamicsWorker w(host(), small_config());
  EXPECT_EQ(w.job().state(), JobState::paused);
  EXPECT_TRUE(w.job().pause_requested());
  EXPECT_EQ(w.job().total(), 20000);
  w.play();
  wait_job(w, [](const JobControl& j) { return j.state() == JobState::finished; }, "the job to finish");
  EXPECT_EQ(w.job().done(), 20000);
  EXPECT_TRUE(w.job().pause_requested());
  EXPECT_EQ(w.job().error(), "");
}

TEST(DynamicsWorker, AFailedRunIsAFailedJobUntilReset) {
  ExperimentConfig c = resolve_preset("fig13", {{"loss", "square"}});
  c.lr = 1e3;  // diverges within a few hundred steps (as above)
  c.steps = 100000;
  DynamicsWorker w(host(), c, true);
  wait_job(w, [](const JobControl& j) { return j.state() == JobState::failed; }, "the job to fail");
  auto s = wait_for(w, [](const DynamicsSnapshot& s) { return s.status.state == RunState::failed; }, "the failure");
  EXPECT_EQ(w.job().error(), s->status.message);
  EXPECT_NE(w.job().error().find("not finite"), std::string::npos) << w.job().error();
  // The same control, a new run: no error, no progress, paused (a failed run stopped playing).
  w.reset();
  wait_job(w, [](const JobControl& j) { return j.state() == JobState::paused; }, "the reset run, paused");
  EXPECT_EQ(w.job().error(), "");
  EXPECT_EQ(w.job().done(), 0);
  EXPECT_EQ(w.job().total(), 100000);
}

TEST(DynamicsWorker, CommandsFromManyThreadsWhileTheUiReads) {
  DynamicsWorker w(host(), small_config(300000, 1000), true, SpeedMode::max);
  w.set_publish_interval(0.0005);
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int k = 0; k < 3; ++k)
    senders.emplace_back([&, k] {
      int i = 0;
      while (!stop.load()) {
        switch ((i++ + k) % 7) {
          case 0: w.pause(); break;
          case 1: w.play(); break;
          case 2: w.step(); break;
          case 3: w.set_speed(SpeedMode::records_per_second, 5000); break;
          case 4: w.set_speed(SpeedMode::max, 0); break;
          case 5: w.toggle(); break;
          case 6: if (i % 50 == 0) w.reset(); break;
        }
        std::this_thread::sleep_for(200us);
      }
    });
  History h;
  std::uint64_t last_seq = 0;
  for (int i = 0; i < 1500; ++i) {
    auto s = w.snapshot();
    ASSERT_GE(s->seq, last_seq);  // snapshots only move forward
    last_seq = s->seq;
    h.sync(s);
    ASSERT_EQ(h.size(), s->total_records);
    for (std::size_t k = 1; k < h.size(); ++k) ASSERT_LT(h.t[k - 1], h.t[k]);
    if (host().run_slices(0.0001) == 0) std::this_thread::sleep_for(100us);
  }
  stop = true;
  for (auto& t : senders) t.join();
  const auto id = w.snapshot()->info->id;
  w.reset();
  auto s = wait_for(w, [&](const DynamicsSnapshot& s) { return s.info->id > id; }, "the reset run");
  EXPECT_GT(s->info->id, id);
}
