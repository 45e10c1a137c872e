#include "core/transformer/model.hpp"

#include <cmath>
#include <limits>

namespace polarlab::transformer {
namespace F = torch::nn::functional;
using torch::Tensor;

QkMlpImpl::QkMlpImpl(int d_head) {
  fc1 = register_module("fc1", torch::nn::Linear(d_head, 4 * d_head));
  fc2 = register_module("fc2", torch::nn::Linear(4 * d_head, d_head));
}
Tensor QkMlpImpl::forward(const Tensor& x) { return fc2(torch::gelu(fc1(x))); }

namespace {
Tensor zero_masked(const Tensor& w, const Tensor& allowed) {
  return allowed.defined() ? w.masked_fill(allowed.logical_not(), 0.0) : w;
}
// "norm": each row divided by its sum + 1e-9.
Tensor row_normalized(const Tensor& w) { return w / (w.sum(-1, /*keepdim=*/true) + 1e-9); }
// raw dot product "norm": each row divided by max(|row sum|, 1), since the row sum may be ≈ 0 or negative.
Tensor row_normalized_raw(const Tensor& w) { return w / w.sum(-1, true).abs().clamp_min(1.0); }
}  // namespace

Tensor attention_weights(AttentionKind kind, const Tensor& q, const Tensor& k, const Tensor& allowed, QkMlp* mlp) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
  auto scores = [&](const Tensor& a, const Tensor& b) { return torch::matmul(a, b.transpose(-2, -1)) * scale; };
  switch (kind) {
    case AttentionKind::softmax: {
      if (allowed.defined() && q.dim() == 4) {
        // One batched GEMM that also scales and adds the −∞ mask: two passes over [B, H, T, T] fewer,
        // forward and backward.
        const int64_t B = q.size(0), H = q.size(1), T = q.size(2), dh = q.size(3);
        const Tensor bias = torch::zeros({T, T}, q.options())
                                .masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
        const Tensor s = torch::baddbmm(bias, q.reshape({B * H, T, dh}), k.reshape({B * H, T, dh}).transpose(1, 2),
                                        /*beta=*/1.0, /*alpha=*/scale);
        return torch::softmax(s, -1).view({B, H, T, T});
      }
      Tensor s = scores(q, k);
      if (allowed.defined()) s = s.masked_fill(allowed.logical_not(), -std::numeric_limits<float>::infinity());
      return torch::softmax(s, -1);
    }
    case AttentionKind::uniform: {
      const int64_t T = q.size(-2);
      auto sizes = q.sizes().vec();
      sizes.back() = T;
      Tensor w = allowed.defined() ? allowed.to(q.scalar_type())
                                   : torch::ones({T, T}, q.options());
      return (w / w.sum(-1, true)).expand(sizes);
    }
    case AttentionKind::sigmoid_norm: return row_normalized(zero_masked(torch::sigmoid(scores(q, k)), allowed));
    case AttentionKind::sigmoid_unnorm: return zero_masked(torch::sigmoid(scores(q, k)), allowed);
    case AttentionKind::linear:
    case AttentionKind::linear_unnorm: {
      // (ELU(q)+1)(ELU(k)+1)ᵀ with no 1/√d_h.
      Tensor w = torch::matmul(torch::elu(q) + 1.0, (torch::elu(k) + 1.0).transpose(-2, -1));
      w = zero_masked(w, allowed);
      return kind == AttentionKind::linear ? row_normalized(w) : w;
    }
    case AttentionKind::coupled_linear_norm: return row_normalized(zero_masked(torch::elu(scores(q, k)) + 1.0, allowed));
    case AttentionKind::coupled_linear_unnorm: return zero_masked(torch::elu(scores(q, k)) + 1.0, allowed);
    case AttentionKind::raw_dotproduct_norm: return row_normalized_raw(zero_masked(scores(q, k), allowed));
    case AttentionKind::raw_dotproduct_unnorm: return zero_masked(scores(q, k), allowed);
    case AttentionKind::mlp_norm:
    case AttentionKind::mlp_unnorm: {
      TORCH_CHECK(mlp != nullptr && !mlp->is_empty(), "mlp attention needs its q/k MLP");
      Tensor w = zero_masked(scores((*mlp)(q), (*mlp)(k)), allowed);
      return kind == AttentionKind::mlp_norm ? row_normalized_raw(w) : w;
    }
  }
  TORCH_CHECK(false, "unknown attention kind");
}

BlockImpl::BlockImpl(const TrainConfig& c)
    : kind(c.attention), heads(c.heads), d_head(c.d_model / c.heads), use_mlp(c.use_mlp), use_ln(c.use_layernorm) {
  const int d = c.d_model;
  if (use_ln) {
    ln1 = register_module("ln1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
    if (use_mlp) ln2 = register_module("ln2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  }
  qkv = register_module("qkv", torch::nn::Linear(d, 3 * d));
  out = register_module("out", torch::nn::Linear(d, d));
  if (use_mlp) {
    fc1 = register_module("fc1", torch::nn::Linear(d, c.d_ff));
    fc2 = register_module("fc2", torch::nn::Linear(c.d_ff, d));
  }
  if (kind == AttentionKind::mlp_norm || kind == AttentionKind::mlp_unnorm)
    qk_mlp = register_module("qk_mlp", QkMlp(d_head));
}

Tensor BlockImpl::forward(const Tensor& x, const Tensor& allowed, Tensor* attn_out) {
  const int64_t B = x.size(0), T = x.size(1), D = x.size(2);
  const Tensor h = use_ln ? ln1(x) : x;
  // [B, T, 3, H, d_h] → [3, B, H, T, d_h]
  const Tensor parts = qkv(h).view({B, T, 3, heads, d_head}).permute({2, 0, 3, 1, 4});
  const Tensor q = parts[0], k = parts[1], v = parts[2];
  const Tensor a = attention_weights(kind, q, k, allowed, qk_mlp.is_empty() ? nullptr : &qk_mlp);
  if (attn_out) *attn_out = a;
  Tensor y = torch::matmul(a, v).transpose(1, 2).reshape({B, T, D});
  Tensor z = x + out(y);
  if (use_mlp) z = z + fc2(torch::gelu(fc1(use_ln ? ln2(z) : z)));
  return z;
}

TransformerImpl::TransformerImpl(const TrainConfig& c)
    : positional(c.positional), causal(c.is_causal()), use_ln(c.use_layernorm) {
  const int d = c.d_model;
  const int d_tok = positional == Positional::concat ? d / 2 : d;
  tok = register_module("tok", torch::nn::Embedding(c.input_vocab(), d_tok));
  if (positional != Positional::none)
    pos = register_module("pos", torch::nn::Embedding(512, positional == Positional::concat ? d - d_tok : d));
  for (int l = 0; l < c.layers; ++l) blocks.push_back(register_module("block" + std::to_string(l), Block(c)));
  if (use_ln) ln_f = register_module("ln_f", torch::nn::LayerNorm(torch::nn::LayerNormOptions({d})));
  head = register_module("head", torch::nn::Linear(d, c.output_size()));
}

Tensor TransformerImpl::forward(const Tensor& tokens, bool last_only, std::vector<Tensor>* attn) {
  const int64_t B = tokens.size(0), T = tokens.size(1);
  Tensor x = tok(tokens);
  if (positional != Positional::none) {
    const Tensor p = pos(torch::arange(T, tokens.options())).unsqueeze(0);
    x = positional == Positional::add ? x + p : torch::cat({x, p.expand({B, T, p.size(2)})}, -1);
  }
  Tensor allowed;
  if (causal) {
    if (!allowed_cache.defined() || allowed_cache.size(0) != T || allowed_cache.device() != tokens.device())
      allowed_cache = torch::ones({T, T}, tokens.options().dtype(torch::kBool)).tril();
    allowed = allowed_cache;
  }
  if (attn) attn->assign(blocks.size(), Tensor());
  for (size_t l = 0; l < blocks.size(); ++l) x = blocks[l]->forward(x, allowed, attn ? &(*attn)[l] : nullptr);
  if (last_only) x = x.select(1, T - 1);
  if (use_ln) x = ln_f(x);
  return head(x);
}

}  // namespace polarlab::transformer
