// Subcommands register themselves at static-initialization time; main() wires them into CLI11.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace polarlab::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;   // bad flag, config, preset, file
inline constexpr int kExitRunFailed = 3;  // the run stopped on a numerical fault (records were still written)

struct Command {
  std::string name;
  int order;  // position in --help
  std::function<void(CLI::App& parent)> setup;
};

std::vector<Command>& commands();

struct RegisterCommand {
  RegisterCommand(std::string name, int order, std::function<void(CLI::App&)> setup) {
    commands().push_back({std::move(name), order, std::move(setup)});
  }
};

// Set by a subcommand's callback; main returns it.
int& exit_code();

}  // namespace polarlab::cli
