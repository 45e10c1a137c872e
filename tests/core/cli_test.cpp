// The CLI's contract: outputs, reproducibility, and every bad-input path (exit 2, a clear message).
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "core/io/run_directory.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"
#include "tests/slurp.hpp"

namespace fs = std::filesystem;

namespace {
using Result = polarlab::test::CliResult;
// `env` (e.g. "POLARLAB_ASSETS=/x", or empty) is put before the command.
Result cli_with_env(const std::string& env, const std::string& args) {
  return polarlab::test::run_cli(POLARLAB_CLI, args, env);
}

Result cli(const std::string& args) { return cli_with_env("", args); }

using polarlab::test::slurp;

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

namespace {
Result cli_env(const std::string& env, const std::string& args) { return cli_with_env(env, args); }

// Whether this build has the subcommand (figure needs Cairo, ensemble its part, sweep yaml-cpp + SQLite).
// An unknown word before --help still prints the program's help (exit 0): look for the subcommand's usage line.
bool has_subcommand(const std::string& name) {
  const Result r = cli(name + " --help");
  return r.code == 0 && r.output.find(" " + name + " [OPTIONS]") != std::string::npos;
}
}  // namespace

// A learning rate so large that t = step·lr could overflow is refused before the run (it used to run and stop
// with exit 3): every time a run records is finite.
TEST(Cli, TimeOverflowIsRefusedBeforeTheRun) {
  const TempDir tmp("lr_overflow");
  const fs::path out = tmp.sub("out");
  const Result big = cli("simulate --preset fig2 --lr 1e308 --steps 10 --out " + out.string());
  EXPECT_EQ(big.code, 2) << big.output;
  EXPECT_NE(big.output.find("--lr: 1e308 is out of range; give a finite number in (0, 1000000]"), std::string::npos) << big.output;
  EXPECT_FALSE(fs::exists(out)) << "nothing is written for a refused run";
}

// A run that diverges (the square loss at η = 100) is a numerical stop: exit 3, the step and the reason, and the
// records taken so far, all finite in t.
TEST(Cli, DivergenceIsANumericalStop) {
  const TempDir tmp("diverge");
  const fs::path out = tmp.sub("out");
  const Result r = cli("simulate --preset fig13 --loss square --lr 100 --steps 100 --out " + out.string());
  EXPECT_EQ(r.code, 3) << r.output;
  EXPECT_NE(r.output.find("run stopped at step 82 (t = 8200): the recorded loss is not finite"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("finished"), std::string::npos) << r.output;
  const auto table = polarlab::read_csv_table((out / "trajectory.csv").string());
  ASSERT_GE(table.rows.size(), 2u);
  for (const auto& row : table.rows) EXPECT_TRUE(std::isfinite(row[1])) << "t " << row[1];
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  EXPECT_EQ(summary.value("status", ""), "failed");
  EXPECT_NE(summary.value("message", "").find("not finite"), std::string::npos);
}

// Every command that reads the assets folder names a missing one and exits 2 (it printed nothing and exited 0).
TEST(Cli, MissingAssetsFolderIsNamed) {
  const TempDir tmp("assets");
  const fs::path missing = tmp.sub("no-such-assets");
  std::vector<std::string> commands = {"presets", "presets --json",
                                       "simulate --preset fig2 --out " + tmp.sub("o1").string()};
  if (has_subcommand("figure")) {
    commands.push_back("figure --preset fig2 --out " + tmp.sub("f.png").string());
    commands.push_back("figure --all --out-dir " + tmp.sub("figs").string());
  }
  if (has_subcommand("ensemble")) commands.push_back("ensemble --preset fig2 --count 2 --out " + tmp.sub("e").string());
  for (const std::string& c : commands) {
    const Result r = cli_env("POLARLAB_ASSETS=" + missing.string(), c);
    EXPECT_EQ(r.code, 2) << c << "\n" << r.output;
    EXPECT_NE(r.output.find("the assets folder '" + missing.string() + "' does not exist"), std::string::npos)
        << c << "\n" << r.output;
    EXPECT_NE(r.output.find("POLARLAB_ASSETS"), std::string::npos) << c << "\n" << r.output;
  }
  // A folder without presets/ names the presets folder.
  const Result r = cli_env("POLARLAB_ASSETS=" + tmp.path.string(), "presets");
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("the presets folder '" + (tmp.path / "presets").string() + "' does not exist"),
            std::string::npos)
      << r.output;
  // --config reads no assets.
  const fs::path a = tmp.sub("a");
  ASSERT_EQ(cli("simulate --preset fig2 --steps 10 --out " + a.string()).code, 0);
  EXPECT_EQ(cli_env("POLARLAB_ASSETS=" + missing.string(),
                    "simulate --config " + (a / "config.json").string() + " --out " + tmp.sub("b").string())
                .code,
            0);
}

// figure --all prints (and writes) paths with one separator, whatever --out-dir ends with.
TEST(Cli, FigureAllPathsHaveNoDoubleSlash) {
  if (!has_subcommand("figure")) GTEST_SKIP() << "built without Cairo";
  const TempDir tmp("figure_all");
  const std::string dir = tmp.sub("figs").string();
  const Result r = cli("figure --all --out-dir " + dir + "/ --format svg --steps 100 --records 10");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_EQ(r.output.find("//"), std::string::npos) << r.output;
  int paths = 0;
  for (const char* name : {"fig2", "fig2_theory", "fig3", "fig12", "fig12_theory", "fig10", "fig11", "fig13", "sink"}) {
    const std::string svg = dir + "/" + name + ".svg";
    EXPECT_NE(r.output.find("-> " + svg + ", " + dir + "/" + name + ".csv"), std::string::npos) << name << "\n" << r.output;
    EXPECT_TRUE(fs::exists(svg)) << svg;
    ++paths;
  }
  EXPECT_EQ(paths, 9);
}

// sweep plan refuses a grid with runs that train would refuse (exit 2, field, value, count) and writes nothing.
TEST(Cli, SweepPlanRefusesRunsThatCannotRun) {
  if (!has_subcommand("sweep")) GTEST_SKIP() << "built without the sweep part";
  const TempDir tmp("sweep_refuse");
  const fs::path spec = tmp.path / "bad.yaml", dir = tmp.sub("sweep");
  std::ofstream(spec) << "method: grid\nparameters:\n  n_heads: {values: [1, 3]}\n  seed: {values: [0, 1, 2]}\n";
  const Result r = cli("sweep plan " + spec.string() + " --out " + dir.string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("3 of 6 planned runs cannot run"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("heads = 3: must divide d_model (128) (3 runs"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir)) << "no plan written";
}

// A sweep folder planned by the previous id rule (scheme 1, no "id_scheme" in plan.json) still loads, reports its
// status and resumes: its ids are read from the plan, not recomputed.
TEST(Cli, SweepFolderWithOldIdsLoadsReportsAndResumes) {
  if (!has_subcommand("sweep") || !has_subcommand("train")) GTEST_SKIP() << "built without the sweep or the torch lab";
  const TempDir tmp("sweep_old");
  const fs::path dir = tmp.sub("sweep");
  const std::string spec = std::string(POLARLAB_ASSETS_DIR) + "/sweeps/ci-tiny.yaml";
  Result r = cli("sweep plan " + spec + " --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.output;
  // As the previous program wrote it: ci-tiny's scheme-1 ids, no "id_scheme".
  auto plan = nlohmann::json::parse(slurp(dir / "plan.json"));
  EXPECT_EQ(plan.value("id_scheme", 0), 2);
  plan.erase("id_scheme");
  const std::vector<std::string> old_ids = {"950740e8a271", "4ba6e6071d0a", "4d47dc391f30", "506719758fc7"};
  for (std::size_t i = 0; i < old_ids.size(); ++i) plan["runs"][i]["id"] = old_ids[i];
  std::ofstream(dir / "plan.json") << plan.dump(1);
  r = cli("sweep status " + dir.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("4 runs"), std::string::npos) << r.output;
  // Resume: one run (1 torch thread, 5 steps), then the status counts it done under its old id.
  r = cli("sweep run " + dir.string() + " --only " + old_ids[1] + " --threads 1");
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("1 torch thread per run (--threads)"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(dir / "runs" / old_ids[1] / "summary.json"));
  r = cli("sweep status " + dir.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("done         1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("pending      3"), std::string::npos) << r.output;
  // Planning again into the folder keeps scheme 1, so the finished run keeps its id and is not redone.
  r = cli("sweep plan " + spec + " --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.output;
  EXPECT_NE(r.output.find("(1 already done)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ids: scheme 1"), std::string::npos) << r.output;
  EXPECT_EQ(nlohmann::json::parse(slurp(dir / "plan.json")).value("id_scheme", 0), 1);
}
