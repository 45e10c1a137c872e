// Every numeric flag of a command is checked before any work (issue 25): the flags are enumerated from the
// program itself (`polarlab-cli --help-reference md`, the generated reference), each is fed values no numeric flag
// may silently take (NaN, infinities, an overflowing exponent, a 20-digit integer, a word) and the small values
// that only some flags take (-1, 0), and the command must exit 2 naming the flag. A value listed as valid for a
// flag must instead get past the flag to the command's deliberate later refusal (an unwritable --out, a missing
// sweep folder), so no test here ever starts a run.
//
// To cover another command, add a Command row (how to call it so that valid values stop before any work) and,
// where some of the probe values are legitimately valid for one of its flags, a Valid row.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

using polarlab::test::CliResult;
using polarlab::test::TempDir;

CliResult cli(const std::string& args) { return polarlab::test::run_cli(POLARLAB_CLI, args); }

// What no numeric flag accepts, and what only some do (the Valid rows say which).
const std::vector<std::string> kProbes = {"nan", "NaN", "inf", "-inf", "1e400", "99999999999999999999", "abc",
                                          "-1", "0"};

// A command under test. `context` completes the call so that a value the flag accepts ends in a refusal of
// something else before any work: `{BLOCKED}` is replaced by a path below a regular file (never creatable).
struct Command {
  std::string path;     // "train", "sweep run"
  std::string context;  // the rest of the command line
};

const std::vector<Command> kCommands = {
    {"simulate", "--preset fig2 --out {BLOCKED}/run"},
    {"animate", "--preset fig2 --out {BLOCKED}/a.mp4"},
    {"ensemble", "--preset fig2 --method gd --out {BLOCKED}/ens"},
    {"train", "--out {BLOCKED}/run"},
    {"attention stats", "{BLOCKED} --out {BLOCKED}/stats"},  // an existing file that is no model: refused later
    {"figure", "--preset fig2 --out {BLOCKED}/fig.png"},
    {"sweep run", "{BLOCKED}/sweep"},
    {"sweep run-task", "{BLOCKED}/sweep --id x"},
    {"sweep submit", "{BLOCKED}/sweep --slurm --dry-run"},
};

// Probe values that are legitimately valid for a flag (documented meanings: seed 0, "0: default threads", ...).
struct Valid {
  std::string command, flag;
  std::set<std::string> values;
};

const std::vector<Valid> kValid = {
    {"simulate", "--seed", {"0"}},
    {"simulate", "--steps", {"0"}},
    {"animate", "--seed", {"0"}},
    {"animate", "--steps", {"0"}},
    {"animate", "--threads", {"0"}},
    {"ensemble", "--steps", {"0"}},
    {"ensemble", "--first-seed", {"0"}},
    {"ensemble", "--threads", {"0"}},
    {"train", "--seed", {"0"}},
    {"train", "--aux-weight", {"0"}},
    {"train", "--checkpoint-every", {"0"}},
    {"train", "--threads", {"0"}},
    {"train", "--attention-samples", {"0"}},
    {"attention stats", "--sink-key", {"0"}},
    {"sweep run", "--threads", {"0"}},
    {"sweep run-task", "--index", {"0"}},
    {"sweep run-task", "--threads", {"0"}},
    {"sweep submit", "--gpus", {"0"}},
    {"sweep submit", "--throttle", {"0"}},
};

bool is_valid(const std::string& command, const std::string& flag, const std::string& value) {
  for (const Valid& v : kValid)
    if (v.command == command && v.flag == flag) return v.values.count(value) > 0;
  return false;
}

// The numeric flags (INT or FLOAT, single or lists) of one command's section of the markdown reference.
std::vector<std::string> numeric_flags(const std::string& reference, const std::string& command) {
  std::istringstream in(reference);
  std::vector<std::string> flags;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("#", 0) == 0) {
      const std::string title = line.substr(line.find(' ') + 1);
      inside = title == "polarlab-cli " + command;
      continue;
    }
    if (!inside || line.rfind("| `-", 0) != 0) continue;
    // | `--jobs`, `-j` | `INT:in [1, 1024]` | `1` | Runs at once |
    const auto a = line.find('`') + 1, b = line.find('`', a);
    const std::string flag = line.substr(a, b - a);
    const auto cell = line.find("| `", b);
    if (cell == std::string::npos) continue;
    const auto t = cell + 3;
    const std::string type = line.substr(t, line.find_first_of(":` ", t) - t);
    if (type == "INT" || type == "FLOAT" || type == "UINT") flags.push_back(flag);
  }
  return flags;
}

std::string replaced(std::string s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

bool has_command(const std::string& reference, const std::string& command) {
  return reference.find("polarlab-cli " + command + "\n") != std::string::npos;
}

}  // namespace

TEST(FlagTable, EveryNumericFlagRefusesNonFiniteOverflowingAndOutOfRangeValues) {
  const CliResult ref = cli("--help-reference md");
  ASSERT_EQ(ref.code, 0) << ref.output;
  TempDir tmp("flag-table");
  const fs::path file = tmp.path / "a-file";
  std::ofstream(file) << "not a folder\n";
  int checked = 0;
  for (const Command& c : kCommands) {
    if (!has_command(ref.output, c.path)) continue;  // a build without this part (no libtorch, no Cairo)
    const std::vector<std::string> flags = numeric_flags(ref.output, c.path);
    if (flags.empty() && c.path == "figure") continue;  // built without Cairo: a stub that refuses everything
    EXPECT_FALSE(flags.empty()) << c.path << ": no numeric flag found in the reference";
    const std::string context = replaced(c.context, "{BLOCKED}", file.string());
    for (const std::string& flag : flags)
      for (const std::string& value : kProbes) {
        const std::string args = c.path + " " + flag + " " + value + " " + context;
        const CliResult r = cli(args);
        ++checked;
        EXPECT_EQ(r.code, 2) << args << "\n" << r.output;
        if (is_valid(c.path, flag, value))
          EXPECT_EQ(r.output.find("error: " + flag), std::string::npos)
              << args << ": a valid value was refused\n" << r.output;
        else
          EXPECT_NE(r.output.find(flag), std::string::npos) << args << ": the message does not name " << flag
                                                            << "\n" << r.output;
      }
  }
  EXPECT_GT(checked, 0);
}

// The table's flags really are what the reference lists: a typo in a Valid row would silently test nothing.
TEST(FlagTable, ValidRowsNameExistingFlags) {
  const CliResult ref = cli("--help-reference md");
  ASSERT_EQ(ref.code, 0) << ref.output;
  for (const Valid& v : kValid) {
    if (!has_command(ref.output, v.command)) continue;
    const auto flags = numeric_flags(ref.output, v.command);
    EXPECT_NE(std::find(flags.begin(), flags.end(), v.flag), flags.end()) << v.command << " " << v.flag;
  }
}

namespace {
bool has_train() { return has_command(cli("--help-reference md").output, "train"); }
bool has_figure() { return !numeric_flags(cli("--help-reference md").output, "figure").empty(); }
}  // namespace

// A bad --lr is refused before anything is written: no run directory appears.
TEST(FlagTable, TrainRefusesBadLearningRatesAndWritesNothing) {
  if (!has_train()) GTEST_SKIP() << "built without the transformer lab";
  TempDir tmp("flag-train-lr");
  for (const std::string lr : {"inf", "nan", "-1", "0", "-inf", "1e400"}) {
    const fs::path out = tmp.sub("run-" + std::to_string(std::hash<std::string>{}(lr)));
    const CliResult r = cli("train --steps 1 --lr " + lr + " --out " + out.string());
    EXPECT_EQ(r.code, 2) << lr << "\n" << r.output;
    EXPECT_NE(r.output.find("--lr"), std::string::npos) << r.output;
    EXPECT_FALSE(fs::exists(out)) << "--lr " << lr << " wrote " << out;
  }
}

// Contradictory flags: refused naming both, never "the last one wins".
TEST(FlagTable, TrainRefusesContradictoryFlags) {
  if (!has_train()) GTEST_SKIP() << "built without the transformer lab";
  TempDir tmp("flag-train-pair");
  const CliResult r = cli("train --steps 1 --causal --non-causal --out " + tmp.sub("run").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--causal"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--non-causal"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(tmp.sub("run")));
}

// A flag without effect on the chosen task is refused with the reason.
TEST(FlagTable, TrainRefusesAFlagOfTheOtherTask) {
  if (!has_train()) GTEST_SKIP() << "built without the transformer lab";
  TempDir tmp("flag-train-task");
  CliResult r = cli("train --steps 1 --task classification --aux-weight 0.5 --out " + tmp.sub("a").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--aux-weight: applies to task induction only"), std::string::npos) << r.output;
  r = cli("train --steps 1 --labels 4 --out " + tmp.sub("b").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--labels: applies to task classification only"), std::string::npos) << r.output;
}

// An --out that cannot be written is refused up front, naming --out (not a raw filesystem error after the work).
TEST(FlagTable, UnwritableOutIsRefusedBeforeWork) {
  TempDir tmp("flag-out");
  const fs::path file = tmp.path / "a-file";
  std::ofstream(file) << "x\n";
  if (has_train()) {
    // The full default budget (10 epochs of 100,000 sequences) would take minutes: the refusal must come first.
    const CliResult r = cli("train --out " + (file / "run").string());
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("filesystem error"), std::string::npos) << r.output;
  }
  if (has_figure()) {
    // fig10 runs 10^6 GD steps before drawing: refused before them.
    CliResult r = cli("figure --preset fig10 --out " + (file / "fig.png").string());
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("filesystem error"), std::string::npos) << r.output;
    r = cli("figure --preset fig2 --out " + (tmp.path / "fig.bmp").string());
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
    r = cli("figure --all --out-dir " + (file / "figs").string());
    EXPECT_EQ(r.code, 2) << r.output;
    EXPECT_NE(r.output.find("--out-dir"), std::string::npos) << r.output;
  }
}

// figure: a flag that would be ignored is refused, naming why.
TEST(FlagTable, FigureRefusesFlagsThatWouldBeIgnored) {
  if (!has_figure()) GTEST_SKIP() << "built without Cairo";
  TempDir tmp("flag-figure");
  CliResult r = cli("figure --preset fig2 --out-dir " + tmp.sub("d").string() + " --out " +
                    tmp.sub("f.png").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out-dir: only used with --all"), std::string::npos) << r.output;
  r = cli("figure --run " + tmp.path.string() + " --kappa 2 --out " + tmp.sub("f.png").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--kappa: applies when a preset is run"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(tmp.sub("f.png")));
}
