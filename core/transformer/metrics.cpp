#include "core/transformer/metrics.hpp"

#include <algorithm>
#include <cmath>

namespace polarlab::transformer {

double sink_score(const float* a, int n, int T) {
  if (n <= 0 || !has_paper_sink_rows(static_cast<std::uint64_t>(T))) return NAN;
  const auto t = static_cast<std::uint64_t>(T);
  return polarlab::sink_score(a, static_cast<std::uint64_t>(n), t, t, paper_sink_rows(t), 0);
}

double cls_concentration(const float* a, int n, int T) {
  if (n <= 0) return 0.0;
  double total = 0.0;
  for (int s = 0; s < n; ++s) {
    const float* row = a + static_cast<size_t>(s) * T * T + static_cast<size_t>(T - 1) * T;
    double mx = row[0], sum = 0.0;
    for (int k = 0; k < T; ++k) {
      mx = std::max(mx, static_cast<double>(row[k]));
      sum += row[k];
    }
    total += mx / (sum + 1e-9);
  }
  return total / n;
}

int top_content_token(const float* cls_row, int T) {
  return static_cast<int>(std::max_element(cls_row, cls_row + T - 1) - cls_row);
}

std::vector<int64_t> mixed_sequence(int64_t injected, const int64_t* host, int host_top, int T, Rng& rng) {
  std::vector<int64_t> seq;
  seq.reserve(T);
  seq.push_back(injected);
  for (int j = 0; j < T - 1; ++j)
    if (j != host_top) seq.push_back(host[j]);
  rng.shuffle(seq.begin(), seq.end());
  seq.push_back(kCls);
  return seq;
}

}  // namespace polarlab::transformer
