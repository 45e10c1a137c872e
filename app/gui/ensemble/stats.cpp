#include "app/gui/ensemble/stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "core/experiment/config.hpp"

namespace polarlab::gui {

int histogram_bin(double v, int bins, double lo, double hi) {
  if (bins <= 0) return -1;
  if (!(hi > lo) || !std::isfinite(v)) return v >= hi ? bins - 1 : 0;
  const double f = (v - lo) / (hi - lo) * bins;
  return std::clamp(static_cast<int>(std::floor(f)), 0, bins - 1);
}

MaxSHistogram histogram_max_s(const std::vector<EnsembleMember>& members, int bins, double lo, double hi) {
  MaxSHistogram h;
  h.bins = bins;
  h.lo = lo;
  h.hi = hi;
  for (const EnsembleMember& m : members) {
    auto it = std::find(h.kappas.begin(), h.kappas.end(), m.kappa);
    std::size_t k = static_cast<std::size_t>(it - h.kappas.begin());
    if (it == h.kappas.end()) {
      h.kappas.push_back(m.kappa);
      h.fraction.emplace_back(static_cast<std::size_t>(std::max(bins, 0)), 0.0);
      h.ok.push_back(0);
    }
    if (!m.ok || bins <= 0) continue;
    h.fraction[k][static_cast<std::size_t>(histogram_bin(m.max_s, bins, lo, hi))] += 1.0;
    ++h.ok[k];
  }
  for (std::size_t k = 0; k < h.kappas.size(); ++k)
    for (double& f : h.fraction[k]) f = h.ok[k] > 0 ? f / h.ok[k] : std::nan("");  // NaN: drawn masked
  return h;
}

std::string ensemble_summary_csv(const std::vector<EnsembleSummary>& summaries) {
  std::ostringstream out;
  out << std::setprecision(10)
      << "kappa,count,failed,p_polarized,p_predicted_winner,max_s_mean,max_s_q10,max_s_q50,max_s_q90\n";
  for (const auto& s : summaries)
    out << s.kappa << ',' << s.count << ',' << s.failed << ',' << s.p_polarized << ',' << s.p_predicted_winner << ','
        << s.max_s_mean << ',' << s.max_s_q10 << ',' << s.max_s_q50 << ',' << s.max_s_q90 << '\n';
  return out.str();
}

std::string ensemble_runs_text(const EnsembleResult& r) {
  if (r.complete()) return std::to_string(r.members.size()) + " runs";
  return "partial: " + std::to_string(r.finished) + " of " + std::to_string(r.members.size()) + " runs";
}

std::string kappa_runs_text(const EnsembleSummary& s) {
  if (s.unfinished == 0) return std::to_string(s.planned);
  return std::to_string(s.finished()) + " of " + std::to_string(s.planned);
}

std::string ensemble_value_text(double v) {
  if (std::isnan(v)) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

std::string ensemble_result_caption(const std::string& ran, const EnsembleResult& r, bool previous) {
  char secs[32];
  std::snprintf(secs, sizeof secs, r.seconds < 1000 ? "%.3g" : "%.0f", r.seconds);
  return (previous ? "previous run: " : "") + ran + "   " + ensemble_runs_text(r) + " in " + secs + " s";
}

std::vector<double> parse_kappa_range(const std::string& text) {
  double a = 0, b = 0;
  long long n = 0;
  char c1 = 0, c2 = 0;
  std::istringstream in(text);
  if (!(in >> a >> c1 >> b >> c2 >> n) || c1 != ':' || c2 != ':' || n < 1 || n > 10000 || !in.eof() ||
      !std::isfinite(a) || !std::isfinite(b) || a <= 0 || b <= 0)
    throw ConfigError("κ range", "expected a:b:n with a, b > 0 and 1 ≤ n ≤ 10000 (e.g. 1:10:10), got '" + text + "'");
  std::vector<double> out;
  for (long long i = 0; i < n; ++i)
    out.push_back(n == 1 ? a : a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1));
  return out;
}

}  // namespace polarlab::gui
