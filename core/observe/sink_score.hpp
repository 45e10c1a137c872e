// The sink score: the one definition behind `polarlab-cli train`, `attention stats`, the sweeps and the GUI
// (spec §7, the paper's is_sink of Appendix E.1). For one sample's attention (rows = queries, columns = keys)
// and query rows first..last (both included):
//   score = Σ_rows a[q][K] / (Σ_rows Σ_k a[q][k] + 1e-9)
// a ratio of sums over the rows (not a mean of per-row shares), then averaged over the samples. The paper's
// rows on the induction task are 1..T−3: the BOS row and the last two rows (where the prediction is informed)
// are skipped. Weights are used as they are: negative weights of non-positive attention functions count (the
// score may then leave [0, 1]; the paper clips, the verdict is the same). A sample whose rows carry no weight
// at all (masked, padding) has no score and is left out of the mean. A head is a sink when score > 0.9.
// Header-only and torch-free, so core/transformer (and its libtorch plugin) and core/attention share it.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

namespace polarlab {

inline constexpr double kSinkThreshold = 0.9;  // spec §7: a head is a sink when its score exceeds 0.9
inline constexpr double kSinkEpsilon = 1e-9;   // added to the denominator, as the paper does
inline bool is_sink(double score) { return score > kSinkThreshold; }

// Query rows of the sink score, both included, counted from 0.
struct SinkRows {
  std::uint64_t first = 0, last = 0;
  bool contains(std::uint64_t q) const { return q >= first && q <= last; }
  std::string str() const { return std::to_string(first) + ":" + std::to_string(last); }
};
// The paper's rows for T queries: 1..T−3. Needs T >= 4 (else there is no such row).
inline bool has_paper_sink_rows(std::uint64_t T) { return T >= 4; }
inline SinkRows paper_sink_rows(std::uint64_t T) { return {1, T - 3}; }
inline SinkRows all_sink_rows(std::uint64_t T) { return {0, T - 1}; }

// One sample's sums over its selected rows; rows may be added in any number of pieces.
struct SinkSums {
  double key = 0, total = 0;  // Σ a[q][K], Σ a[q][k]
  bool scored() const { return total != 0; }  // all-zero rows (masked) have no score
  double ratio() const { return key / (total + kSinkEpsilon); }
};

// The sink score of one head from n samples' dense Tq×Tk weights (row-major, sample after sample), rows and
// key K checked by the caller (last < Tq, K < Tk). NaN when no sample is scored.
template <class F>
double sink_score(const F* a, std::uint64_t n, std::uint64_t Tq, std::uint64_t Tk, SinkRows rows, std::uint64_t K) {
  double mean = 0;
  std::uint64_t scored = 0;
  for (std::uint64_t s = 0; s < n; ++s) {
    const F* m = a + s * Tq * Tk;
    SinkSums sums;
    for (std::uint64_t q = rows.first; q <= rows.last; ++q) {
      sums.key += m[q * Tk + K];
      for (std::uint64_t k = 0; k < Tk; ++k) sums.total += m[q * Tk + k];
    }
    if (sums.scored()) mean += sums.ratio(), ++scored;
  }
  return scored > 0 ? mean / static_cast<double>(scored) : NAN;
}

}  // namespace polarlab
