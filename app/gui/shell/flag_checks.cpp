#include "app/gui/shell/flag_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/types.hpp"

namespace polarlab::gui {

// A number flag's value: a finite decimal in [lo, hi] (`lo_open`: above lo). CLI11's Range lets NaN through and
// reads 1e400 as infinity, which would then stand for "forever" or fall back to a default.
CLI::Validator finite_in(double lo, double hi, const std::string& range_text, bool lo_open) {
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        errno = 0;
        char* end = nullptr;
        const double v = std::strtod(s.c_str(), &end);
        if (s.empty() || std::isspace(static_cast<unsigned char>(s[0])) || end != s.c_str() + s.size())
          return "'" + s + "' is not a number";
        if (!std::isfinite(v) || errno == ERANGE) return s + " is not a finite number in " + range_text;
        if (v < lo || v > hi || (lo_open && v == lo)) return s + " is outside " + range_text;
        return "";
      },
      "FLOAT in " + range_text);
}

// A whole-number flag's value in [lo, hi], read in base 10 without wrapping (CLI11 reads 010 as 8 and
// 99999999999999999999 into a long long as its maximum). The value is rewritten in plain digits for CLI11.
CLI::Validator integer_in(long long lo, long long hi) {
  const std::string range_text = "[" + std::to_string(lo) + " - " + std::to_string(hi) + "]";
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        const std::size_t d = !s.empty() && (s[0] == '-' || s[0] == '+') ? 1 : 0;
        if (s.size() == d || !std::all_of(s.begin() + static_cast<std::ptrdiff_t>(d), s.end(),
                                          [](unsigned char c) { return std::isdigit(c) != 0; }))
          return "'" + s + "' is not a whole number";
        errno = 0;
        const long long v = std::strtoll(s.c_str(), nullptr, 10);
        if (errno == ERANGE || v < lo || v > hi) return s + " is outside " + range_text;
        s = std::to_string(v);
        return "";
      },
      "INT in " + range_text);
}

std::string flag_reason(const std::exception& e) {
  const std::string what = e.what();
  if (const auto* c = dynamic_cast<const ConfigError*>(&e); c && !c->field.empty() && what.rfind(c->field + ": ", 0) == 0)
    return what.substr(c->field.size() + 2);
  return what;
}

}  // namespace polarlab::gui
