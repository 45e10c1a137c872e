#include "core/transformer/tasks.hpp"

#include <numeric>

namespace polarlab::transformer {

Rng::Rng(uint64_t seed, uint64_t stream) : state_(seed * 0x9E3779B97F4A7C15ULL ^ (stream + 1) * 0xD1B54A32D192ED03ULL) {
  next();
}

uint64_t Rng::next() {
  uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t Rng::below(uint64_t n) {
  // Lemire-free rejection: drop the top partial range so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

TaskData make_induction(int n, int vocab, int k, bool shift_query, Rng& rng) {
  TaskData d;
  d.n = n;
  d.seq_len = k + 2;
  d.inputs.resize(static_cast<size_t>(n) * d.seq_len);
  d.targets.resize(d.inputs.size());
  d.query_index.resize(n);
  std::vector<int64_t> pool(vocab - 1);
  std::iota(pool.begin(), pool.end(), 1);
  std::vector<int64_t> seq(k + 3);
  for (int i = 0; i < n; ++i) {
    // k distinct tokens: a partial Fisher-Yates over 1..V−1.
    for (int j = 0; j < k; ++j) std::swap(pool[j], pool[j + rng.below(pool.size() - j)]);
    const int r = 1 + static_cast<int>(rng.below(k));
    seq[0] = kBos;
    for (int j = 0; j < k; ++j) seq[1 + j] = pool[j];
    seq[k + 1] = pool[r - 1] + (shift_query ? vocab : 0);
    seq[k + 2] = seq[r + 1];  // element after m_r in (m₁…m_k, q): q itself when r = k
    for (int t = 0; t < d.seq_len; ++t) {
      d.inputs[static_cast<size_t>(i) * d.seq_len + t] = seq[t];
      d.targets[static_cast<size_t>(i) * d.seq_len + t] = seq[t + 1];
    }
    d.query_index[i] = r;
  }
  return d;
}

TaskData make_classification(int n, int vocab, int labels, int k, Rng& rng) {
  TaskData d;
  d.n = n;
  d.seq_len = k + 1;
  d.inputs.resize(static_cast<size_t>(n) * d.seq_len);
  d.targets.resize(n);
  const int group = (vocab - 1) / labels;
  std::vector<int64_t> pool(group);
  for (int i = 0; i < n; ++i) {
    const int g = static_cast<int>(rng.below(labels));
    std::iota(pool.begin(), pool.end(), 1 + static_cast<int64_t>(g) * group);
    for (int j = 0; j < k; ++j) std::swap(pool[j], pool[j + rng.below(group - j)]);
    int64_t* row = d.inputs.data() + static_cast<size_t>(i) * d.seq_len;
    for (int j = 0; j < k; ++j) row[j] = pool[j];
    row[k] = kCls;
    d.targets[i] = g;
  }
  return d;
}

namespace {
TaskData make_set(const TrainConfig& c, int n, uint64_t stream) {
  Rng rng(static_cast<uint64_t>(c.seed), stream);
  return c.task == TaskKind::induction ? make_induction(n, c.vocab, c.content_length, c.shift_query, rng)
                                       : make_classification(n, c.vocab, c.labels, c.content_length, rng);
}
}  // namespace

TaskData make_train_set(const TrainConfig& c) { return make_set(c, c.train_size, kTrainStream); }
TaskData make_eval_set(const TrainConfig& c) { return make_set(c, c.eval_size, kEvalStream); }

}  // namespace polarlab::transformer
