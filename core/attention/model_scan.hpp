// One model's attention, from one file or from shards (files with the same label), reduced head by head:
// every file is checked before any data is read, then streamed in storage order into per-head sums.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/attention/head_stats.hpp"
#include "core/attention/layout.hpp"

namespace polarlab::attention {

// How shards of one model split it: along samples (each file holds every layer), or one file per layer
// block (each file holds some layers of every sample, in file order).
enum class ShardAxis { sample, layer };
ShardAxis parse_shard_axis(const std::string& name);  // "samples" or "layers"; throws ConfigError("--shards")
std::string shard_axis_name(ShardAxis a);

struct ScanOptions {
  Layout layout = Layout::layer_head_sample;
  std::string key;             // tensor in a multi-tensor file; empty: the only one (or "attention")
  std::uint64_t sink_key = 0;  // K of the sink score
  ShardAxis shards = ShardAxis::sample;
};

struct ModelStats {
  std::string label;
  std::vector<std::string> files;
  std::string dtype;  // of the first file
  std::uint64_t layers = 0, heads = 0, samples = 0, q = 0, k = 0;
  std::uint64_t bytes = 0;          // tensor bytes reduced
  std::vector<HeadAccumulator> acc;  // layer-major: acc[layer * heads + head]
  HeadStats head(std::uint64_t layer, std::uint64_t h) const { return finish(acc[layer * heads + h]); }
  HeadAccumulator total() const;
};

// Throws InputError (file, field, expected) for unreadable files, a wrong rank, shards that disagree, a
// missing key or sink key outside the rows; the scores of rows with NaN or negative weights are left out.
// `progress(bytes_done)` is called after every piece when given.
ModelStats scan_model(const std::string& label, const std::vector<std::string>& files, const ScanOptions& opt,
                      const std::function<void(std::uint64_t)>& progress = {});

}  // namespace polarlab::attention
