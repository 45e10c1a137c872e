// Training through the torch-free API: the loss falls, a checkpoint resumes exactly, control and outputs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "core/transformer/metrics.hpp"
#include "core/transformer/train_run.hpp"
#include "core/transformer/trainer.hpp"
#include "core/types.hpp"
#include "tests/poll.hpp"
#include "tests/temp_dir.hpp"

namespace tf = polarlab::transformer;
namespace fs = std::filesystem;

namespace {
using polarlab::test::TempDir;

// Polls pred (a short sleep between tries) until it holds or `seconds` pass; false at the deadline.
template <class Pred>
bool wait_until(Pred pred, double seconds = 60.0) {
  return polarlab::test::poll_until(pred, seconds);
}

// A small induction model: a few ms per step on one core.
tf::TrainConfig tiny(long long steps) {
  tf::TrainConfig c;
  c.d_model = 32;
  c.d_ff = 64;
  c.heads = 2;
  c.layers = 2;
  c.batch_size = 64;
  c.train_size = 1024;  // 16 steps per epoch: runs cross epoch boundaries
  c.eval_size = 128;
  c.steps = steps;
  c.threads = 1;
  c.device = "cpu";
  c.log_every = 50;
  return c;
}
}  // namespace

TEST(Trainer, AFewHundredStepsReduceTheLoss) {
  auto c = tiny(300);
  c.lr = 3e-3;
  c.train_size = 16384;  // no memorizing: the eval loss must fall too
  tf::Trainer t(c);
  const double before = t.evaluate(false).eval_loss;
  const double first = t.train_step();
  double last = 0;
  for (int i = 1; i < 300; ++i) last += i >= 280 ? t.train_step() / 20 : (t.train_step(), 0.0);
  const auto ev = t.evaluate(false);
  EXPECT_LT(last, first - 0.3);
  EXPECT_LT(ev.eval_loss, before - 0.3);
  EXPECT_EQ(t.step(), 300);
  ASSERT_EQ(ev.sink_scores.size(), 2u);
  ASSERT_EQ(ev.sink_scores[1].size(), 2u);
  for (const auto& layer : ev.sink_scores)
    for (double s : layer) {
      EXPECT_GE(s, 0.0);
      EXPECT_LE(s, 1.0 + 1e-6);
    }
}

TEST(Trainer, CheckpointResumeMatchesAnUninterruptedRun) {
  const TempDir dir("trainer-ckpt");
  const std::string path = (dir.path / "ckpt.pt").string();
  tf::Trainer whole(tiny(40));
  for (int i = 0; i < 40; ++i) whole.train_step();
  {
    tf::Trainer first(tiny(40));
    for (int i = 0; i < 13; ++i) first.train_step();
    first.save_checkpoint(path);
  }
  tf::Trainer second(tiny(40));
  second.load_checkpoint(path);
  EXPECT_EQ(second.step(), 13);
  second.run(nullptr);
  EXPECT_EQ(second.step(), 40);
  EXPECT_EQ(second.flat_parameters(), whole.flat_parameters());
}

TEST(Trainer, CancelAndPause) {
  tf::Trainer t(tiny(50));
  t.set_paused(true);
  // The training thread reports each step; at step 5 it waits (bounded) until this thread has sent the
  // cancel, so the cancel lands between steps 5 and 6 however the two threads are scheduled.
  std::mutex m;
  std::condition_variable cv;
  bool at_five = false, cancel_sent = false;
  auto on_step = [&](long long step) {
    if (step != 5) return;
    std::unique_lock<std::mutex> lock(m);
    at_five = true;
    cv.notify_all();
    cv.wait_for(lock, std::chrono::seconds(60), [&] { return cancel_sent; });
  };
  std::atomic<int> state{static_cast<int>(tf::TrainState::preparing)};
  std::thread worker([&] { state = static_cast<int>(t.run(nullptr, on_step)); });
  auto stop = [&] {  // on a failed wait: end the run before the thread is joined
    t.request_cancel();
    {
      std::lock_guard<std::mutex> lock(m);
      cancel_sent = true;
    }
    cv.notify_all();
    t.set_paused(false);
    worker.join();
  };
  // Started and held by the pause: the state says so, and no step was taken.
  if (!wait_until([&] { return t.job().state() == tf::TrainState::paused; })) {
    stop();
    FAIL() << "the training thread did not report 'paused' within 60 s (state "
           << tf::name_of(t.job().state()) << ")";
  }
  EXPECT_EQ(t.progress().step.load(), 0);
  t.set_paused(false);
  {
    std::unique_lock<std::mutex> lock(m);
    if (!cv.wait_for(lock, std::chrono::seconds(120), [&] { return at_five; })) {
      lock.unlock();
      stop();
      FAIL() << "training did not reach step 5 within 120 s (step " << t.progress().step.load() << ")";
    }
  }
  t.request_cancel();
  {
    std::lock_guard<std::mutex> lock(m);
    cancel_sent = true;
  }
  cv.notify_all();
  worker.join();
  EXPECT_EQ(static_cast<tf::TrainState>(state.load()), tf::TrainState::cancelled);
  EXPECT_EQ(t.job().state(), tf::TrainState::cancelled);
  EXPECT_EQ(t.step(), 5);
  EXPECT_LT(t.step(), 50);
  EXPECT_GT(t.progress().eta_seconds.load(), 0.0);
}

TEST(Trainer, ClassificationFlipRateAndConcentration) {
  tf::TrainConfig c;
  c.task = tf::TaskKind::classification;
  c.positional = tf::Positional::none;
  c.heads = 2;
  c.layers = 1;
  c.d_model = 32;
  c.d_ff = 64;
  c.train_size = 512;
  c.eval_size = 200;
  c.batch_size = 64;
  c.steps = 60;
  c.lr = 1e-2;
  c.threads = 1;
  c.device = "cpu";
  tf::Trainer t(c);
  for (int i = 0; i < 60; ++i) t.train_step();
  const auto ev = t.evaluate(false);
  EXPECT_GT(ev.eval_accuracy, 0.9);
  ASSERT_EQ(ev.concentration.size(), 1u);
  for (double v : ev.concentration[0]) {
    EXPECT_GT(v, 1.0 / 11 - 1e-6);
    EXPECT_LE(v, 1.0 + 1e-6);
  }
  const auto fr = t.flip_rate(100);
  ASSERT_EQ(fr.rate.size(), 1u);
  ASSERT_EQ(fr.rate[0].size(), 2u);
  for (double r : fr.rate[0]) {
    EXPECT_GE(r, 0.0);
    EXPECT_LE(r, 1.0);
  }
  EXPECT_EQ(fr.max, std::max(fr.rate[0][0], fr.rate[0][1]));
  const auto cls = t.cls_attention();
  ASSERT_EQ(cls.size(), 4u);
  EXPECT_EQ(cls[0].rows.size(), 2u * 11u);
}

// Issue 25: attention.npy holds exactly the eval sequences train's sink scores average over, so the scores
// computed from the file (as `attention stats` does) are summary.json's.
TEST(Trainer, AttentionNpyHoldsTheScoredSequences) {
  const TempDir tmp("trainer-npy");
  const auto dir = (tmp.path / "run").string();
  auto c = tiny(5);
  c.eval_size = 300;  // more than the 256 sequences attention.npy used to keep
  tf::TrainRunOptions o;
  o.out = dir;
  const auto r = tf::train_to_directory(c, o);
  std::ifstream in(dir + "/attention.npy", std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(raw.size(), 10u);
  const std::size_t hlen = static_cast<unsigned char>(raw[8]) | static_cast<unsigned char>(raw[9]) << 8;
  const std::string header = raw.substr(10, hlen);
  EXPECT_NE(header.find("(2, 2, 300, 12, 12)"), std::string::npos) << header;
  const int L = 2, H = 2, n = 300, T = 12;
  ASSERT_EQ(raw.size() - 10 - hlen, static_cast<std::size_t>(L * H * n * T * T) * 4);
  std::vector<float> w(static_cast<std::size_t>(L * H * n * T * T));
  std::memcpy(w.data(), raw.data() + 10 + hlen, w.size() * 4);
  const auto& scores = r.summary["sink_scores"];
  ASSERT_EQ(scores.size(), 2u);
  for (int l = 0; l < L; ++l)
    for (int h = 0; h < H; ++h) {
      const double from_file = tf::sink_score(w.data() + static_cast<std::size_t>(l * H + h) * n * T * T, n, T);
      EXPECT_NEAR(from_file, scores[l][h].get<double>(), 1e-12) << l << "," << h;
      EXPECT_EQ(tf::is_sink(from_file), r.summary["sink_heads"][l][h].get<bool>());
    }
}

TEST(Trainer, RunDirectoryHasTheContractedFiles) {
  const TempDir tmp("trainer-run");
  const auto dir = (tmp.path / "run").string();
  auto c = tiny(20);
  c.log_every = 10;
  tf::TrainRunOptions o;
  o.out = dir;
  const auto r = tf::train_to_directory(c, o);
  EXPECT_EQ(r.state, tf::TrainState::finished);
  for (const char* f : {"config.json", "metrics.csv", "summary.json", "attention.json", "attention.npy", "checkpoint.pt"})
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
  std::ifstream in(dir + "/summary.json");
  const auto s = nlohmann::json::parse(in);
  for (const char* key : {"eval_accuracy", "sink_scores", "sink_heads", "steps", "seconds_per_step", "device"})
    EXPECT_TRUE(s.contains(key)) << key;
  EXPECT_EQ(s["steps"], 20);
  EXPECT_EQ(s["sink_scores"].size(), 2u);
  std::ifstream m(dir + "/metrics.csv");
  std::string line;
  int lines = 0;
  while (std::getline(m, line)) ++lines;
  EXPECT_EQ(lines, 3);  // header + steps 10 and 20
  // Resuming a finished run changes nothing; a different config is refused.
  o.resume = true;
  EXPECT_EQ(tf::train_to_directory(c, o).summary["steps"], 20);
  c.lr = 0.5;
  EXPECT_THROW(tf::train_to_directory(c, o), polarlab::ConfigError);
}

TEST(Trainer, BadConfigsAreConfigErrors) {
  auto c = tiny(10);
  c.heads = 3;
  EXPECT_THROW(tf::Trainer{c}, polarlab::ConfigError);
  EXPECT_THROW(tf::attention_from_name("softmaxx"), polarlab::ConfigError);
}

TEST(Trainer, CudaMatchesTheCpuShapes) {
  if (!tf::Trainer::cuda_available()) GTEST_SKIP() << "no CUDA device: libtorch reports none (Debian's build is CPU-only)";
  auto c = tiny(20);
  c.device = "cuda";
  tf::Trainer t(c);
  EXPECT_EQ(t.device(), "cuda");
  for (int i = 0; i < 20; ++i) t.train_step();
  EXPECT_TRUE(std::isfinite(t.evaluate(false).eval_loss));
}

TEST(Trainer, CudaRequestWithoutGpuIsAConfigError) {
  if (tf::Trainer::cuda_available()) GTEST_SKIP() << "a CUDA device is present";
  auto c = tiny(10);
  c.device = "cuda";
  EXPECT_THROW(tf::Trainer{c}, polarlab::ConfigError);
}
