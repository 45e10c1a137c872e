#include "core/attention/sparsity_figure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/attention/report.hpp"
#include "core/figure/text.hpp"

namespace polarlab::attention {

figure::Figure sparsity_figure(const std::vector<ModelStats>& models) {
  namespace pf = polarlab::figure;
  pf::Figure f;
  f.name = "fig7";
  std::string caption = "Figure 7: distribution of attention head sparsity scores (mean over samples and query rows "
                        "of max/sum of the row, Appendix E) per model:";
  pf::Axes a;
  a.xlabel = "head sparsity score";
  a.ylabel = "share of heads";
  a.xmin = 0, a.xmax = 1, a.ymin = 0;
  for (std::size_t i = 0; i < models.size(); ++i) {
    const ModelStats& m = models[i];
    const std::vector<double> s = head_sparsities(m);
    const std::vector<double> share = sparsity_histogram(s);
    pf::Series line;  // the outline of the histogram: steps over the bins
    for (int b = 0; b < kSparsityBins; ++b) {
      const double x0 = static_cast<double>(b) / kSparsityBins, x1 = static_cast<double>(b + 1) / kSparsityBins;
      line.x.insert(line.x.end(), {x0, x1});
      line.y.insert(line.y.end(), {share[static_cast<std::size_t>(b)], share[static_cast<std::size_t>(b)]});
    }
    line.x.insert(line.x.begin(), 0.0), line.y.insert(line.y.begin(), 0.0);
    line.x.push_back(1.0), line.y.push_back(0.0);
    line.color = pf::coordinate_color(static_cast<int>(i));
    line.width = 1.4;
    char median[64];
    std::snprintf(median, sizeof median, "median %.3f", quantile(s, 0.5));
    line.label = figure::escape_markup(m.label) + " (" + std::to_string(s.size()) + " heads, " + median + ")";
    line.csv_name = m.label;
    line.legend_rank = static_cast<int>(i);
    a.series.push_back(std::move(line));
    caption += " " + m.label + " " + std::to_string(s.size()) + " heads;";
  }
  a.legend = pf::LegendLoc::best;
  f.caption = caption;
  f.width_in = 4.2, f.height_in = 2.8;
  f.panels = {a};
  return f;
}

}  // namespace polarlab::attention
