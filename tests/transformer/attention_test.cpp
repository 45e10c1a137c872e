// The 12 attention functions on hand-made inputs, and the model's shapes and causality.
#include <gtest/gtest.h>

#include <cmath>

#include "core/transformer/model.hpp"

namespace tf = polarlab::transformer;
using tf::AttentionKind;

namespace {

torch::Tensor causal(int64_t T) { return torch::ones({T, T}, torch::kBool).tril(); }

// q = [1, 2], k = [1, 0] with d_h = 1: S = [[1, 0], [2, 0]], key 1 masked in row 0.
torch::Tensor hand_made(AttentionKind kind) {
  const auto q = torch::tensor({1.0f, 2.0f}).view({1, 1, 2, 1});
  const auto k = torch::tensor({1.0f, 0.0f}).view({1, 1, 2, 1});
  return tf::attention_weights(kind, q, k, causal(2)).view({2, 2});
}

void expect_matrix(const torch::Tensor& a, std::initializer_list<double> expected, const char* what) {
  ASSERT_EQ(a.numel(), static_cast<int64_t>(expected.size())) << what;
  const auto c = a.contiguous();
  int i = 0;
  for (double e : expected) {
    EXPECT_NEAR(c.data_ptr<float>()[i], e, 1e-6) << what << " entry " << i;
    ++i;
  }
}

bool normalized(AttentionKind k) {
  return k == AttentionKind::softmax || k == AttentionKind::uniform || k == AttentionKind::sigmoid_norm ||
         k == AttentionKind::linear || k == AttentionKind::coupled_linear_norm;
}

tf::TrainConfig small(AttentionKind kind, tf::Positional pos, int heads) {
  tf::TrainConfig c;
  c.attention = kind;
  c.positional = pos;
  c.heads = heads;
  c.d_model = 32;
  c.d_ff = 64;
  return tf::resolve_defaults(c);
}

}  // namespace

TEST(Attention, HandMadeValues) {
  const double e2 = std::exp(2.0), s1 = 1 / (1 + std::exp(-1.0)), s2 = 1 / (1 + std::exp(-2.0));
  expect_matrix(hand_made(AttentionKind::softmax), {1, 0, e2 / (e2 + 1), 1 / (e2 + 1)}, "softmax");
  expect_matrix(hand_made(AttentionKind::uniform), {1, 0, 0.5, 0.5}, "uniform");
  expect_matrix(hand_made(AttentionKind::sigmoid_unnorm), {s1, 0, s2, 0.5}, "sigmoid_unnorm");
  expect_matrix(hand_made(AttentionKind::sigmoid_norm), {1, 0, s2 / (s2 + 0.5), 0.5 / (s2 + 0.5)}, "sigmoid_norm");
  // φ(x) = ELU(x) + 1: φ(q) = [2, 3], φ(k) = [2, 1]; no 1/√d_h.
  expect_matrix(hand_made(AttentionKind::linear_unnorm), {4, 0, 6, 3}, "linear_unnorm");
  expect_matrix(hand_made(AttentionKind::linear), {1, 0, 2.0 / 3, 1.0 / 3}, "linear");
  // ELU(S) + 1 = [[2, ·], [3, 1]].
  expect_matrix(hand_made(AttentionKind::coupled_linear_unnorm), {2, 0, 3, 1}, "coupled_linear_unnorm");
  expect_matrix(hand_made(AttentionKind::coupled_linear_norm), {1, 0, 0.75, 0.25}, "coupled_linear_norm");
  expect_matrix(hand_made(AttentionKind::raw_dotproduct_unnorm), {1, 0, 2, 0}, "raw_dotproduct_unnorm");
  expect_matrix(hand_made(AttentionKind::raw_dotproduct_norm), {1, 0, 1, 0}, "raw_dotproduct_norm");  // ÷ max(|2|, 1)
}

TEST(Attention, RawNormKeepsSmallRowSums) {
  // S = [−0.5, 0.25]: |row sum| = 0.25 < 1, so the row is left as is (no blow-up near zero).
  const auto q = torch::tensor({1.0f}).view({1, 1, 1, 1});
  const auto k = torch::tensor({-0.5f, 0.25f}).view({1, 1, 2, 1});
  const auto a = tf::attention_weights(AttentionKind::raw_dotproduct_norm, q.expand({1, 1, 2, 1}), k, torch::Tensor());
  expect_matrix(a.view({2, 2}), {-0.5, 0.25, -0.5, 0.25}, "raw_dotproduct_norm small sum");
}

TEST(Attention, EveryKindMasksAndNormalizes) {
  torch::manual_seed(3);
  const int64_t B = 2, H = 3, T = 6, dh = 8;
  const auto q = torch::randn({B, H, T, dh}), k = torch::randn({B, H, T, dh});
  tf::QkMlp mlp(dh);
  for (const auto& name : tf::attention_names()) {
    const auto kind = tf::attention_from_name(name);
    const auto a = tf::attention_weights(kind, q, k, causal(T), &mlp);
    ASSERT_EQ(a.sizes(), (torch::IntArrayRef{B, H, T, T})) << name;
    EXPECT_TRUE(torch::isfinite(a).all().item<bool>()) << name;
    const auto upper = torch::ones({T, T}, torch::kBool).triu(1);
    EXPECT_EQ(a.masked_select(upper.expand({B, H, T, T})).abs().max().item<float>(), 0.0f) << name << ": masked entry not zero";
    if (normalized(kind)) {
      EXPECT_LT((a.sum(-1) - 1).abs().max().item<float>(), 1e-5) << name << ": rows do not sum to 1";
      EXPECT_GE(a.min().item<float>(), 0.0f) << name;
    }
    if (kind == AttentionKind::raw_dotproduct_norm || kind == AttentionKind::mlp_norm)
      EXPECT_LE(a.sum(-1).abs().max().item<float>(), 1.0f + 1e-5) << name << ": |row sum| above 1";
    // Unmasked (non-causal) rows use every key.
    const auto full = tf::attention_weights(kind, q, k, torch::Tensor(), &mlp);
    if (normalized(kind)) EXPECT_LT((full.sum(-1) - 1).abs().max().item<float>(), 1e-5) << name;
  }
}

TEST(Model, ShapesForEveryOption) {
  for (auto pos : {tf::Positional::concat, tf::Positional::add, tf::Positional::none})
    for (int heads : {1, 2, 4, 8}) {
      auto c = small(AttentionKind::softmax, pos, heads);
      c.use_mlp = heads != 2;
      c.use_layernorm = heads != 4;
      tf::Transformer m(c);
      const auto x = torch::randint(0, c.input_vocab(), {3, c.seq_len()}, torch::kInt64);
      std::vector<torch::Tensor> attn;
      const auto y = m->forward(x, false, &attn);
      EXPECT_EQ(y.sizes(), (torch::IntArrayRef{3, c.seq_len(), c.output_size()}));
      EXPECT_EQ(m->forward(x, true).sizes(), (torch::IntArrayRef{3, c.output_size()}));
      ASSERT_EQ(attn.size(), 2u);
      EXPECT_EQ(attn[1].sizes(), (torch::IntArrayRef{3, heads, c.seq_len(), c.seq_len()}));
    }
}

TEST(Model, CausalMaskHidesTheFuture) {
  for (const auto& name : tf::attention_names()) {
    torch::manual_seed(1);
    tf::Transformer m(small(tf::attention_from_name(name), tf::Positional::concat, 4));
    auto x = torch::randint(1, 50, {2, 12}, torch::kInt64);
    const auto y1 = m->forward(x);
    x.index_put_({torch::indexing::Slice(), 11}, 7);
    const auto y2 = m->forward(x);
    const auto earlier = torch::indexing::Slice(0, 11);
    EXPECT_TRUE(torch::equal(y1.index({torch::indexing::Slice(), earlier}), y2.index({torch::indexing::Slice(), earlier})))
        << name;
  }
}
