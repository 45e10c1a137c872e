// Every output is written to a temporary file beside its destination and renamed into place,
// so a crash or a kill never leaves a half-written file.
#pragma once
#include <functional>
#include <ostream>
#include <string>

namespace polarlab {

// Calls write(stream) on "<path>.tmp.<pid>", flushes, then renames onto path. Throws std::runtime_error.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);

}  // namespace polarlab
