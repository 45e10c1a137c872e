// polarlab's command line (command_line.cpp): the App's options and the scripted run's (scripted_run.hpp), read
// and checked before a window opens.
#pragma once
#include <string>

#include "app/gui/shell/app.hpp"

namespace polarlab::gui {

struct LaunchOptions {
  AppOptions app;
  std::string size = "1600x1000";
  double run_for = -1.0;       // < 0: until the window is closed
  std::string screenshot;      // a PNG of the window when run_for ends
  std::string export_figure;   // scripted "Export figure…" of the primary panel's figure
  std::string record;          // record the run to this video and exit when it is written
  int record_fps = 30;
  bool bench = false;
  double bench_seconds = 4.0;
};

// Reads argv into `opt`: -1 to go on, else the exit status (0 --help or --help-reference, 2 a bad flag or value,
// with the message printed).
int parse_command_line(int argc, char** argv, LaunchOptions& opt);

}  // namespace polarlab::gui
