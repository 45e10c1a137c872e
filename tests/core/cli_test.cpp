// The CLI's contract: outputs, reproducibility, and every bad-input path (exit 2, a clear message).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/io/run_directory.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {
struct Result {
  int code;
  std::string output;  // stdout + stderr
};

Result cli(const std::string& args) {
  const std::string cmd = std::string(POLARLAB_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using polarlab::test::TempDir;
}  // namespace

TEST(Cli, SimulateWritesTheThreeFilesWithTheDocumentedHeader) {
  const TempDir tmp("fig2");
  const fs::path out = tmp.sub("out");
  const Result r = cli("simulate --preset fig2 --steps 2000 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  for (const char* f : {"config.json", "initial_state.json", "trajectory.csv"}) EXPECT_TRUE(fs::exists(out / f)) << f;
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  std::string expected = "step,t,loss,entropy,max_s,winner,gamma,gamma_integral";
  for (const char* n : {"s", "u", "a"})
    for (int i = 0; i < 8; ++i) expected += std::string(",") + n + "_" + std::to_string(i);
  std::string header;
  for (std::size_t i = 0; i < 8 + 24; ++i) header += (i ? "," : "") + table.columns[i];
  EXPECT_EQ(header, expected);
  EXPECT_EQ(table.rows.front()[0], 0.0);
  EXPECT_EQ(table.rows.back()[0], 2000.0);
  EXPECT_DOUBLE_EQ(table.rows.back()[1], 200.0);  // GD: t = step · η
  const std::string init = slurp(out / "initial_state.json");
  for (const char* key : {"\"V\"", "\"a\"", "\"beta_star\"", "\"loss\"", "\"map\"", "\"model\""})
    EXPECT_NE(init.find(key), std::string::npos) << key;
}

TEST(Cli, ConfigJsonReproducesTheRunBitForBit) {
  const TempDir tmp("reproduce");
  const fs::path a = tmp.sub("a"), b = tmp.sub("b");
  ASSERT_EQ(cli("simulate --preset fig3 --kappa 4 --steps 3000 --out " + a.string()).code, 0);
  const Result r = cli("simulate --config " + (a / "config.json").string() + " --out " + b.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(slurp(a / "trajectory.csv"), slurp(b / "trajectory.csv"));
  EXPECT_EQ(slurp(a / "initial_state.json"), slurp(b / "initial_state.json"));
  const std::string init = slurp(a / "initial_state.json");
  for (const char* key : {"\"X\"", "\"y\""}) EXPECT_NE(init.find(key), std::string::npos) << key;
}

TEST(Cli, FlowRecordsCountStepsAndReachTEnd) {
  const TempDir tmp("flow");
  const fs::path out = tmp.sub("out");
  ASSERT_EQ(cli("simulate --preset fig2 --method flow --t-end 1e6 --records 50 --out " + out.string()).code, 0);
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  EXPECT_EQ(table.rows.back()[1], 1e6);
  for (std::size_t k = 0; k < table.rows.size(); ++k) EXPECT_EQ(table.rows[k][0], static_cast<double>(k));
}

struct BadInput {
  const char* args;
  const char* must_mention;
};

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsTwoWithAMessageNamingTheProblem) {
  const TempDir tmp("bad");
  const fs::path out = tmp.sub("out");
  const Result r = cli(std::string("simulate ") + GetParam().args + " --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(GetParam().must_mention), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out / "trajectory.csv"));
}

INSTANTIATE_TEST_SUITE_P(
    Paths, CliBadInput,
    ::testing::Values(BadInput{"--preset nope", "unknown preset 'nope'; available: fig2"},
                      BadInput{"--preset fig2 --map tanh", "map: unknown map 'tanh'; allowed: softmax"},
                      BadInput{"--preset fig2 --loss hinge", "loss: unknown loss 'hinge'"},
                      BadInput{"--preset fig3 --kappa 0.5", "kappa"},
                      BadInput{"--preset fig3 --kappa nan", "kappa"},
                      BadInput{"--preset fig2 --lr inf", "lr"},
                      BadInput{"--preset fig2 --frobnicate 3", "frobnicate"},
                      BadInput{"--preset fig2 --method euler", "method"},
                      BadInput{"--config /nonexistent/polarlab.json", "cannot open file '/nonexistent/polarlab.json'"},
                      BadInput{"", "--preset"}));

TEST(Cli, MalformedConfigFiles) {
  const TempDir tmp("cfg");
  const fs::path& dir = tmp.path;
  const std::pair<std::string, std::string> cases[] = {
      {"{\"model\": \"value_softmax\", \"d\": 8,", "not valid JSON"},
      {"{\"lr\": \"fast\"}", "lr: expected a number"},
      {"{\"d\": 2.5}", "d: expected an integer"},
      {"{\"learning_rate\": 0.1}", "learning_rate: unknown key"},
      {"{\"init\": {\"kind\": \"magic\"}}", "init.kind"},
      {"[1, 2, 3]", "JSON object"}};
  for (const auto& [text, mention] : cases) {
    std::ofstream(dir / "c.json") << text;
    const Result r = cli("simulate --config " + (dir / "c.json").string() + " --out " + (dir / "o").string());
    EXPECT_EQ(r.code, 2) << text << "\n" << r.output;
    EXPECT_NE(r.output.find(mention), std::string::npos) << text << "\n" << r.output;
  }
}

TEST(Cli, DivergingRunStopsWithStepAndReasonAndKeepsRecords) {
  const TempDir tmp("nan");
  const fs::path out = tmp.sub("out");
  const Result r = cli("simulate --preset fig13 --lr 100 --out " + out.string());
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("run stopped at step"), std::string::npos) << r.output;
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  EXPECT_GE(table.rows.size(), 1u);
  EXPECT_NE(slurp(out / "summary.json").find("\"failed\""), std::string::npos);
}

TEST(Cli, PresetsListsEveryPaperFigure) {
  const Result r = cli("presets");
  ASSERT_EQ(r.code, 0);
  for (const char* name : {"fig2", "fig3", "fig10", "fig11", "fig13", "sink"})
    EXPECT_NE(r.output.find(name), std::string::npos) << name;
}

TEST(Cli, KilledMidRunLeavesOnlyParsableFiles) {
  const TempDir tmp("kill");
  const fs::path out = tmp.sub("out");
  // fig10 runs 1e7 GD steps (~4 s); a run saves a partial run directory every 5 s, so give it 1e8 steps, wait
  // (bounded) until the first partial save is complete (summary.json is written last) with more than 100
  // records, then kill it with SIGKILL.
  const std::string cli_path = POLARLAB_CLI, out_arg = out.string();
  std::vector<std::string> args = {cli_path, "simulate", "--preset", "fig10", "--steps", "100000000", "--quiet",
                                   "--out", out_arg};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, cli_path.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ASSERT_EQ(spawned, 0) << "cannot start " << cli_path;

  // Summary files are replaced atomically, so each read sees one whole save.
  auto partial_save_with_records = [&] {
    if (!fs::exists(out / "summary.json")) return false;
    const auto s = nlohmann::json::parse(slurp(out / "summary.json"));
    return s.value("status", "") == "incomplete" && s.value("records", 0) > 100;
  };
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  bool saved = false, exited = false;
  int status = 0;
  while (!(saved = partial_save_with_records())) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!exited) {
    ::kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  ASSERT_FALSE(exited) << "the CLI exited (status " << status << ") before a partial save was seen";
  ASSERT_TRUE(saved) << "no partial save with more than 100 records within 90 s";
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;

  ASSERT_TRUE(fs::exists(out / "trajectory.csv"));
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  EXPECT_GT(table.rows.size(), 100u);
  EXPECT_NO_THROW((void)nlohmann::json::parse(slurp(out / "summary.json")));
  EXPECT_NO_THROW((void)nlohmann::json::parse(slurp(out / "config.json")));
  EXPECT_NE(slurp(out / "summary.json").find("incomplete"), std::string::npos);
}
