// Head statistics of spec §7 computed from attention weights already copied off the device. Torch-free.
#pragma once
#include <cstdint>
#include <vector>

#include "core/observe/sink_score.hpp"
#include "core/transformer/tasks.hpp"

namespace polarlab::transformer {

using polarlab::is_sink;
using polarlab::kSinkThreshold;

// Sink score of one head (core/observe/sink_score.hpp, the one definition): a holds n sequences' T×T weights
// (row = query, column = key), row-major; the paper's query rows 1..T−3 and key 0 (BOS). NaN when T < 4 or
// n <= 0 (no such rows).
double sink_score(const float* a, int n, int T);

// Concentration of one head (Fig 5): max / sum of the CLS (last) row, averaged over the n sequences.
double cls_concentration(const float* a, int n, int T);

// Index (0..T−2) of the content token with the largest CLS-row weight; ties go to the lower index.
int top_content_token(const float* cls_row, int T);

// Flip-rate probe (Fig 6): the top-1 token `injected` plus the content tokens of `host` other than the
// one at `host_top`, shuffled, CLS appended. host has T = k + 1 tokens, CLS last.
std::vector<int64_t> mixed_sequence(int64_t injected, const int64_t* host, int host_top, int T, Rng& rng);

}  // namespace polarlab::transformer
