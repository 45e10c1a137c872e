// What the ensemble workspace draws, computed from the engine's members without ImGui: the distribution of
// the final max s per κ as a histogram (κ × max-s bins, fractions of the κ's successful runs) and the CSV the
// export writes. Unit-tested on hand-made members.
#pragma once
#include <string>
#include <vector>

#include "core/ensemble/ensemble.hpp"

namespace polarlab::gui {

// Bin of v among `bins` equal bins over [lo, hi]; values outside are clamped, v = hi goes to the last bin.
int histogram_bin(double v, int bins, double lo, double hi);

struct MaxSHistogram {
  std::vector<double> kappas;                  // distinct κ, in the members' order
  int bins = 0;
  double lo = 0.0, hi = 1.0;
  std::vector<std::vector<double>> fraction;   // [κ][bin]: share of that κ's ok runs (each κ's row sums to 1;
                                               // NaN where none finished ok: no distribution, not an empty one)
  std::vector<int> ok;                         // runs that finished per κ (failed ones are left out)
};
MaxSHistogram histogram_max_s(const std::vector<EnsembleMember>& members, int bins, double lo = 0.0, double hi = 1.0);

// One row per κ: kappa,count,failed,p_polarized,p_predicted_winner,max_s_mean,max_s_q10,max_s_q50,max_s_q90
// (the columns of `polarlab-cli ensemble`'s summary.csv).
std::string ensemble_summary_csv(const std::vector<EnsembleSummary>& summaries);

// What the workspace writes about a result, so a cancelled run reads as partial and never as complete:
// "30000 runs", or "partial: 1817 of 30000 runs" when members were cancelled before they ran.
std::string ensemble_runs_text(const EnsembleResult& r);
// A κ row's runs: "3000", or "181 of 3000" (finished of planned) when some were cancelled.
std::string kappa_runs_text(const EnsembleSummary& s);
// A probability or quantile in the per-κ table: "0.250", or "–" where no member finished (NaN).
std::string ensemble_value_text(double v);
// The line under the results: "<ran>   <runs text> in <seconds> s". `previous`: a newer run is in progress (or
// ended without a result), so the line says whose results these are instead of taking the new run's count.
std::string ensemble_result_caption(const std::string& ran, const EnsembleResult& r, bool previous);

// "a:b:n" → n values evenly spaced from a to b (as the CLI's --kappa-range); throws ConfigError.
std::vector<double> parse_kappa_range(const std::string& text);

}  // namespace polarlab::gui
