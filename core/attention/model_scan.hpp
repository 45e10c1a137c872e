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

// --rows: the query rows of the sink score (core/observe/sink_score.hpp). all: every row (0..q−1); paper: rows
// 1..q−3, the paper's on the induction task (spec §7; needs q >= 4); A:B: rows A..B, both included, from 0.
struct SinkRowsOption {
  enum class Kind { all, paper, range } kind = Kind::all;
  std::uint64_t first = 0, last = 0;  // range only
  std::string name() const;           // "all", "paper" or "A:B"
};
// Throws ConfigError("--rows") unless all, paper or A:B with integers 0 <= A <= B.
SinkRowsOption parse_sink_rows(const std::string& text);
// The rows for maps of q queries; throws InputError(file, "--rows", ...) when they do not fit.
SinkRows resolve_sink_rows(const SinkRowsOption& o, std::uint64_t q, const std::string& file);
// Whether file is the attention.npy of a `polarlab-cli train` run on the induction task (config.json beside
// it says so): the files `--rows auto` scores on the paper's rows, as train does.
bool is_induction_run_attention(const std::string& file);

struct ScanOptions {
  Layout layout = Layout::layer_head_sample;
  std::string key;             // tensor in a multi-tensor file; empty: the only one (or "attention")
  std::uint64_t sink_key = 0;  // K of the sink score
  ShardAxis shards = ShardAxis::sample;
  SinkRowsOption rows;         // query rows of the sink score
};

struct ModelStats {
  std::string label;
  std::vector<std::string> files;
  std::string dtype;  // of the first file
  std::uint64_t layers = 0, heads = 0, samples = 0, q = 0, k = 0;
  std::uint64_t bytes = 0;          // tensor bytes reduced
  std::vector<HeadAccumulator> acc;  // layer-major: acc[layer * heads + head]
  SinkRowsOption rows_option;        // as asked (--rows)
  SinkRows sink_rows;                // the query rows the sink score used
  HeadStats head(std::uint64_t layer, std::uint64_t h) const { return finish(acc[layer * heads + h]); }
  HeadAccumulator total() const;
};

// Throws InputError (file, field, expected) for unreadable files, a wrong rank, shards that disagree, a
// missing key or sink key outside the rows; the scores of rows with NaN or negative weights are left out.
// `progress(bytes_done)` is called after every piece when given.
ModelStats scan_model(const std::string& label, const std::vector<std::string>& files, const ScanOptions& opt,
                      const std::function<void(std::uint64_t)>& progress = {});

}  // namespace polarlab::attention
