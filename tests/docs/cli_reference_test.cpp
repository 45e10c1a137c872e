// The reference generator (app/cli_reference.cpp) on a small App: every option with its names, value type,
// default, allowed values, required/excludes notes; nested subcommands; footers as exit codes; roff escaping.
#include "app/cli_reference.hpp"

#include <gtest/gtest.h>

namespace {

using polarlab::reference::Info;

struct Fixture {
  CLI::App app{"tool: does things.\nSecond line."};
  std::string name, mode = "fast", file;
  std::vector<std::string> list;
  int jobs = 2;
  bool quiet = false;
  Info info{"tool", "does things", "tool 1.0", {{"TOOL_HOME", "where things live"}}, {}, {"other(1)"}};

  Fixture() {
    app.require_subcommand(1);
    app.option_defaults()->always_capture_default();
    app.set_version_flag("--version", "tool 1.0");
    auto* run = app.add_subcommand("run", "Run the things");
    run->add_option("FILE", file, "Input file")->required();
    auto* a = run->add_option("--name", name, "A name | with a bar and <tag>");
    auto* b = run->add_option("--mode", mode, "How fast")->check(CLI::IsMember({"fast", "slow"}));
    a->excludes(b);
    run->add_option("--jobs,-j", jobs, "Runs at once")->check(CLI::Range(1, 8));
    run->add_option("--list", list, "Several values");
    run->add_flag("--quiet", quiet, "No output");
    run->footer("Exit status: 0 ok; 3 failed.");
    auto* group = app.add_subcommand("group", "Nested commands");
    group->add_subcommand("inner", "The inner one")->add_flag("--dry-run", quiet, ".starts with a dot");
    app.footer("Exit status: 0 success; 2 bad input.");
    polarlab::reference::tidy_defaults(app);
  }
};

TEST(CliReference, MarkdownListsEveryCommandAndOption) {
  Fixture f;
  const std::string md = polarlab::reference::markdown(f.app, f.info);
  for (const char* s : {"## tool\n", "### tool run\n", "### tool group\n", "#### tool group inner\n",
                        "tool run FILE [OPTIONS]", "| `FILE` | `TEXT` |  | Input file. Required. |",
                        "| `--mode` | `TEXT:{fast,slow}` | `fast` | How fast. Excludes --name. |",
                        "| `--jobs`, `-j` | `INT:INT in [1 - 8]` | `2` | Runs at once |",
                        "| `--list` | `TEXT ...` |  | Several values |", "| `--quiet` |  |  | No output |",
                        "A name \\| with a bar and &lt;tag>", "Exit status: 0 ok; 3 failed.",
                        "Exit status: 0 success; 2 bad input.", "[inner](#tool-group-inner)", "| `TOOL_HOME` |",
                        "| `--version` |"})
    EXPECT_NE(md.find(s), std::string::npos) << s << "\n---\n" << md;
  EXPECT_EQ(md.find("--help"), std::string::npos) << "help flags are not listed per command";
}

TEST(CliReference, ManPageHasDebianSectionsAndEscapes) {
  Fixture f;
  const std::string man = polarlab::reference::man(f.app, f.info);
  for (const char* s : {".TH TOOL 1 \"\" \"tool 1.0\" \"User Commands\"\n", ".SH NAME\ntool \\- does things\n",
                        ".SH SYNOPSIS\n.B tool run FILE [OPTIONS]\n.br\n.B tool group inner [OPTIONS]\n",
                        ".SH DESCRIPTION\ntool: does things.\n.br\nSecond line.\n", ".SS \"tool group inner\"",
                        "\\fB\\-\\-jobs\\fR, \\fB\\-j\\fR \\fIINT:INT in [1 \\- 8]\\fR\nRuns at once (default: 2)\n",
                        "\\&.starts with a dot", ".SH EXIT STATUS\nExit status: 0 success; 2 bad input.\n",
                        ".SH ENVIRONMENT\n.TP\n.B TOOL_HOME\n", ".SH SEE ALSO\nother(1)\n"})
    EXPECT_NE(man.find(s), std::string::npos) << s << "\n---\n" << man;
}

TEST(CliReference, FlagPrintsOnlyWhenAskedFirst) {
  Fixture f;
  const char* plain[] = {"tool", "run", "x"};
  EXPECT_EQ(polarlab::reference::print_if_requested(3, plain, f.app, f.info), -1);
  const char* bad[] = {"tool", "--help-reference", "pdf"};
  EXPECT_EQ(polarlab::reference::print_if_requested(3, bad, f.app, f.info), 2);
  const char* md[] = {"tool", "--help-reference", "md"};
  testing::internal::CaptureStdout();
  EXPECT_EQ(polarlab::reference::print_if_requested(3, md, f.app, f.info), 0);
  EXPECT_NE(testing::internal::GetCapturedStdout().find("### tool run"), std::string::npos);
}

}  // namespace
