// CLI11 checks of numeric flags that CLI11's own Range lets through (issue 25): Range compares with < and >, so
// NaN passes, "1e400" becomes inf and a 20-digit integer saturates. These parse the flag's text strictly
// (core/util/checked_values.hpp) before CLI11 converts it; the refusal reads "--dpi: 'nan' is not a finite
// number; give a finite number in [10, 2400]" and exits 2 like every bad flag. Used by polarlab-cli and the
// benchmark programs (bench/*.cpp).
#pragma once
#include <string>

#include <CLI/CLI.hpp>

#include "core/util/checked_values.hpp"

namespace polarlab::cli {

// A finite real in [min, max] ((min, max] when min_open).
inline CLI::Validator real_in(double min, double max, bool min_open = false) {
  return CLI::Validator(
      [=](std::string& text) { return checked::real_refusal(text, min, max, min_open); },
      "in " + checked::range_text(min, max, min_open));
}

// An integer in [min, max], never wrapped.
inline CLI::Validator integer_in(long long min, long long max) {
  return CLI::Validator([=](std::string& text) { return checked::integer_refusal(text, min, max); },
                        "in " + checked::range_text(static_cast<double>(min), static_cast<double>(max)));
}

}  // namespace polarlab::cli
