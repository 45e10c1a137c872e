// Per-head scores of attention rows (one row = one query's weights over the keys), reduced as the rows
// stream past. For a row a (a_j >= 0, S = sum_j a_j > 0):
//   sparsity          max_j a_j / S         the paper's score (Appendix E): A.max(-1) / A.sum(-1), averaged
//   sink              a_K / S               share of the row's weight on key K (default 0, the first token)
//   entropy           -sum_j p_j log p_j    of the normalised row p = a / S, in nats
//   argmax_sink_share [argmax_j a_j == K]   first maximum, as numpy's argmax
// each averaged over the valid rows of the head (every sample, every query). All-zero rows (masked) are
// skipped and counted; rows with a NaN, infinite or negative weight are skipped and their weights counted.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "core/attention/dtype.hpp"

namespace polarlab::attention {

struct HeadAccumulator {
  double sparsity = 0, sink = 0, entropy = 0;  // sums over valid rows
  std::uint64_t argmax_sink = 0, rows = 0;     // rows: valid rows
  std::uint64_t masked_rows = 0, invalid_rows = 0, nonfinite_weights = 0, negative_weights = 0;
  void add(const HeadAccumulator& o);
};

struct HeadStats {
  double sparsity = NAN, sink = NAN, entropy = NAN, argmax_sink_share = NAN;  // NaN when no valid row
  std::uint64_t rows = 0;
};
HeadStats finish(const HeadAccumulator& a);

// Reduces `rows` consecutive rows of `keys` elements of type t starting at bytes (any alignment) into acc.
// sink_key < keys.
void reduce_rows(const std::byte* bytes, DType t, std::size_t rows, std::size_t keys, std::size_t sink_key,
                 HeadAccumulator& acc);

}  // namespace polarlab::attention
