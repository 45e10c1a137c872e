// What a training measures: evaluations, head scores, attention maps, flip rates, metrics rows. Plain data,
// shared by the Trainer (trainer.hpp) and its libtorch engine (trainer_engine.hpp).
#pragma once
#include <cstdint>
#include <vector>

namespace polarlab::transformer {

using HeadScores = std::vector<std::vector<double>>;  // [layer][head]

struct AttentionMap {
  int sample = 0;                 // index in the eval set
  std::vector<int64_t> tokens;    // its input tokens (T)
  int layers = 0, heads = 0, T = 0;
  std::vector<float> weights;     // [layer][head][query][key], row-major
  float at(int l, int h, int q, int k) const { return weights[((static_cast<size_t>(l) * heads + h) * T + q) * T + k]; }
};

// The eval set's attention probabilities, [layer][head][sample][query][key] row-major: the order of the paper's
// Appendix E pseudocode and of `polarlab-cli attention stats` (attention.npy).
struct EvalAttention {
  int layers = 0, heads = 0, samples = 0, T = 0;
  std::vector<float> weights;
};

struct Evaluation {
  long long step = 0;
  double eval_loss = 0, eval_accuracy = 0;
  HeadScores sink_scores;     // induction: spec §7 sink score
  HeadScores concentration;   // classification: max / sum of the CLS row
  std::vector<AttentionMap> maps;  // config.attention_samples
};

struct FlipRate {
  HeadScores rate;     // [layer][head], mean of the two directions' success rates
  double max = 0;      // what the paper reports (max over layers and heads)
};

struct MetricsRow {
  long long step = 0;
  int epoch = 0;
  double train_loss = 0;  // mean over the steps since the previous row
  double eval_loss = 0, eval_accuracy = 0;
  double seconds = 0;     // training wall time so far (resumes add up)
  HeadScores head_scores; // sink (induction) or concentration (classification)
};

// CLS rows of one fixed eval sample per label, recorded after a step (Fig 5).
struct ClsAttentionRecord {
  long long step = 0;
  int label = 0, sample = 0;
  std::vector<float> rows;  // [layer][head][key]
};

}  // namespace polarlab::transformer
