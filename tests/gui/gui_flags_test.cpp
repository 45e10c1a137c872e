// Every value-taking flag of the live lab (`polarlab`), fed values it cannot use (NaN, ±inf, -1, 0, 1e400, a
// number past any integer, a word): exit 2 naming the flag, no file written, and the process gone within 10 s,
// under the test's display (CI: xvfb-run), so a value that slipped through opens a window that the timeout kills.
// The flags come from the program itself (`polarlab --help-reference md`), so a new flag is fed too. Then one test per
// finding of issue 25: each failed on the code before the checks.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using polarlab::test::TempDir;
using Clock = std::chrono::steady_clock;

constexpr double kLimitSeconds = 10.0;

struct Result {
  int code = -1;           // exit status; -1 killed (by the timeout or a signal)
  bool timed_out = false;  // still running after kLimitSeconds: killed
  bool group_left = false; // a process of its group still there after it ended
  double seconds = 0.0;
  std::string output;      // stdout + stderr
};

// Runs polarlab with `args` in `cwd` (its own process group), at most kLimitSeconds; `display` false: without
// DISPLAY/WAYLAND_DISPLAY, so only a refusal before the window exits 2 (a window attempt exits 1).
Result run_gui(const std::vector<std::string>& args, const fs::path& cwd, bool display = true) {
  Result r;
  int out[2];
  if (pipe(out) != 0) return r;
  const auto t0 = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    if (chdir(cwd.c_str()) != 0) _exit(127);
    dup2(out[1], 1);
    dup2(out[1], 2);
    close(out[0]);
    close(out[1]);
    const int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    if (!display) {
      unsetenv("DISPLAY");
      unsetenv("WAYLAND_DISPLAY");
    }
    // An interactive window that slipped through must not touch the user's layout file.
    setenv("XDG_CONFIG_HOME", (cwd.parent_path() / "config").c_str(), 1);
    std::vector<char*> argv;
    std::string exe = POLARLAB_GUI_EXE;
    argv.push_back(exe.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  setpgid(pid, pid);
  close(out[1]);
  // Read until the pipe closes or the limit passes (poll waits on the pipe, not a fixed sleep).
  char buf[4096];
  for (;;) {
    const double left = kLimitSeconds - std::chrono::duration<double>(Clock::now() - t0).count();
    if (left <= 0) {
      r.timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    const int n = poll(&p, 1, static_cast<int>(left * 1000) + 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    const ssize_t got = read(out[0], buf, sizeof buf);
    if (got <= 0) break;
    r.output.append(buf, static_cast<std::size_t>(got));
  }
  close(out[0]);
  int status = 0;
  if (r.timed_out) {
    kill(-pid, SIGKILL);
    waitpid(pid, &status, 0);
  } else {
    waitpid(pid, &status, 0);
  }
  r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  // Nothing it started may outlive it.
  r.group_left = kill(-pid, 0) == 0;
  if (r.group_left) kill(-pid, SIGKILL);
  return r;
}

std::string show(const std::vector<std::string>& args) {
  std::string s = "polarlab";
  for (const std::string& a : args) s += " '" + a + "'";
  return s;
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}

// A refusal: exit 2 in time, the flag named in the message, nothing written in the working folder.
void expect_refused(const Result& r, const std::vector<std::string>& args, const std::string& flag, const fs::path& cwd) {
  const std::string cmd = show(args);
  EXPECT_FALSE(r.timed_out) << cmd << ": still running after " << kLimitSeconds << " s (killed)";
  EXPECT_EQ(r.code, 2) << cmd << "\n" << r.output;
  EXPECT_NE(r.output.find(flag), std::string::npos) << cmd << ": the message does not name " << flag << ":\n" << r.output;
  EXPECT_FALSE(r.group_left) << cmd << ": a process of its group is still running";
  const std::vector<std::string> left = entries(cwd);
  EXPECT_TRUE(left.empty()) << cmd << ": wrote " << left.front();
}

// The value-taking options of `polarlab`, from its generated reference (a row "| `--flag` | `TYPE` | ...").
std::vector<std::string> value_options() {
  const fs::path dir = TempDir("gui-flags-ref").path;
  const Result r = run_gui({"--help-reference", "md"}, dir);
  std::vector<std::string> out;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `--", 0) != 0) continue;
    const auto a = line.find('`') + 1, b = line.find('`', a);
    const std::string flag = line.substr(a, b - a);
    const auto cell = line.find('|', b);
    const auto next = line.find('|', cell + 1);
    if (line.substr(cell + 1, next - cell - 1).find('`') == std::string::npos) continue;  // a switch: no value
    if (flag == "--help-reference") continue;
    out.push_back(flag);
  }
  return out;
}

TEST(GuiFlags, EveryValueFlagRefusesValuesItCannotUse) {
  const std::vector<std::string> flags = value_options();
  ASSERT_GE(flags.size(), 25u) << "polarlab --help-reference md listed too few flags";
  const std::vector<std::string> values = {"nan", "inf", "-inf", "-1", "0", "1e400", "99999999999999999999", "abc"};
  // Values a flag legitimately takes: they start real work, so they are not fed here.
  const std::set<std::pair<std::string, std::string>> accepted = {{"--run-for", "0"}};
  // Flags that only mean something with another one: given with it, so their own value is what gets checked.
  const std::string lecture = std::string(POLARLAB_ASSETS_DIR) + "/lectures/polarization.yaml";
  const std::map<std::string, std::vector<std::string>> with = {
      {"--scene", {"--lecture-script", lecture}}, {"--record-fps", {"--record", "v.mp4"}},
      {"--bench-seconds", {"--bench"}},           {"--ensemble-preset", {"--ensemble-count", "1"}},
      {"--kappa-range", {"--ensemble-count", "1"}}};
  const TempDir root("gui-flags");
  const fs::path cwd = root.path / "work";
  fs::create_directories(cwd);
  int runs = 0;
  for (const std::string& flag : flags) {
    for (const std::string& v : values) {
      if (accepted.count({flag, v})) continue;
      std::vector<std::string> args = {flag + "=" + v};
      if (const auto it = with.find(flag); it != with.end()) args.insert(args.end(), it->second.begin(), it->second.end());
      expect_refused(run_gui(args, cwd), args, flag, cwd);
      for (const std::string& e : entries(cwd)) fs::remove_all(cwd / e);
      ++runs;
    }
  }
  EXPECT_GE(runs, 200);
}

class GuiFlagFindings : public ::testing::Test {
 protected:
  TempDir root{"gui-flag-findings"};
  fs::path cwd = root.path / "work";
  void SetUp() override { fs::create_directories(cwd); }
  // Refused before a window opens: without a display the old code got as far as GLFW and exited 1.
  void refused_before_window(const std::vector<std::string>& args, const std::string& flag,
                             const std::string& also = "") {
    const Result r = run_gui(args, cwd, false);
    expect_refused(r, args, flag, cwd);
    if (!also.empty()) {
      EXPECT_NE(r.output.find(also), std::string::npos) << show(args) << "\n" << r.output;
    }
  }
};

TEST_F(GuiFlagFindings, NanPaceWithRecordIsRefusedNotReplacedByTheDefault) {
  refused_before_window({"--pace", "nan", "--record", "x.mp4"}, "--pace", "finite");
}

TEST_F(GuiFlagFindings, NanBenchSecondsAndRunForAreRefused) {
  refused_before_window({"--bench", "--bench-seconds", "nan"}, "--bench-seconds");
  refused_before_window({"--run-for", "nan"}, "--run-for");
  refused_before_window({"--run-for", "1e400"}, "--run-for");
}

TEST_F(GuiFlagFindings, MissingInputsAreRefused) {
  refused_before_window({"--attention", "missing.npy"}, "--attention", "missing.npy");
  refused_before_window({"--sweep", "nodir"}, "--sweep", "nodir");
  refused_before_window({"--config", "missing.json"}, "--config", "missing.json");
  refused_before_window({"--lecture-script", "missing.yaml"}, "--lecture-script", "missing.yaml");
  refused_before_window({"--sweep-cell", "x:y"}, "--sweep-cell");
  refused_before_window({"--sweep-run", "nope"}, "--sweep-run");
}

TEST_F(GuiFlagFindings, OutputNamesAreCheckedBeforeTheRun) {
  // A 30 s run that would end in a failed export: refused at once instead.
  const Result docx = run_gui({"--run-for", "30", "--export-figure", "f.docx"}, cwd);
  expect_refused(docx, {"--run-for 30 --export-figure f.docx"}, "--export-figure", cwd);
  EXPECT_NE(docx.output.find(".docx"), std::string::npos) << docx.output;
  EXPECT_LT(docx.seconds, 5.0);
  refused_before_window({"--record", ""}, "--record", "empty");
  refused_before_window({"--screenshot", "s.jpg"}, "--screenshot", ".png");
  refused_before_window({"--record", "/nonexistent/a.mp4"}, "--record", "/nonexistent");
  const Result r = run_gui({"--record", "/nonexistent/a.mp4"}, cwd, false);
  EXPECT_EQ(r.output.find("--out"), std::string::npos) << "names the encoder's flag, not polarlab's: " << r.output;
  refused_before_window({"--export-figure", "/nonexistent/f.svg"}, "--export-figure", "/nonexistent");
  fs::create_directories(cwd / "d.png");
  const Result folder = run_gui({"--screenshot", "d.png"}, cwd, false);
  EXPECT_EQ(folder.code, 2) << folder.output;
  EXPECT_NE(folder.output.find("is a folder"), std::string::npos) << folder.output;
}

TEST_F(GuiFlagFindings, ContradictoryAndOrphanFlagsAreRefused) {
  refused_before_window({"--preset", "fig3", "--config", "c.json"}, "--config");
  refused_before_window({"--scene", "2"}, "--lecture-script");
  refused_before_window({"--bench", "--run-for", "1"}, "--bench");
  refused_before_window({"--record", "a.mp4", "--run-for", "1"}, "--record");
  refused_before_window({"--record", "a.mp4", "--screenshot", "a.png"}, "--record");
  refused_before_window({"--record-fps", "10"}, "--record-fps");
  refused_before_window({"--kappa-range", "1:10:3"}, "--kappa-range");
  refused_before_window({"--ensemble-count", "5", "--ensemble-preset", "fig2", "--kappa-range", "1:10:3"},
                        "--kappa-range", "no κ");
}

TEST_F(GuiFlagFindings, IntegersDoNotWrapAndSizesDoNotOverflow) {
  refused_before_window({"--train-steps", "99999999999999999999"}, "--train-steps");
  refused_before_window({"--ensemble-count", "4294967297"}, "--ensemble-count");
  refused_before_window({"--size", "4294967936x1000"}, "--size");
  refused_before_window({"--size", "99999x1000"}, "--size");
}

#if defined(POLARLAB_CLI) && defined(POLARLAB_GUI_HAVE_SWEEP)
// A real sweep folder (planned, collected: every run pending), so the cell and run are looked up in its database.
TEST_F(GuiFlagFindings, SweepCellAndRunMustExistInTheSweep) {
  const fs::path sweep = root.path / "sweep";
  const std::string plan = std::string(POLARLAB_CLI) + " sweep plan " + POLARLAB_ASSETS_DIR +
                           "/sweeps/ci-tiny.yaml --out " + sweep.string() + " >/dev/null 2>&1 && " + POLARLAB_CLI +
                           " sweep collect " + sweep.string() + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(plan.c_str()), 0) << plan;
  ASSERT_TRUE(fs::exists(sweep / "results.sqlite"));
  refused_before_window({"--sweep", sweep.string(), "--sweep-cell", "x:y"}, "--sweep-cell", "VIEW:PANEL:ROW:COL");
  refused_before_window({"--sweep", sweep.string(), "--sweep-run", "nope"}, "--sweep-run", "nope");
  fs::create_directories(root.path / "empty");
  refused_before_window({"--sweep", (root.path / "empty").string()}, "--sweep", "not a sweep folder");
}
#endif

bool have_display() { return std::getenv("DISPLAY") != nullptr; }

#ifdef POLARLAB_GUI_HAVE_FIGURE
// --method both shows GD and flow overlaid; its exported figure draws both (flow dashed), not GD alone.
TEST_F(GuiFlagFindings, MethodBothExportDrawsBothRuns) {
  if (!have_display()) GTEST_SKIP() << "no DISPLAY (run under xvfb-run)";
  const Result r = run_gui({"--preset", "fig2", "--size", "800x600", "--method", "both", "--run-for", "1",
                            "--export-figure", "both.svg"},
                           cwd);
  ASSERT_EQ(r.code, 0) << r.output;
  std::ifstream csv(cwd / "both.csv");
  ASSERT_TRUE(csv) << "no both.csv";
  std::set<std::string> prefixes;
  for (std::string line; std::getline(csv, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("panel,", 0) == 0) continue;
    // panel,panel_title,series,x,y: the series names carry the run's tag.
    if (line.find(",GD_") != std::string::npos) prefixes.insert("GD");
    if (line.find(",flow_") != std::string::npos) prefixes.insert("flow");
  }
  EXPECT_EQ(prefixes, (std::set<std::string>{"GD", "flow"})) << "the CSV lacks one of the two runs";
  std::ifstream svg(cwd / "both.svg");
  const std::string text((std::istreambuf_iterator<char>(svg)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("stroke-dasharray"), std::string::npos) << "no dashed (flow) curves in the SVG";
}
#endif

}  // namespace
