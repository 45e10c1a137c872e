// A small attention tensor whose per-head scores are computed by hand: 2 layers × 3 heads × 2 samples ×
// 2 queries × 4 keys, every row one of four hand-scored rows (one row masked), in either layout.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/attention/layout.hpp"

namespace polarlab::test {

struct RowScores {
  double sparsity, sink, entropy, argmax_sink;  // with sink key 0 (sink: the row's share, for the hand check)
  double sink2, argmax_sink2;                   // with sink key 2
};

inline const double kLn2 = std::log(2.0);

// Rows and their scores, worked out by hand (entropy of the normalised row, in nats).
inline const std::vector<std::vector<double>> kRows = {
    {0.5, 0.25, 0.25, 0},    // max .5; sink .5; H = .5 ln2 + 2 × .25 ln4 = 1.5 ln2; argmax 0
    {0.125, 0.75, 0.125, 0},  // max .75; sink .125; H = 2 × .125 ln8 + .75 ln(4/3); argmax 1
    {0.5, 0.5, 1, 0},         // sum 2 (sigmoid-like): p = (.25, .25, .5, 0); max/sum .5; H = 1.5 ln2; argmax 2
    {0.25, 0.25, 0.25, 0.25},  // uniform: .25; H = ln4; tie → argmax 0 (numpy's first maximum)
};
inline const std::vector<RowScores> kRowScores = {
    {0.5, 0.5, 1.5 * kLn2, 1, 0.25, 0},
    {0.75, 0.125, 0.75 * kLn2 + 0.75 * std::log(4.0 / 3.0), 0, 0.125, 0},
    {0.5, 0.25, 1.5 * kLn2, 0, 0.5, 1},
    {0.25, 0.25, 2 * kLn2, 1, 0.25, 0},
};

struct Reference {
  std::uint64_t L = 2, H = 3, S = 2, Q = 2, K = 4;
  // -1: masked (all zero)
  int row_type(std::uint64_t l, std::uint64_t h, std::uint64_t s, std::uint64_t i) const {
    if (l == 1 && h == 2 && s == 1 && i == 1) return -1;
    return static_cast<int>((l + 2 * h + s + i) % 4);
  }
  double value(std::uint64_t l, std::uint64_t h, std::uint64_t s, std::uint64_t i, std::uint64_t j) const {
    const int t = row_type(l, h, s, i);
    return t < 0 ? 0.0 : kRows[static_cast<std::size_t>(t)][j];
  }
  // Samples [s0, s1) and layers [l0, l1), serialised in the layout.
  std::vector<double> values(attention::Layout layout, std::uint64_t s0 = 0, std::uint64_t s1 = 2,
                             std::uint64_t l0 = 0, std::uint64_t l1 = 2) const {
    std::vector<double> v;
    for (std::uint64_t l = l0; l < l1; ++l)
      for (std::uint64_t a = 0; a < (layout == attention::Layout::layer_head_sample ? H : s1 - s0); ++a)
        for (std::uint64_t b = 0; b < (layout == attention::Layout::layer_head_sample ? s1 - s0 : H); ++b)
          for (std::uint64_t i = 0; i < Q; ++i)
            for (std::uint64_t j = 0; j < K; ++j)
              v.push_back(layout == attention::Layout::layer_head_sample ? value(l, a, s0 + b, i, j)
                                                                         : value(l, b, s0 + a, i, j));
    return v;
  }
  std::vector<std::uint64_t> shape(attention::Layout layout, std::uint64_t samples = 2, std::uint64_t layers = 2) const {
    return layout == attention::Layout::layer_head_sample ? std::vector<std::uint64_t>{layers, H, samples, Q, K}
                                                          : std::vector<std::uint64_t>{layers, samples, H, Q, K};
  }
  // Expected mean scores of head (l, h): the average of its rows' hand scores, masked rows left out; the sink
  // scores (sink, sink2) are the sink score's (core/observe/sink_score.hpp) over all rows: per sample,
  // Σ a[q][K] / (Σ a[q][k] + 1e-9), averaged over the samples.
  RowScores expected(std::uint64_t l, std::uint64_t h, std::uint64_t* rows = nullptr) const {
    RowScores e{0, 0, 0, 0, 0, 0};
    std::uint64_t n = 0;
    for (std::uint64_t s = 0; s < S; ++s)
      for (std::uint64_t i = 0; i < Q; ++i) {
        const int t = row_type(l, h, s, i);
        if (t < 0) continue;
        const RowScores& r = kRowScores[static_cast<std::size_t>(t)];
        e.sparsity += r.sparsity, e.sink += r.sink, e.entropy += r.entropy, e.argmax_sink += r.argmax_sink;
        e.sink2 += r.sink2, e.argmax_sink2 += r.argmax_sink2;
        ++n;
      }
    const double d = static_cast<double>(n);
    e.sparsity /= d, e.entropy /= d, e.argmax_sink /= d, e.argmax_sink2 /= d;
    e.sink = e.sink2 = 0;
    for (std::uint64_t s = 0; s < S; ++s) {  // every sample has a row with weight
      double k0 = 0, k2 = 0, total = 0;
      for (std::uint64_t i = 0; i < Q; ++i) {
        k0 += value(l, h, s, i, 0), k2 += value(l, h, s, i, 2);
        for (std::uint64_t j = 0; j < K; ++j) total += value(l, h, s, i, j);
      }
      e.sink += k0 / (total + 1e-9) / static_cast<double>(S), e.sink2 += k2 / (total + 1e-9) / static_cast<double>(S);
    }
    if (rows) *rows = n;
    return e;
  }
};

}  // namespace polarlab::test
