// Task generators' invariants and the head statistics on hand-computed examples (torch-free).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/transformer/config.hpp"
#include "core/transformer/metrics.hpp"
#include "core/transformer/tasks.hpp"

namespace tf = polarlab::transformer;

TEST(Tasks, InductionInvariants) {
  for (bool shift : {false, true}) {
    tf::Rng rng(7, 1);
    const auto d = tf::make_induction(2000, 50, 10, shift, rng);
    ASSERT_EQ(d.seq_len, 12);
    std::vector<int> r_count(11, 0);
    for (int i = 0; i < d.n; ++i) {
      const int64_t* x = d.row(i);
      const int64_t* y = d.targets.data() + static_cast<size_t>(i) * 12;
      EXPECT_EQ(x[0], tf::kBos);
      std::set<int64_t> m(x + 1, x + 11);
      EXPECT_EQ(m.size(), 10u) << "tokens must be distinct";
      EXPECT_GE(*m.begin(), 1);
      EXPECT_LE(*m.rbegin(), 49);
      const int r = d.query_index[i];
      ASSERT_GE(r, 1);
      ASSERT_LE(r, 10);
      ++r_count[r];
      EXPECT_EQ(x[11], x[r] + (shift ? 50 : 0)) << "query = m_r";
      for (int t = 0; t < 11; ++t) EXPECT_EQ(y[t], x[t + 1]) << "next-token targets";
      // c = the element after m_r in (m₁…m₁₀, q): q itself when r = 10.
      EXPECT_EQ(y[11], r < 10 ? x[r + 1] : x[11]);
    }
    for (int r = 1; r <= 10; ++r) EXPECT_GT(r_count[r], 120) << "r uniform in 1..10";
  }
}

TEST(Tasks, ClassificationInvariants) {
  for (int vocab : {41, 81, 161}) {
    tf::Rng rng(3, 2);
    const auto d = tf::make_classification(1000, vocab, 4, 10, rng);
    ASSERT_EQ(d.seq_len, 11);
    const int G = (vocab - 1) / 4;
    std::vector<int> per_label(4, 0);
    for (int i = 0; i < d.n; ++i) {
      const int64_t* x = d.row(i);
      const int g = static_cast<int>(d.targets[i]);
      ASSERT_GE(g, 0);
      ASSERT_LT(g, 4);
      ++per_label[g];
      EXPECT_EQ(x[10], tf::kCls) << "CLS is last";
      std::set<int64_t> s(x, x + 10);
      EXPECT_EQ(s.size(), 10u);
      for (int j = 0; j < 10; ++j) {
        EXPECT_GE(x[j], 1 + g * G);
        EXPECT_LE(x[j], G + g * G);
        EXPECT_EQ(tf::label_of_token(x[j], vocab, 4), g);
      }
    }
    for (int n : per_label) EXPECT_GT(n, 180);
  }
}

TEST(Tasks, SeededAndFreshPerSeed) {
  tf::TrainConfig c = tf::resolve_defaults(tf::TrainConfig{});
  c.train_size = 100;
  c.eval_size = 100;
  const auto a = tf::make_train_set(c), b = tf::make_train_set(c), e = tf::make_eval_set(c);
  EXPECT_EQ(a.inputs, b.inputs);
  EXPECT_NE(a.inputs, e.inputs);
  c.seed = 1;
  EXPECT_NE(tf::make_train_set(c).inputs, a.inputs);
}

TEST(Metrics, SinkScoreHandComputed) {
  // T = 5: query rows 1..2 count. Sequence 0: BOS weights 0.5 and 0.2 over totals 1 and 1 → 0.35.
  // Sequence 1: rows [0.9, 0.1] and [1, 0, 0] → 1.9 / 2 = 0.95. Mean 0.65.
  std::vector<float> a(2 * 25, 0.0f);
  auto at = [&](int s, int q, int k) -> float& { return a[s * 25 + q * 5 + k]; };
  at(0, 0, 0) = 1;                     // BOS row: skipped
  at(0, 1, 0) = 0.5f, at(0, 1, 1) = 0.5f;
  at(0, 2, 0) = 0.2f, at(0, 2, 1) = 0.3f, at(0, 2, 2) = 0.5f;
  at(0, 3, 3) = 1, at(0, 4, 4) = 1;    // last two rows: skipped
  at(1, 1, 0) = 0.9f, at(1, 1, 1) = 0.1f;
  at(1, 2, 0) = 1.0f;
  at(1, 3, 0) = 1, at(1, 4, 0) = 1;
  EXPECT_NEAR(tf::sink_score(a.data(), 1, 5), 0.35, 1e-6);
  EXPECT_NEAR(tf::sink_score(a.data() + 25, 1, 5), 0.95, 1e-6);
  EXPECT_NEAR(tf::sink_score(a.data(), 2, 5), 0.65, 1e-6);
  EXPECT_FALSE(tf::is_sink(0.65));
  EXPECT_TRUE(tf::is_sink(0.95));
  EXPECT_FALSE(tf::is_sink(0.9));
}

// Train's sink score is core/observe/sink_score.hpp's on the paper's rows 1..T−3 and key 0 (issue 25: one
// definition, one threshold), and has no score where there are no such rows.
TEST(Metrics, SinkScoreIsTheOneDefinitionOnThePaperRows) {
  std::vector<float> a(3 * 12 * 12);
  tf::Rng rng(7);
  for (float& x : a) x = static_cast<float>(rng.below(1000)) / 1000.0f;
  EXPECT_EQ(tf::sink_score(a.data(), 3, 12), polarlab::sink_score(a.data(), 3, 12, 12, {1, 9}, 0));
  EXPECT_NE(tf::sink_score(a.data(), 3, 12), polarlab::sink_score(a.data(), 3, 12, 12, {0, 11}, 0));
  EXPECT_TRUE(std::isnan(tf::sink_score(a.data(), 1, 3)));
  EXPECT_EQ(&tf::kSinkThreshold, &polarlab::kSinkThreshold);
}

TEST(Metrics, ConcentrationAndFlipProbe) {
  // T = 3, CLS row [0.2, 0.6, 0.2]: concentration 0.6, top content token 1.
  std::vector<float> a(9, 0.0f);
  a[6] = 0.2f, a[7] = 0.6f, a[8] = 0.2f;
  EXPECT_NEAR(tf::cls_concentration(a.data(), 1, 3), 0.6, 1e-6);
  EXPECT_EQ(tf::top_content_token(a.data() + 6, 3), 1);
  tf::Rng rng(1);
  const std::vector<int64_t> host = {11, 12, 13, 14, 0};
  const auto mixed = tf::mixed_sequence(3, host.data(), 2, 5, rng);
  ASSERT_EQ(mixed.size(), 5u);
  EXPECT_EQ(mixed.back(), tf::kCls);
  std::multiset<int64_t> got(mixed.begin(), mixed.end() - 1);
  EXPECT_EQ(got, (std::multiset<int64_t>{3, 11, 12, 14}));
}

// Found by the GUI monkey: a batch of 0 typed into the Transformer tab divided by zero (SIGFPE) in the line that
// shows the steps per epoch. Sizes of 0 or less have no steps, and validate() names the field.
TEST(TrainConfigSizes, ZeroOrNegativeBatchHasNoStepsAndIsRefused) {
  namespace tf = polarlab::transformer;
  for (int batch : {0, -3}) {
    tf::TrainConfig c = tf::resolve_defaults(tf::TrainConfig{});
    c.batch_size = batch;
    EXPECT_EQ(c.steps_per_epoch(), 0);
    EXPECT_EQ(c.total_steps(), 0);
    try {
      tf::validate(c);
      ADD_FAILURE() << "batch " << batch << " was accepted";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find("batch_size"), std::string::npos) << e.what();
    }
  }
  tf::TrainConfig c = tf::resolve_defaults(tf::TrainConfig{});
  c.train_size = -1;
  EXPECT_EQ(c.steps_per_epoch(), 0);
}
