// polarlab-cli: the headless front end (simulate, presets, and whatever else registered itself).
#include <algorithm>
#include <iostream>
#include <sstream>

#include "app/cli/command.hpp"
#include "app/cli_reference.hpp"
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

namespace {

// The subcommand at a path ("sweep run"), or nullptr when this build has no such command (no libtorch, ...).
CLI::App* find_command(CLI::App& app, const std::string& path) {
  CLI::App* at = &app;
  std::istringstream names(path);
  for (std::string name; names >> name;) {
    const auto subs = at->get_subcommands([&](CLI::App* s) { return s->get_name() == name; });
    if (subs.empty()) return nullptr;
    at = subs.front();
  }
  return at;
}

// Each command's exit codes, shown by --help (as its footer) and in docs/cli.md and the man page. Keep in step
// with the code: kExit* in command.hpp, sweep::exit_code_of in core/sweep/executor.cpp.
void add_exit_codes(CLI::App& app) {
  const std::pair<const char*, const char*> codes[] = {
      {"",
       "Exit status (every command): 0 success; 2 bad input: an unknown command, flag or value, a missing or "
       "malformed file, or an error that stopped the command (the message names the field and the allowed values). "
       "Commands add their own codes, listed with each command."},
      {"simulate",
       "Exit status: 0 the run finished; 2 bad input (unknown preset, flag, map or loss, kappa < 1, a non-finite "
       "number, a missing or malformed config); 3 the run stopped on a numerical fault (overflow, a non-finite value, "
       "a vanishing denominator of a normalized map): the message gives the step and the reason, and every record "
       "taken so far is written."},
      {"presets", "Exit status: 0 listed; 2 the assets folder (POLARLAB_ASSETS) is missing or a preset is malformed."},
      {"figure",
       "Exit status: 0 every file written; 2 bad input (unknown preset, kind, style or format, no member matches "
       "--kappa/--dim/--map/--loss, a run directory that cannot be read) or a build without Cairo."},
      {"train",
       "Exit status: 0 training finished; 2 bad input (a flag value or combination the model refuses) or an error "
       "while training; 130 interrupted (Ctrl-C): the checkpoint is saved, continue with --resume."},
      {"animate",
       "Exit status: 0 the video was written; 2 bad input (unknown preset or kind, a size, fps, duration or style out "
       "of range, an output name with an unknown extension or in a folder that cannot be written, a flag that does "
       "not apply to the preset) or an error while encoding (the file is written atomically: no partial video)."},
      {"ensemble",
       "Exit status: 0 written (a member whose run failed is counted in summary.csv's 'failed' column, not in the "
       "exit status); 2 bad input."},
      {"sweep plan", "Exit status: 0 planned; 2 a spec that cannot be read or planned (the message names the field)."},
      {"sweep run",
       "Exit status: 0 every launched run finished (or nothing was left to run); 3 at least one run failed, for any "
       "reason ('sweep status' lists the errors); 130 interrupted (Ctrl-C or SIGTERM): the runs in flight resume "
       "from their checkpoints at the next 'sweep run'; 2 bad input (no plan.json in SWEEPDIR)."},
      {"sweep run-task",
       "Exit status: 0 the run finished; 3 it failed (the error is in runs/ID/status.json); 10 skipped, already "
       "done; 11 skipped, it failed before (--retry-failed runs it again); 75 skipped, another process holds the "
       "run; 130 interrupted; 2 bad input. With --backend slurm, 10, 11 and 75 are 0 (a successful array task)."},
      {"sweep submit",
       "Exit status: 0 submitted, written (--dry-run) or nothing left to submit; 2 bad input, no sbatch on PATH, or "
       "sbatch failed."},
      {"sweep status", "Exit status: 0 printed; 2 no plan.json in SWEEPDIR."},
      {"sweep collect", "Exit status: 0 collected; 2 no plan.json in SWEEPDIR, or the database cannot be written."},
      {"sweep report", "Exit status: 0 written; 2 no plan.json in SWEEPDIR, or a file cannot be written."},
      {"attention stats",
       "Exit status: 0 written; 2 bad input (a file that cannot be read, an unknown layout or key)."},
  };
  for (const auto& [path, text] : codes)
    if (CLI::App* c = find_command(app, path)) c->footer(text);
}

polarlab::reference::Info reference_info() {
  return {
      "polarlab-cli",
      "run the experiments of \"Gradient Flow Polarizes Softmax Outputs\" headless",
      "polarlab 0.1.0",
      {{"POLARLAB_ASSETS", "Folder holding presets/*.json (and sweeps/*.yaml); default: the source tree's assets/ "
                           "folder, compiled into the build."},
       {"SLURM_CPUS_PER_TASK", "sweep run-task: torch threads when --threads is not given."},
       {"SLURM_ARRAY_JOB_ID, SLURM_ARRAY_TASK_ID, SLURM_JOB_ID",
        "sweep run-task: the Slurm job recorded in the run's status.json."}},
      {},
      {"polarlab(1)", "README.md and docs/cli.md in the source tree"},
  };
}

}  // namespace

int main(int argc, char** argv) {
  using namespace polarlab::cli;
  CLI::App app{"polarlab-cli: gradient flow polarizes softmax outputs, headless.\n"
               "Runs the experiments of Varre, Rofin & Flammarion (2026) for scripts, sweeps and tests."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "polarlab 0.1.0");
  // Every option's default shows in --help and in the generated reference (an option without one says so).
  app.option_defaults()->always_capture_default();
  auto& cmds = commands();
  std::sort(cmds.begin(), cmds.end(), [](const Command& a, const Command& b) { return a.order < b.order; });
  for (auto& c : cmds) c.setup(app);
  add_exit_codes(app);
  polarlab::reference::tidy_defaults(app);
  // Hidden: `polarlab-cli --help-reference md|man` prints docs/cli.md's section or the man page.
  if (const int rc = polarlab::reference::print_if_requested(argc, argv, app, reference_info()); rc >= 0) return rc;
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
