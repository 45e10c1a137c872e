// The paper's Figure 7: the distribution of head sparsity scores per model, overlaid (one outlined
// histogram per model, share of its heads per bin), drawn by core/figure's renderer.
#pragma once
#include <vector>

#include "core/attention/model_scan.hpp"
#include "core/figure/plot.hpp"

namespace polarlab::attention {

inline constexpr int kSparsityBins = 20;  // bins of width 0.05 on [0, 1]

// The share of heads per bin (heads without valid rows left out); sums to 1 when any head has rows.
std::vector<double> sparsity_histogram(const std::vector<double>& sparsities, int bins = kSparsityBins);
figure::Figure sparsity_figure(const std::vector<ModelStats>& models);

}  // namespace polarlab::attention
