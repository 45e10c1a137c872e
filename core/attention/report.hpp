// What `attention stats` writes: heads.csv (one row per head) and summary.json (per model: heads, rows,
// mean and quantiles of the scores, files read, rows skipped).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/attention/model_scan.hpp"

namespace polarlab::attention {

// model,layer,head,sparsity,sink,entropy,argmax_sink_share,rows (a head without valid rows: nan scores).
std::string heads_csv(const std::vector<ModelStats>& models);
nlohmann::json summary_json(const std::vector<ModelStats>& models, const ScanOptions& opt);
// The q-quantile (numpy's default linear interpolation) of the finite values; NaN when there are none.
double quantile(std::vector<double> values, double q);
// Sparsity of every head with valid rows, layer-major.
std::vector<double> head_sparsities(const ModelStats& m);

}  // namespace polarlab::attention
