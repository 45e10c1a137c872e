// Per-head scores of attention rows (one row = one query's weights over the keys), reduced as the rows
// stream past. For a row a (a_j >= 0, S = sum_j a_j > 0):
//   sparsity          max_j a_j / S         the paper's score (Appendix E): A.max(-1) / A.sum(-1), averaged
//   entropy           -sum_j p_j log p_j    of the normalised row p = a / S, in nats
//   argmax_sink_share [argmax_j a_j == K]   first maximum, as numpy's argmax
// each averaged over the valid rows of the head (every sample, every query). All-zero rows (masked) are
// skipped and counted; rows with a NaN, infinite or negative weight are skipped and their weights counted.
// The sink score is not a per-row mean but core/observe/sink_score.hpp's (the one definition, train's): per
// sample, Σ a_K / (Σ S + 1e-9) over the chosen query rows (every weight counts, negative ones too), averaged
// over the samples; a sample with a NaN or infinite weight in those rows is left out and counted, one whose rows
// are all zero (masked) is left out.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/attention/dtype.hpp"
#include "core/observe/sink_score.hpp"

namespace polarlab::attention {

struct HeadAccumulator {
  double sparsity = 0, entropy = 0;         // sums over valid rows
  std::uint64_t argmax_sink = 0, rows = 0;  // rows: valid rows
  double sink = 0;                          // Σ over scored samples of their sink ratio
  std::uint64_t sink_samples = 0, sink_samples_skipped = 0;  // skipped: a NaN or infinite weight in the rows
  std::uint64_t masked_rows = 0, invalid_rows = 0, nonfinite_weights = 0, negative_weights = 0;
  void add(const HeadAccumulator& o);
};

struct HeadStats {
  double sparsity = NAN, sink = NAN, entropy = NAN, argmax_sink_share = NAN;  // NaN when no valid row
  std::uint64_t rows = 0, sink_samples = 0;  // sink: NaN when no sample was scored
};
HeadStats finish(const HeadAccumulator& a);

// One sample's sink sums while its rows stream past (a q×k map may arrive in pieces).
struct SampleSink {
  SinkSums sums;
  bool nonfinite = false;  // a NaN or infinite weight in the sink rows
};
// Adds a sample whose rows have all been reduced to acc's sink score (or counts it skipped), then clears it.
void finish_sample(HeadAccumulator& acc, SampleSink& sample);

// Reduces `rows` consecutive rows of `keys` elements of type t starting at bytes (any alignment) into acc.
// They are query rows first_query, first_query + 1, ... of one sample; those in sink_rows add to sample.
// sink_key < keys.
void reduce_rows(const std::byte* bytes, DType t, std::size_t rows, std::size_t keys, std::size_t sink_key,
                 HeadAccumulator& acc, std::uint64_t first_query, SinkRows sink_rows, SampleSink& sample);

}  // namespace polarlab::attention
