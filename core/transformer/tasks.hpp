// Seeded generators of the two tasks of spec §7 (induction, Fig 8; classification, Fig 9). Torch-free.
#pragma once
#include <cstdint>
#include <vector>

#include "core/transformer/config.hpp"

namespace polarlab::transformer {

// A small portable generator: the streams are the same on every platform and standard library
// (std::uniform_int_distribution is not), so a seed names one data set everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed, uint64_t stream = 0);
  uint64_t next();                       // splitmix64
  uint64_t below(uint64_t n);            // uniform in [0, n), unbiased
  template <class It>
  void shuffle(It first, It last) {      // Fisher-Yates
    for (auto n = last - first; n > 1; --n) std::swap(first[n - 1], first[static_cast<long>(below(n))]);
  }

 private:
  uint64_t state_;
};

inline constexpr int64_t kBos = 0;  // induction
inline constexpr int64_t kCls = 0;  // classification

struct TaskData {
  int n = 0;
  int seq_len = 0;                // input length T (12 induction, 11 classification)
  std::vector<int64_t> inputs;    // n × T
  std::vector<int64_t> targets;   // induction: n × T next tokens; classification: n labels
  std::vector<int> query_index;   // induction: r ∈ 1..content_length per sample
  const int64_t* row(int i) const { return inputs.data() + static_cast<size_t>(i) * seq_len; }
};

// [BOS, m₁…m_k, q, c]: k distinct tokens from 1..V−1, r uniform in 1..k, q = m_r (+V with shift),
// c = the element after position r in (m₁…m_k, q). Inputs are the first k+2 tokens, targets the last k+2.
TaskData make_induction(int n, int vocab, int k, bool shift_query, Rng& rng);
// [k distinct tokens of label g's group (1+gG … G+gG), shuffled, CLS]: CLS is last; G = (V−1)/labels.
TaskData make_classification(int n, int vocab, int labels, int k, Rng& rng);

// Label of a content token in the classification task (−1 for CLS).
inline int label_of_token(int64_t token, int vocab, int labels) {
  return token <= 0 ? -1 : static_cast<int>((token - 1) / ((vocab - 1) / labels));
}

// The config's train and eval sets: independent streams of the seed, fresh per seed.
TaskData make_train_set(const TrainConfig& c);
TaskData make_eval_set(const TrainConfig& c);

// Stream ids for everything drawn from a run's seed.
enum Stream : uint64_t { kTrainStream = 1, kEvalStream = 2, kShuffleStream = 3, kFlipStream = 4 };

}  // namespace polarlab::transformer
