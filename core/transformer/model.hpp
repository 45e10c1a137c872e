// The transformer of spec §7 and the 12 attention functions of Table 1 (libtorch; private to the lab).
#pragma once
#include <vector>

#include "core/transformer/config.hpp"
#include "core/transformer/torch_api.hpp"

namespace polarlab::transformer {

// The 2-layer GELU MLP (d_h → 4d_h → d_h) that mlp_norm / mlp_unnorm pass q and k through.
struct QkMlpImpl : torch::nn::Module {
  explicit QkMlpImpl(int d_head);
  torch::Tensor forward(const torch::Tensor& x);
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(QkMlp);

// Attention weights A [..., T, T] from q, k [..., T, d_h]. allowed: bool [T, T] (query row, key column;
// true = may attend) or undefined for no mask. Masked entries are exactly 0 (−∞ before softmax).
// mlp is needed for the mlp_* kinds only.
torch::Tensor attention_weights(AttentionKind kind, const torch::Tensor& q, const torch::Tensor& k,
                                const torch::Tensor& allowed, QkMlp* mlp = nullptr);

// Pre-norm block: x + O(attn(LN(x))), then x + MLP(LN(x)).
struct BlockImpl : torch::nn::Module {
  BlockImpl(const TrainConfig& c);
  // attn_out (optional) receives the weights [B, H, T, T].
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& allowed, torch::Tensor* attn_out);

  AttentionKind kind;
  int heads, d_head;
  bool use_mlp, use_ln;
  torch::nn::LayerNorm ln1{nullptr}, ln2{nullptr};
  torch::nn::Linear qkv{nullptr};  // Q, K, V as one 128 → 384 map: same math, one GEMM instead of three
  torch::nn::Linear out{nullptr};
  torch::nn::Linear fc1{nullptr}, fc2{nullptr};
  QkMlp qk_mlp{nullptr};
};
TORCH_MODULE(Block);

struct TransformerImpl : torch::nn::Module {
  explicit TransformerImpl(const TrainConfig& c);
  // tokens [B, T] int64 → logits [B, T, out], or [B, out] at the last position when last_only.
  // attn (optional) receives one [B, H, T, T] tensor per layer.
  torch::Tensor forward(const torch::Tensor& tokens, bool last_only = false,
                        std::vector<torch::Tensor>* attn = nullptr);

  Positional positional;
  bool causal, use_ln;
  torch::nn::Embedding tok{nullptr}, pos{nullptr};
  std::vector<Block> blocks;
  torch::nn::LayerNorm ln_f{nullptr};
  torch::nn::Linear head{nullptr};
  torch::Tensor allowed_cache;  // causal mask for the last T seen
};
TORCH_MODULE(Transformer);

}  // namespace polarlab::transformer
