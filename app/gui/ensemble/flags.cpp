#include "app/gui/ensemble/flags.hpp"

#include "app/gui/ensemble/stats.hpp"
#include "app/gui/shell/flag_checks.hpp"
#include "core/experiment/presets.hpp"

namespace polarlab::gui {

void EnsembleFlags::add(CLI::App& cli) {
  CLI::Option* count = cli.add_option("--ensemble-count", ensemble_count,
                                      "ensemble: start N runs per kappa on open (default: open without starting)")
                           ->default_str("")
                           ->check(integer_in(1, 10000000));
  cli.add_option("--ensemble-preset", ensemble_preset, "ensemble: preset (default fig3)")->needs(count);
  cli.add_option("--kappa-range", kappa_range, "ensemble: a:b:n kappa values (default 1:10:10)")->needs(count);
}

std::string EnsembleFlags::check() const {
  if (ensemble_count <= 0) {
    if (!ensemble_preset.empty()) return "--ensemble-preset: needs --ensemble-count (the runs per κ to start)";
    if (!kappa_range.empty()) return "--kappa-range: needs --ensemble-count (the runs per κ to start)";
    return {};
  }
  const std::string preset = ensemble_preset.empty() ? "fig3" : ensemble_preset;  // EnsembleState's default
  ExperimentConfig base;
  try {
    base = resolve_preset(preset);
  } catch (const std::exception& e) {
    return "--ensemble-preset: " + flag_reason(e);
  }
  if (!kappa_range.empty()) {
    try {
      parse_kappa_range(kappa_range);
    } catch (const std::exception& e) {
      return "--kappa-range: " + flag_reason(e);
    }
    // κ is the regression model's condition number; the ensemble of another model would ignore the range.
    if (base.model != ModelKind::regression)
      return "--kappa-range: preset " + preset + " is not the regression model, it has no κ to sweep (drop " +
             "--kappa-range, or use --ensemble-preset fig3)";
  }
  return {};
}

}  // namespace polarlab::gui
