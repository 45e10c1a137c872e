// Number text for tick labels, legends and readouts, shared by the screen and the figures. One algorithm,
// two spellings: Notation::markup for the figure renderer's small markup (core/figure/text.hpp: a real minus
// sign U+2212, "2×10^{5}") and Notation::plain for ImGui text (ASCII '-', "2e+05", "10^5").
#pragma once
#include <string>

namespace polarlab::plotkit {

enum class Notation { plain, markup };

// Label of a linear tick with the given step: "0", "0.25", "-1.0" with as many decimals as the step needs
// (equal on one axis), and mantissa × 10^k for very large or small steps.
std::string format_tick(double v, double step, Notation notation = Notation::markup);
// 10^k: "10^{k}" (markup) or "10^k" (plain).
std::string format_power(int k, Notation notation = Notation::markup);
// Compact number for legends, titles and readouts with `significant` digits: "1", "0.05", "444.5"; outside
// [1e-3, 10^significant) mantissa × 10^k: "1.49×10^{4}" (markup), "1.49e+04" (plain).
std::string format_number(double v, Notation notation = Notation::markup, int significant = 4);

}  // namespace polarlab::plotkit
