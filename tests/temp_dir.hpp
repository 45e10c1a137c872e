// A fresh folder for one test (pid and a counter in the name), removed with everything in it at the end: tests
// never share a fixed /tmp path, so parallel runs and leftovers cannot collide.
#pragma once
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

namespace polarlab::test {

struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name) {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("polarlab-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // A path inside that does not exist yet (the CLI creates its --out folder itself).
  std::filesystem::path sub(const std::string& name) const { return path / name; }
};

}  // namespace polarlab::test
