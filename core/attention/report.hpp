// What `attention stats` writes: heads.csv (one row per head) and summary.json (per model: heads, rows,
// mean and quantiles of the scores, files read, rows skipped).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/attention/model_scan.hpp"

namespace polarlab::attention {

// How summary.json states the sink score (core/observe/sink_score.hpp).
inline constexpr const char* kSinkFormula =
    "per sample: sum over query rows first..last of a[q][sink_key] / (sum over those rows of sum_k a[q][k] + 1e-9); "
    "averaged over the samples; a head is a sink when > 0.9";

// model,layer,head,sparsity,sink,entropy,argmax_sink_share,rows,sink_rows,sink_samples (a head without valid
// rows: nan scores; sink_rows "first:last", the query rows of the sink score, both included).
std::string heads_csv(const std::vector<ModelStats>& models);
nlohmann::json summary_json(const std::vector<ModelStats>& models, const ScanOptions& opt);
// The q-quantile (numpy's default linear interpolation) of the finite values; NaN when there are none.
double quantile(std::vector<double> values, double q);
// Sparsity of every head with valid rows, layer-major.
std::vector<double> head_sparsities(const ModelStats& m);

// Figure 7's histogram (the figure: sparsity_figure.hpp; the Attention workspace draws the same bins).
inline constexpr int kSparsityBins = 20;  // bins of width 0.05 on [0, 1]
// The share of heads per bin (non-finite values left out); sums to 1 when any value is finite.
std::vector<double> sparsity_histogram(const std::vector<double>& sparsities, int bins = kSparsityBins);

}  // namespace polarlab::attention
