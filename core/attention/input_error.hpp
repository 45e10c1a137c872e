// Bad attention input: names the file, the field that is wrong and what was expected, so that the CLI's
// one-line message (exit 2) is enough to fix an export script.
#pragma once
#include <string>

#include "core/types.hpp"

namespace polarlab::attention {

struct InputError : ConfigError {
  std::string file, expected;
  InputError(const std::string& file_, const std::string& field_, const std::string& expected_)
      : ConfigError("", "'" + file_ + "': " + field_ + ": expected " + expected_), file(file_), expected(expected_) {
    field = field_;  // the message leads with the file, which says more than the field
  }
};

}  // namespace polarlab::attention
