// The CLI's contract: outputs, reproducibility, and every bad-input path (exit 2, a clear message).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/run_directory.hpp"

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

fs::path temp_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("polarlab_cli_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}
}  // namespace

TEST(Cli, SimulateWritesTheThreeFilesWithTheDocumentedHeader) {
  const fs::path out = temp_dir("fig2");
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
  fs::remove_all(out);
}

TEST(Cli, ConfigJsonReproducesTheRunBitForBit) {
  const fs::path a = temp_dir("a"), b = temp_dir("b");
  ASSERT_EQ(cli("simulate --preset fig3 --kappa 4 --steps 3000 --out " + a.string()).code, 0);
  const Result r = cli("simulate --config " + (a / "config.json").string() + " --out " + b.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(slurp(a / "trajectory.csv"), slurp(b / "trajectory.csv"));
  EXPECT_EQ(slurp(a / "initial_state.json"), slurp(b / "initial_state.json"));
  const std::string init = slurp(a / "initial_state.json");
  for (const char* key : {"\"X\"", "\"y\""}) EXPECT_NE(init.find(key), std::string::npos) << key;
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Cli, FlowRecordsCountStepsAndReachTEnd) {
  const fs::path out = temp_dir("flow");
  ASSERT_EQ(cli("simulate --preset fig2 --method flow --t-end 1e6 --records 50 --out " + out.string()).code, 0);
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  EXPECT_EQ(table.rows.back()[1], 1e6);
  for (std::size_t k = 0; k < table.rows.size(); ++k) EXPECT_EQ(table.rows[k][0], static_cast<double>(k));
  fs::remove_all(out);
}

struct BadInput {
  const char* args;
  const char* must_mention;
};

class CliBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliBadInput, ExitsTwoWithAMessageNamingTheProblem) {
  const fs::path out = temp_dir("bad");
  const Result r = cli(std::string("simulate ") + GetParam().args + " --out " + out.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find(GetParam().must_mention), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(out / "trajectory.csv"));
  fs::remove_all(out);
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
  const fs::path dir = temp_dir("cfg");
  fs::create_directories(dir);
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
  fs::remove_all(dir);
}

TEST(Cli, DivergingRunStopsWithStepAndReasonAndKeepsRecords) {
  const fs::path out = temp_dir("nan");
  const Result r = cli("simulate --preset fig13 --lr 100 --out " + out.string());
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("run stopped at step"), std::string::npos) << r.output;
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  EXPECT_GE(table.rows.size(), 1u);
  EXPECT_NE(slurp(out / "summary.json").find("\"failed\""), std::string::npos);
  fs::remove_all(out);
}

TEST(Cli, PresetsListsEveryPaperFigure) {
  const Result r = cli("presets");
  ASSERT_EQ(r.code, 0);
  for (const char* name : {"fig2", "fig3", "fig10", "fig11", "fig13", "sink"})
    EXPECT_NE(r.output.find(name), std::string::npos) << name;
}

TEST(Cli, KilledMidRunLeavesOnlyParsableFiles) {
  const fs::path out = temp_dir("kill");
  // fig10 runs 1e7 GD steps (~4 s); it saves a partial run directory after 5 s, so give it 1e8 steps.
  const std::string cmd = std::string(POLARLAB_CLI) + " simulate --preset fig10 --steps 100000000 --quiet --out " +
                          out.string() + " >/dev/null 2>&1 & pid=$!; sleep 7; kill -9 $pid; wait $pid 2>/dev/null; true";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  ASSERT_TRUE(fs::exists(out / "trajectory.csv")) << "no partial save after 7 s";
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  EXPECT_GT(table.rows.size(), 100u);
  EXPECT_NO_THROW((void)nlohmann::json::parse(slurp(out / "summary.json")));
  EXPECT_NO_THROW((void)nlohmann::json::parse(slurp(out / "config.json")));
  EXPECT_NE(slurp(out / "summary.json").find("incomplete"), std::string::npos);
  fs::remove_all(out);
}
