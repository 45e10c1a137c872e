// Values a person typed, checked before any work (issue 25): numbers parsed strictly (the whole text, finite, no
// silent overflow: "1e400", "nan" and "99999999999999999999" are refused, never turned into inf or a wrapped
// integer), ranges given as text for messages, and output paths checked writable up front. Header-only so that
// the CLI, the benchmark programs and the Python module share one spelling of every refusal.
#pragma once
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "core/types.hpp"

namespace polarlab::checked {

// The shortest text of a bound: 1e+12 → "1e12", 0.001 → "0.001".
inline std::string number_text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  std::string s = buf;
  if (auto e = s.find("e+"); e != std::string::npos) s.erase(e + 1, 1);
  if (auto e = s.find("e0"); e != std::string::npos) s.erase(e + 1, 1);
  return s;
}

// "[1, 64]", "(0, 10]".
inline std::string range_text(double min, double max, bool min_open = false) {
  return (min_open ? "(" : "[") + number_text(min) + ", " + number_text(max) + "]";
}

// A real number: the whole text, finite; nullopt otherwise (nan, inf, 1e400, "1.5x", "").
inline std::optional<double> parse_real(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(v)) return std::nullopt;
  return v;
}

// An integer: the whole text in decimal, within long long (no wrap); nullopt otherwise.
inline std::optional<long long> parse_integer(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long v = std::strtoll(text.c_str(), &end, 10);
  if (end != text.c_str() + text.size() || errno == ERANGE) return std::nullopt;
  return v;
}

// Why `text` is not a real in the range (empty: it is).
inline std::string real_refusal(const std::string& text, double min, double max, bool min_open = false) {
  const auto v = parse_real(text);
  const std::string want = "give a finite number in " + range_text(min, max, min_open);
  if (!v) return "'" + text + "' is not a finite number; " + want;
  if (*v < min || *v > max || (min_open && *v == min)) return text + " is out of range; " + want;
  return "";
}

// Why `text` is not an integer in [min, max] (empty: it is).
inline std::string integer_refusal(const std::string& text, long long min, long long max) {
  const auto v = parse_integer(text);
  const std::string want = "give an integer in " + range_text(static_cast<double>(min), static_cast<double>(max));
  if (!v) {
    const bool digits = !text.empty() && text.find_first_not_of("+-0123456789") == std::string::npos;
    if (digits) return text + " is out of range; " + want;  // more than 64 bits: never wrapped
    return "'" + text + "' is not an integer; " + want;
  }
  if (*v < min || *v > max) return text + " is out of range; " + want;
  return "";
}

// The folder an output will be created in (and its parents as needed) can be written: refused up front, naming
// `where`, when a part of the path is a file or the nearest existing folder is not writable. A fuller check
// (whose folder it is) lives with the run-directory writer; this one only spares a run whose files cannot land.
inline void check_writable_folder(const std::string& path, const std::string& where) {
  namespace fs = std::filesystem;
  if (path.empty()) throw ConfigError(where, "give a path");
  std::error_code ec;
  fs::path p = fs::absolute(fs::path(path), ec);
  if (ec) throw ConfigError(where, "'" + path + "' is not a usable path: " + ec.message());
  if (fs::exists(p, ec) && !fs::is_directory(p, ec))
    throw ConfigError(where, "'" + path + "' exists and is not a folder; give a folder path");
  fs::path at = p;
  while (!fs::exists(at, ec) && at.has_parent_path() && at.parent_path() != at) at = at.parent_path();
  if (!fs::is_directory(at, ec))
    throw ConfigError(where, "'" + path + "' cannot be created: '" + at.string() + "' is a file, not a folder");
  if (::access(at.c_str(), W_OK | X_OK) != 0)
    throw ConfigError(where, "'" + path + "' cannot be written: no write permission in '" + at.string() +
                                 "'; choose another folder");
}

// An output file: its extension one of `extensions` (".png", ...) and its folder writable, naming `where`.
inline void check_writable_file(const std::string& path, const std::string& where,
                                const std::vector<std::string>& extensions) {
  namespace fs = std::filesystem;
  if (path.empty()) throw ConfigError(where, "give a file path");
  if (!extensions.empty()) {
    const std::string ext = fs::path(path).extension().string();
    bool known = false;
    std::string list;
    for (const auto& e : extensions) known |= e == ext, list += (list.empty() ? "" : ", ") + e;
    if (!known) throw ConfigError(where, "'" + path + "' has an unknown extension; give one of " + list);
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw ConfigError(where, "'" + path + "' is a folder; give a file path");
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && fs::exists(parent, ec) && !fs::is_directory(parent, ec))
    throw ConfigError(where, "'" + path + "' cannot be created: '" + parent.string() + "' is a file, not a folder");
  check_writable_folder(parent.empty() ? "." : parent.string(), where);
}

}  // namespace polarlab::checked
