// Property test of the input parsers and the CLI: random and malformed configs and argument lists
// never crash; every rejection is a ConfigError (in process) or exit code 2 with "error:" (CLI).
// POLARLAB_FUZZ_COUNT raises the counts (the full run uses 10000 of each).
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "tests/temp_dir.hpp"
#include "tests/slurp.hpp"

using namespace polarlab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {
using polarlab::test::TempDir;

int fuzz_count(int ci_default) {
  const char* env = std::getenv("POLARLAB_FUZZ_COUNT");
  return env ? std::max(1, std::atoi(env)) : ci_default;
}

json random_scalar(std::mt19937& rng) {
  switch (rng() % 12) {
    case 0: return nullptr;
    case 1: return true;
    case 2: return "softmax";
    case 3: return "x\x01\xff";
    case 4: return -1;
    case 5: return 0;
    case 6: return 1e308;
    case 7: return -1e-320;
    case 8: return 4294967296.0;
    case 9: return json::array({1, "two", nullptr});
    case 10: return json::object({{"kind", "recipe"}});
    default: return std::uniform_real_distribution<double>(-10, 10)(rng);
  }
}

// A preset's config with a few random mutations: dropped keys, swapped types, odd numbers, unknown names.
json mutate(json cfg, std::mt19937& rng) {
  static const char* keys[] = {"model", "loss", "map", "d", "p", "n", "D", "T", "kappa", "causal", "method", "lr",
                               "steps", "t_end", "rtol", "atol", "records", "seed", "loss_scale", "ce_eps", "init",
                               "bogus_key"};
  const int n = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < n; ++i) {
    const std::string key = keys[rng() % (sizeof keys / sizeof *keys)];
    switch (rng() % 4) {
      case 0: cfg.erase(key); break;
      case 1: cfg[key] = random_scalar(rng); break;
      case 2:
        if (cfg.contains("init") && cfg["init"].is_object()) cfg["init"][key] = random_scalar(rng);
        break;
      default: cfg[key] = std::uniform_int_distribution<int>(-5, 40)(rng); break;
    }
  }
  return cfg;
}

// Runs the CLI in folder `dir` (stray relative outputs stay there) with stderr to dir/stderr.txt; its exit
// code (128 + signal when killed).
int run_cli(const std::string& args, const fs::path& dir) {
  const std::string cmd = "cd '" + dir.string() + "' && " + std::string(POLARLAB_CLI) + " " + args +
                          " >/dev/null 2>stderr.txt";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

using polarlab::test::slurp;
}  // namespace

TEST(Fuzz, RandomConfigsAreAcceptedOrRejectedWithConfigError) {
  std::mt19937 rng(2026);
  std::vector<json> bases;
  for (const auto& name : preset_names()) bases.push_back(load_preset_json(name)["config"]);
  const int n = fuzz_count(10000);
  int accepted = 0, rejected = 0, ran = 0;
  for (int i = 0; i < n; ++i) {
    json cfg = mutate(bases[rng() % bases.size()], rng);
    // Also truncated JSON text, as from a half-copied file.
    if (i % 10 == 0) {
      const std::string text = cfg.dump(-1, ' ', false, json::error_handler_t::replace);
      try {
        cfg = json::parse(text.substr(0, rng() % (text.size() + 1)));
      } catch (const json::parse_error&) {
        ++rejected;
        continue;
      }
    }
    try {
      ExperimentConfig c = config_from_json(cfg);
      ++accepted;
      if (c.d * c.p > 4096 || (c.model == ModelKind::sink && c.p * c.p > 4096)) continue;
      Runner r(c);
      r.advance(Budget{.max_steps = 30});
      ++ran;
      // A numerical fault must be a status with a message, never a crash or a NaN record without one.
      if (r.status().state == RunState::failed) EXPECT_FALSE(r.status().message.empty());
    } catch (const ConfigError& e) {
      ++rejected;
      EXPECT_GT(std::string(e.what()).size(), 5u);
    }
  }
  EXPECT_GT(accepted, 0);
  EXPECT_GT(rejected, 0);
  EXPECT_GT(ran, 0);
  std::printf("fuzzed %d configs: %d accepted (%d ran), %d rejected\n", n, accepted, ran, rejected);
}

TEST(Fuzz, RandomCliArgumentListsExitCleanly) {
  std::mt19937 rng(7);
  static const char* tokens[] = {"simulate", "presets", "--preset", "fig2", "fig3", "nope", "--kappa", "0.5", "1e309",
                                 "nan", "-3", "--dim", "0", "5", "--loss", "square", "hinge", "--map", "l2", "tanh",
                                 "--method", "flow", "euler", "--steps", "-1", "10", "--lr", "inf", "0.1", "--t-end",
                                 "--records", "1", "--seed", "4294967296", "--config", "/nonexistent.json", "--out",
                                 "--help-me", "", "--"};
  const TempDir tmp("cli");
  const fs::path err = tmp.path / "stderr.txt", out = tmp.path / "out";  // run_cli's stderr, and --out
  const int n = fuzz_count(200);
  for (int i = 0; i < n; ++i) {
    std::string args;
    const int len = 1 + static_cast<int>(rng() % 7);
    for (int k = 0; k < len; ++k) args += std::string(" '") + tokens[rng() % (sizeof tokens / sizeof *tokens)] + "'";
    // Always give an output folder so that accepted runs have somewhere to write.
    args += " --out '" + out.string() + "' --records 2 --steps 10";
    const int code = run_cli(args, tmp.path);
    ASSERT_TRUE(code == 0 || code == 2 || code == 3) << "exit " << code << " for:" << args << "\n" << slurp(err);
    if (code == 2) EXPECT_NE(slurp(err).find("error:"), std::string::npos) << "exit 2 without 'error:' for:" << args;
  }
}
