// The command line's inputs and outputs, checked before a window opens (main.cpp): a file that is missing, a sweep
// cell that does not exist, an output name the program cannot write is exit 2 with the flag's name, not a window that
// shows the problem later or a run that fails at its end.
#pragma once
#include <string>
#include <vector>

#include "app/gui/shell/app.hpp"

namespace polarlab::gui {

// --preset/--config, --lecture-script, --attention, --sweep/--sweep-cell/--sweep-run, --ensemble-preset/--kappa-range,
// --train-task/--train-attention: "" or "--flag: what is wrong (and what to do)".
std::string check_inputs(const AppOptions& options);

// A file a scripted run writes at its end: a name ending in one of `extensions` (any case; ".png"), not a folder,
// in an existing folder this process may write to. "" or "--flag: ..." naming the path and the problem.
std::string check_output_path(const std::string& flag, const std::string& path,
                              const std::vector<std::string>& extensions);

}  // namespace polarlab::gui
