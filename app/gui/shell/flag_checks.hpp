// Checks of flag values shared by the command line and the workspaces' own flags (their folders' flags.cpp):
// numbers that CLI11 alone would let through (NaN, 1e400, 010, values that wrap), and the text of a refusal.
#pragma once
#include <CLI/CLI.hpp>
#include <exception>
#include <string>

namespace polarlab::gui {

// A number flag's value: a finite decimal in [lo, hi] (`lo_open`: above lo).
CLI::Validator finite_in(double lo, double hi, const std::string& range_text, bool lo_open = false);
// A whole-number flag's value in [lo, hi], in base 10, without wrapping.
CLI::Validator integer_in(long long lo, long long hi);
// A ConfigError's text without its "field: " prefix, where the flag names the field instead.
std::string flag_reason(const std::exception& e);

}  // namespace polarlab::gui
