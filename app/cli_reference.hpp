// The command reference (docs/cli.md) and the man pages (docs/man/*.1), generated from the very CLI11 App
// that parses the command line, so the reference cannot drift from the flags. Used by polarlab-cli and polarlab
// (`--help-reference md|man`); depends on CLI11 only (no torch, no GUI).
#pragma once
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace polarlab::reference {

struct Entry {
  std::string name, description;
};

// What the App does not know: the program's one-line summary (man NAME), version, environment, files, see-also.
// Exit codes live in the App itself, as footers (shown by --help too).
struct Info {
  std::string program;   // "polarlab-cli"
  std::string summary;   // "run the experiments headless" (man NAME line)
  std::string version;   // "polarlab 0.1.0"
  std::vector<Entry> environment;
  std::vector<Entry> files;
  std::vector<std::string> see_also;  // "polarlab(1)"
};

// Markdown: one "## program" section with a "### program sub ..." section per (nested) subcommand.
std::string markdown(const CLI::App& app, const Info& info);
// roff man page, section 1 (Debian's layout: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, EXIT STATUS,
// ENVIRONMENT, FILES, SEE ALSO).
std::string man(const CLI::App& app, const Info& info);

// Options whose captured default says nothing (an empty list, "[]") show none, in --help and the reference.
// Call after the App is fully defined.
void tidy_defaults(CLI::App& app);

// The hidden `--help-reference md|man` flag: when argv is exactly `PROGRAM --help-reference FORMAT`, prints the
// reference to stdout and returns the exit code (0, or 2 for an unknown format); otherwise returns -1 and the
// program parses its arguments as usual. Call it after the App is fully defined, before parse().
inline constexpr const char* kFlag = "--help-reference";
int print_if_requested(int argc, const char* const* argv, const CLI::App& app, const Info& info);

}  // namespace polarlab::reference
