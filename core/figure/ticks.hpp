// The figures' axis scales, ticks and labels: core/plotkit's (shared with the screen), spelled in the
// renderer's small markup (see text.hpp): "10^{-2}", "2×10^{5}", "−0.5".
#pragma once
#include <string>
#include <vector>

#include "core/plotkit/scale.hpp"
#include "core/plotkit/ticks.hpp"

namespace polarlab::figure {

using plotkit::linear_ticks;
using plotkit::log_ticks;
using plotkit::nice_step;
using plotkit::padded_limits;
using plotkit::Scale;
using plotkit::Tick;

// Label of a linear tick with the given step: "0", "0.25", "−1", "2×10^{5}" for very large or small values.
inline std::string format_linear_label(double v, double step) { return plotkit::format_tick(v, step); }
// "10^{k}".
inline std::string format_log_label(int k) { return plotkit::format_power(k); }
// Compact number for legends and titles: "1", "0.05", "1×10^{-3}".
inline std::string format_number(double v) { return plotkit::format_number(v); }

}  // namespace polarlab::figure
