// Argument parsing of the benchmark programs, as polarlab-cli does it (app/cli/main.cpp): CLI11, --help prints the
// usage and exits 0, a bad flag or value prints "NAME: error: ..." and exits 2. Errors of the run itself (a missing
// assets folder, no CUDA device) are reported the same way by run_main instead of aborting.
#pragma once
#include <cstdio>
#include <exception>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "app/cli/checked_flags.hpp"
#include "core/types.hpp"

namespace polarlab::bench {

// Numeric flags use these, not CLI::Range / CLI::PositiveNumber, which let NaN through (issue 25).
using polarlab::cli::integer_in;
using polarlab::cli::real_in;

// Parses argv into `app`. Returns -1 to go on, else the exit code (0 after --help).
inline int parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "%s: error: %s\nrun '%s --help' for the allowed flags\n", app.get_name().c_str(), e.what(),
                 app.get_name().c_str());
    return 2;
  }
  return -1;
}

// Runs the benchmark: a ConfigError (bad input) exits 2 with its message, any other exception 1.
inline int run_main(const std::string& name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const ConfigError& e) {
    std::fprintf(stderr, "%s: error: %s\n", name.c_str(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", name.c_str(), e.what());
    return 1;
  }
}

}  // namespace polarlab::bench
