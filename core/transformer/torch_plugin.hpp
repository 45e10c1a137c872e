// Loads the libtorch plugin (libpolarlab_torch.so, trainer_engine.hpp) once, on first use, from the first of:
//   $POLARLAB_TORCH_PLUGIN (a file; when set, nothing else is tried),
//   the running program's folder, then <that folder>/../lib/polarlab/ (an installed layout),
//   the folder of the library holding this loader, when it is not the program (the Python module),
//   the build folder it was built in (tests and benchmarks run from subfolders).
// Thread-safe; a failure is remembered and reported again without retrying.
#pragma once
#include <string>

#include "core/transformer/trainer_engine.hpp"

namespace polarlab::transformer {

// The plugin's API; throws ConfigError (field "libtorch") naming every place tried and why it failed.
const TorchPluginApi& torch_plugin();

// Whether the plugin loads, without throwing; *why gets the reason when it does not.
bool torch_plugin_available(std::string* why = nullptr);

}  // namespace polarlab::transformer
