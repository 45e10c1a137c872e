// Every output is written to a temporary file beside its destination and renamed into place,
// so a crash or a kill never leaves a half-written file.
#pragma once
#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace polarlab {

// Calls write(stream) on "<path>.tmp.<pid>", flushes, then renames onto path. Throws std::runtime_error.
void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write);
// The whole file as text; nullopt when it cannot be opened (its readers decide what a missing file means).
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace polarlab
