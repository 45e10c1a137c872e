#include "core/io/atomic_file.hpp"

#include <sstream>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace polarlab {

void write_file_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    // Messages name the user's path: the temporary file is this function's business, not theirs.
    if (!out) {
      const std::filesystem::path dir = std::filesystem::path(path).parent_path();
      std::error_code dir_ec;
      if (!dir.empty() && !std::filesystem::is_directory(dir, dir_ec))
        throw std::runtime_error("cannot write '" + path + "': the folder '" + dir.string() + "' does not exist");
      throw std::runtime_error("cannot write '" + path + "' (is the folder writable?)");
    }
    write(out);
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw std::runtime_error("writing '" + path + "' failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw std::runtime_error("cannot write '" + path + "': " + ec.message());
  }
}

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace polarlab
