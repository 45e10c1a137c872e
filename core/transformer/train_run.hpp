// A training run written to a directory: config.json, metrics.csv (one row per logged step), summary.json,
// attention.json (maps of the chosen eval samples), attention.npy (the eval attention for
// `polarlab-cli attention stats`), cls_attention.csv (classification, Fig 5) and
// checkpoint.pt (model + optimizer + step) from which --resume continues, and manifest.json listing them
// (core/io/owned_folder.hpp): a fresh run into a folder removes the previous run's files first, a resumed one
// continues them. Torch-free.
#pragma once
#include <atomic>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/transformer/config.hpp"
#include "core/transformer/trainer.hpp"

namespace polarlab::transformer {

struct TrainRunOptions {
  std::string out;                        // run directory (created)
  bool resume = false;                    // continue from out/checkpoint.pt when it exists
  bool force = false;                     // write into a folder holding files polarlab did not write (left alone)
  const std::atomic<bool>* cancel = nullptr;  // set from a signal handler: stop, checkpoint, summarize
  std::function<void(const Progress&, const MetricsRow*)> report;  // after every step (row when logged)
};

struct TrainRunResult {
  TrainState state = TrainState::preparing;
  nlohmann::json summary;
};

TrainRunResult train_to_directory(const TrainConfig& config, const TrainRunOptions& options);

// metrics.csv's header line for a config (run_files.hpp's metrics_columns joined by commas). The files' formats
// and their readers live in run_files.hpp.
std::string metrics_header(const TrainConfig& c);

}  // namespace polarlab::transformer
