// Runs polarlab-cli (the path the test target defines as POLARLAB_CLI) the way a shell user does, with its exit
// code and its stdout + stderr: shared by the CLI tests of every part.
#pragma once
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace polarlab::test {

struct CliResult {
  int code;
  std::string output;  // stdout + stderr
};

// `env` (e.g. "POLARLAB_ASSETS=/x", or empty) is put before the command.
inline CliResult run_cli(const std::string& program, const std::string& args, const std::string& env = {}) {
  const std::string cmd = (env.empty() ? "" : env + " ") + program + " " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  if (!pipe) return {-1, "cannot run " + cmd};
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace polarlab::test
