// The paper's Figure 7: the distribution of head sparsity scores per model, overlaid (one outlined
// histogram per model, share of its heads per bin), drawn by core/figure's renderer.
#pragma once
#include <vector>

#include "core/attention/model_scan.hpp"
#include "core/attention/report.hpp"
#include "core/figure/plot.hpp"

namespace polarlab::attention {

// Its histogram (sparsity_histogram) is in report.hpp, where the GUI draws it without Cairo.
figure::Figure sparsity_figure(const std::vector<ModelStats>& models);

}  // namespace polarlab::attention
