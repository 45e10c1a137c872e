// Head statistics of spec §7 computed from attention weights already copied off the device. Torch-free.
#pragma once
#include <cstdint>
#include <vector>

#include "core/transformer/tasks.hpp"

namespace polarlab::transformer {

inline constexpr double kSinkThreshold = 0.9;

// Sink score of one head: a holds n sequences' T×T weights (row = query, column = key), row-major.
// Per sequence: weight on BOS (key 0) summed over query rows 1..T−3 (skipping the BOS row and the last two
// rows, where the prediction is informed), divided by those rows' total weight + 1e-9; averaged over n.
// Not clipped: for non-positive attention functions it may leave [0, 1] (the paper clips; the verdict is
// the same).
double sink_score(const float* a, int n, int T);
inline bool is_sink(double score) { return score > kSinkThreshold; }

// Concentration of one head (Fig 5): max / sum of the CLS (last) row, averaged over the n sequences.
double cls_concentration(const float* a, int n, int T);

// Index (0..T−2) of the content token with the largest CLS-row weight; ties go to the lower index.
int top_content_token(const float* cls_row, int T);

// Flip-rate probe (Fig 6): the top-1 token `injected` plus the content tokens of `host` other than the
// one at `host_top`, shuffled, CLS appended. host has T = k + 1 tokens, CLS last.
std::vector<int64_t> mixed_sequence(int64_t injected, const int64_t* host, int host_top, int T, Rng& rng);

}  // namespace polarlab::transformer
