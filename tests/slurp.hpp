// A whole file as text (empty when it cannot be read): the tests' one reader of output files.
#pragma once
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace polarlab::test {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace polarlab::test
