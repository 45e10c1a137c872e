// Output folders are owned (issue 25): a run written into a folder replaces the run there as a whole, so no
// file of the run before survives; a folder holding other files is refused unless --force (and then they are
// left alone and not read); an --out that cannot be written is refused, naming --out, before any work.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/io/owned_folder.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"
#include "tests/slurp.hpp"

namespace fs = std::filesystem;

namespace {
using polarlab::test::TempDir;
using Result = polarlab::test::CliResult;

Result cli(const std::string& args) { return polarlab::test::run_cli(POLARLAB_CLI, args); }

std::set<std::string> files_in(const fs::path& dir) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
  return out;
}

std::set<std::string> manifest_files(const fs::path& dir) {
  std::ifstream in(dir / "manifest.json");
  const auto j = nlohmann::json::parse(in);
  std::set<std::string> out;
  for (const auto& f : j.at("files")) out.insert(f.get<std::string>());
  return out;
}

using polarlab::test::slurp;

// A float32 .npy of shape (layer, head, q, k) = (1, 1, 2, 2): attention stats' smallest input.
void write_attention_npy(const fs::path& path) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 2, 2), }";
  header.append(128 - 10 - header.size() - 1, ' ');  // magic + length + header: a multiple of 64
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  const char pre[10] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<char>(header.size()), 0};
  out.write(pre, sizeof pre);
  out << header;
  const float w[4] = {1.0f, 0.0f, 0.75f, 0.25f};
  out.write(reinterpret_cast<const char*>(w), sizeof w);
}

const std::set<std::string> kFig2Files = {"config.json",    "initial_state.json", "manifest.json",
                                          "potentials.csv", "summary.json",       "trajectory.csv"};
}  // namespace

TEST(RunFolder, Fig2OverASinkRunLeavesExactlyFig2sFiles) {
  const TempDir tmp("owned-sink-fig2");
  const fs::path out = tmp.sub("run");
  Result r = cli("simulate --preset sink --quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  ASSERT_TRUE(fs::exists(out / "attention.csv"));
  r = cli("simulate --preset fig2 --steps 1000 --quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(files_in(out), kFig2Files);
  EXPECT_EQ(manifest_files(out), (std::set<std::string>{"config.json", "initial_state.json", "potentials.csv",
                                                        "summary.json", "trajectory.csv"}));
  EXPECT_NE(slurp(out / "config.json").find("\"fig2\""), std::string::npos);
  // Nothing is left beside the folder either (the staging folder was swapped in, the old one removed).
  EXPECT_EQ(files_in(tmp.path), std::set<std::string>{"run"});
}

TEST(RunFolder, DimFortyOverDimEightLeavesNoPotentials) {
  const TempDir tmp("owned-dim");
  const fs::path out = tmp.sub("run");
  Result r = cli("simulate --preset fig2 --dim 8 --steps 100 --quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  ASSERT_TRUE(fs::exists(out / "potentials.csv"));
  r = cli("simulate --preset fig2 --dim 40 --steps 100 --quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_FALSE(fs::exists(out / "potentials.csv"));  // only written for p <= 32: the 28 pairs of p = 8 are gone
  EXPECT_FALSE(manifest_files(out).count("potentials.csv"));
}

TEST(RunFolder, AForeignFolderIsRefusedWithoutForceAndKeptWithIt) {
  const TempDir tmp("owned-foreign");
  const fs::path out = tmp.sub("mine");
  fs::create_directories(out);
  std::ofstream(out / "notes.txt") << "my notes\n";
  Result r = cli("simulate --preset fig2 --steps 100 --quiet --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("notes.txt"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--force"), std::string::npos) << r.output;
  EXPECT_EQ(files_in(out), std::set<std::string>{"notes.txt"});  // nothing written

  r = cli("simulate --preset fig2 --steps 100 --quiet --force --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(slurp(out / "notes.txt"), "my notes\n");
  EXPECT_FALSE(manifest_files(out).count("notes.txt"));
  EXPECT_TRUE(manifest_files(out).count("trajectory.csv"));
  // A second forced run replaces its own files and still leaves the notes alone.
  r = cli("simulate --preset fig2 --steps 200 --quiet --force --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(slurp(out / "notes.txt"), "my notes\n");
  EXPECT_EQ(files_in(out), (std::set<std::string>{"notes.txt", "config.json", "initial_state.json", "manifest.json",
                                                  "potentials.csv", "summary.json", "trajectory.csv"}));
}

TEST(RunFolder, ReadersSkipFilesTheManifestDoesNotList) {
  // An older polarlab's sink run (no manifest) in a folder that also holds someone's notes: a forced fig2 run
  // cannot tell the old attention.csv from a file of the user's, keeps it, and leaves it out of its manifest;
  // figure --run then finds no attention in the fig2 run.
  const TempDir tmp("owned-reader");
  const fs::path out = tmp.sub("run");
  Result r = cli("simulate --preset sink --quiet --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  fs::remove(out / "manifest.json");
  std::ofstream(out / "notes.txt") << "x\n";
  r = cli("simulate --preset fig2 --steps 100 --quiet --force --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  ASSERT_TRUE(fs::exists(out / "attention.csv"));
  EXPECT_FALSE(polarlab::run_file_listed(out.string(), "attention.csv"));
  EXPECT_TRUE(polarlab::run_file_listed(out.string(), "trajectory.csv"));
  r = cli("figure --run " + out.string() + " --kind sink --out " + (tmp.path / "sink.png").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("no attention"), std::string::npos) << r.output;
}

TEST(RunFolder, AnUnwritableOutIsRefusedBeforeTheRun) {
  const TempDir tmp("owned-unwritable");
  const fs::path file = tmp.path / "plain-file";
  std::ofstream(file) << "x";
  // fig2's full 10^6 GD steps: refused at once, not after the run.
  const auto t0 = std::chrono::steady_clock::now();
  const Result r = cli("simulate --preset fig2 --quiet --out " + (file / "x").string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out: cannot create '" + (file / "x").string() + "'"), std::string::npos) << r.output;
  EXPECT_LT(seconds, 5.0);
  const Result f = cli("simulate --preset fig2 --steps 10 --out " + file.string());
  EXPECT_EQ(f.code, 2) << f.output;
  EXPECT_NE(f.output.find("--out: '" + file.string() + "' is a file"), std::string::npos) << f.output;
  EXPECT_EQ(files_in(tmp.path), std::set<std::string>{"plain-file"});
}

TEST(RunFolder, EnsembleFoldersAreOwned) {
  const TempDir tmp("owned-ensemble");
  const fs::path file = tmp.path / "plain-file";
  std::ofstream(file) << "x";
  Result r = cli("ensemble --preset fig2 --count 2 --t-end 10 --quiet --out " + (file / "x").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out: cannot create"), std::string::npos) << r.output;
  // A simulate run's folder is not an ensemble's: refused, not replaced.
  const fs::path run = tmp.sub("run");
  ASSERT_EQ(cli("simulate --preset fig2 --steps 10 --quiet --out " + run.string()).code, 0);
  r = cli("ensemble --preset fig2 --count 2 --t-end 10 --quiet --out " + run.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("simulate run"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(run / "trajectory.csv"));
  const fs::path ens = tmp.sub("ens");
  ASSERT_EQ(cli("ensemble --preset fig2 --count 2 --t-end 10 --quiet --out " + ens.string()).code, 0);
  ASSERT_EQ(cli("ensemble --preset fig2 --count 3 --t-end 10 --quiet --out " + ens.string()).code, 0);
  EXPECT_EQ(files_in(ens), (std::set<std::string>{"manifest.json", "members.csv", "summary.csv", "summary.json"}));
}

TEST(RunFolder, AttentionStatsFoldersAreOwned) {
  const TempDir tmp("owned-stats");
  const fs::path npy = tmp.path / "attn.npy";
  write_attention_npy(npy);
  const fs::path file = tmp.path / "plain-file";
  std::ofstream(file) << "x";
  Result r = cli("attention stats " + npy.string() + " --out " + (file / "stats").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out: cannot create"), std::string::npos) << r.output;
  const fs::path out = tmp.sub("stats");
  fs::create_directories(out);
  std::ofstream(out / "mine.csv") << "x\n";
  r = cli("attention stats " + npy.string() + " --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("mine.csv"), std::string::npos) << r.output;
  EXPECT_EQ(files_in(out), std::set<std::string>{"mine.csv"});
  fs::remove(out / "mine.csv");
  r = cli("attention stats " + npy.string() + " --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  const std::set<std::string> first = files_in(out);
  EXPECT_TRUE(first.count("heads.csv") && first.count("summary.json") && first.count("manifest.json"));
  r = cli("attention stats " + npy.string() + " --out " + out.string());  // again: replaced, the same files
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(files_in(out), first);
  // A run folder given as attention stats' --out is refused, not overwritten.
  const fs::path run = tmp.sub("run");
  ASSERT_EQ(cli("simulate --preset fig2 --steps 10 --quiet --out " + run.string()).code, 0);
  r = cli("attention stats " + npy.string() + " --out " + run.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_TRUE(fs::exists(run / "trajectory.csv"));
}
