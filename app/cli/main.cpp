// polarlab-cli: the headless front end (simulate, presets, and whatever else registered itself).
#include <algorithm>
#include <iostream>

#include "app/cli/command.hpp"
#include "core/types.hpp"

namespace polarlab::cli {
std::vector<Command>& commands() {
  static std::vector<Command> list;
  return list;
}
int& exit_code() {
  static int code = kExitOk;
  return code;
}
}  // namespace polarlab::cli

int main(int argc, char** argv) {
  using namespace polarlab::cli;
  CLI::App app{"polarlab-cli: gradient flow polarizes softmax outputs, headless.\n"
               "Runs the experiments of Varre, Rofin & Flammarion (2026) for scripts, sweeps and tests."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "polarlab 0.1.0");
  auto& cmds = commands();
  std::sort(cmds.begin(), cmds.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  for (auto& c : cmds) c.setup(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "polarlab-cli: error: " << e.what() << "\n"
              << "run 'polarlab-cli --help' (or 'polarlab-cli SUBCOMMAND --help') for the allowed flags\n";
    return kExitBadInput;
  } catch (const polarlab::ConfigError& e) {
    std::cerr << "polarlab-cli: error: " << e.what() << '\n';
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "polarlab-cli: error: " << e.what() << '\n';
    return kExitBadInput;
  }
  return exit_code();
}
