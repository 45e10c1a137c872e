// Training run folders are owned (issue 25): a fresh run removes the previous run's files (a classification run's
// cls_attention.csv does not survive under an induction run), --resume continues in place, a sweep's files are
// left alone, a folder holding other files is refused unless --force, an unwritable --out exits 2 naming --out.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/io/owned_folder.hpp"
#include "core/transformer/run_files.hpp"
#include "core/transformer/train_run.hpp"
#include "core/types.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"
#include "tests/slurp.hpp"

namespace tf = polarlab::transformer;
namespace fs = std::filesystem;

namespace {
using polarlab::test::TempDir;

// A small model: a few ms per step on one core.
tf::TrainConfig tiny(tf::TaskKind task, long long steps) {
  tf::TrainConfig c;
  c.task = task;
  c.d_model = 32;
  c.d_ff = 64;
  c.heads = 2;
  c.layers = task == tf::TaskKind::classification ? 1 : 2;
  c.batch_size = 32;
  c.train_size = 256;
  c.eval_size = 64;
  c.steps = steps;
  c.threads = 1;
  c.device = "cpu";
  c.log_every = 5;
  return c;
}

std::set<std::string> files_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

using polarlab::test::slurp;
}  // namespace

TEST(TrainFolder, AFreshRunReplacesThePreviousRunsFiles) {
  const TempDir tmp("train-owned");
  const fs::path dir = tmp.sub("run");
  tf::TrainRunOptions o;
  o.out = dir.string();
  ASSERT_EQ(tf::train_to_directory(tiny(tf::TaskKind::classification, 5), o).state, tf::TrainState::finished);
  ASSERT_TRUE(fs::exists(dir / "cls_attention.csv"));
  // A sweep's bookkeeping beside the run: not the run's, kept.
  std::ofstream(dir / "status.json") << "{}\n";
  std::ofstream(dir / "train.log") << "log\n";

  ASSERT_EQ(tf::train_to_directory(tiny(tf::TaskKind::induction, 5), o).state, tf::TrainState::finished);
  EXPECT_FALSE(fs::exists(dir / "cls_attention.csv"));
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"attention.json", "attention.npy", "checkpoint.pt", "config.json",
                                                  "manifest.json", "metrics.csv", "summary.json", "status.json",
                                                  "train.log"}));
  EXPECT_EQ(slurp(dir / "train.log"), "log\n");
  const auto m = polarlab::read_manifest(dir.string());
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, "train");
  EXPECT_FALSE(m->lists("cls_attention.csv"));
  EXPECT_FALSE(m->lists("status.json"));
  EXPECT_EQ(tf::read_run_config(dir.string())->task, tf::TaskKind::induction);

  // --resume continues the run in place: its rows up to the checkpoint stay.
  o.resume = true;
  auto longer = tiny(tf::TaskKind::induction, 10);
  EXPECT_EQ(tf::train_to_directory(longer, o).summary["steps"], 10);
  const std::string metrics = slurp(dir / "metrics.csv");
  EXPECT_NE(metrics.find("\n5,"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("\n10,"), std::string::npos) << metrics;
  EXPECT_TRUE(polarlab::read_manifest(dir.string())->lists("checkpoint.pt"));
}

TEST(TrainFolder, AForeignFolderIsRefusedUnlessForced) {
  const TempDir tmp("train-foreign");
  const fs::path dir = tmp.sub("mine");
  fs::create_directories(dir);
  std::ofstream(dir / "thesis.tex") << "x\n";
  tf::TrainRunOptions o;
  o.out = dir.string();
  try {
    tf::train_to_directory(tiny(tf::TaskKind::induction, 5), o);
    FAIL() << "a folder holding thesis.tex was written into";
  } catch (const polarlab::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("thesis.tex"), std::string::npos) << e.what();
  }
  EXPECT_EQ(files_in(dir), std::set<std::string>{"thesis.tex"});
  o.force = true;
  ASSERT_EQ(tf::train_to_directory(tiny(tf::TaskKind::induction, 5), o).state, tf::TrainState::finished);
  EXPECT_EQ(slurp(dir / "thesis.tex"), "x\n");
  EXPECT_FALSE(polarlab::read_manifest(dir.string())->lists("thesis.tex"));
}

TEST(TrainFolder, CliRefusesAnUnwritableOrForeignOutBeforeTraining) {
  const TempDir tmp("train-cli-out");
  const fs::path file = tmp.path / "plain-file";
  std::ofstream(file) << "x";
  const std::string flags = " --steps 5 --threads 1 --device cpu --quiet --out ";
  auto r = polarlab::test::run_cli(POLARLAB_CLI, "train" + flags + (file / "x").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
  const fs::path mine = tmp.sub("mine");
  fs::create_directories(mine);
  std::ofstream(mine / "notes.txt") << "x\n";
  r = polarlab::test::run_cli(POLARLAB_CLI, "train" + flags + mine.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out: "), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  EXPECT_EQ(files_in(mine), std::set<std::string>{"notes.txt"});
  r = polarlab::test::run_cli(POLARLAB_CLI, "train" + flags + mine.string() + " --force");
  EXPECT_EQ(r.code, 0) << r.output;
  EXPECT_TRUE(fs::exists(mine / "summary.json"));
  EXPECT_TRUE(fs::exists(mine / "notes.txt"));
}
