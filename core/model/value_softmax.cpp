#include <cmath>
#include <cstring>

#include "core/model/model.hpp"

namespace polarlab {

namespace {
// The fused kernel below reproduces, sum by sum, the order in which Eigen 3.4 evaluates the generic path's
// small products and reductions with 2-wide packets (SSE2, the portable x86-64 baseline), so both paths give
// the same bits. Any other packet width (a -mavx build, say) takes the Eigen expressions instead.
constexpr bool kSse2Order =
    Eigen::internal::packet_traits<double>::Vectorizable && Eigen::internal::packet_traits<double>::size == 2;

// Two doubles as one SSE2 register (GCC/Clang vector extension: IEEE arithmetic lane by lane).
using v2d = double __attribute__((vector_size(16)));
inline v2d load2(const double* p) {
  v2d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store2(double* p, v2d v) { std::memcpy(p, &v, sizeof v); }

// Σ_k x_k y_k in Eigen's vectorized dynamic-size reduction order (Redux.h, LinearVectorizedTraversal): lanes
// k mod 2 in two packets that stride by 4, the packets added, then the two lanes, then the odd tail.
inline double eigen_order_dot(Index n, const double* x, const double* y) {
  if (n < 2) return x[0] * y[0];
  const Index end = n & ~Index{1}, end2 = n & ~Index{3};
  v2d r0 = load2(x) * load2(y);
  if (end > 2) {
    v2d r1 = load2(x + 2) * load2(y + 2);
    for (Index k = 4; k < end2; k += 4) {
      r0 += load2(x + k) * load2(y + k);
      r1 += load2(x + k + 2) * load2(y + k + 2);
    }
    r0 += r1;
    if (end > end2) r0 += load2(x + end2) * load2(y + end2);
  }
  double res = r0[0] + r0[1];
  if (end < n) res += x[end] * y[end];
  return res;
}
inline double eigen_order_sum(Index n, const double* x) {
  if (n < 2) return x[0];
  const Index end = n & ~Index{1}, end2 = n & ~Index{3};
  v2d r0 = load2(x);
  if (end > 2) {
    v2d r1 = load2(x + 2);
    for (Index k = 4; k < end2; k += 4) {
      r0 += load2(x + k);
      r1 += load2(x + k + 2);
    }
    r0 += r1;
    if (end > end2) r0 += load2(x + end2);
  }
  double res = r0[0] + r0[1];
  if (end < n) res += x[end];
  return res;
}

class ValueSoftmax final : public Model {
 public:
  ValueSoftmax(Index d, Index p, MapKind map, std::unique_ptr<Loss> loss)
      : Model(map, std::move(loss)), d_(d), p_(p), a_(p), s_(p), beta_(d), g_(d), h_(p), ga_(p) {
    // Softmax scores with the logistic loss (the paper's main setting) take one fused pass.
    fused_ = map_ == MapKind::softmax && loss_->kind() == LossKind::logistic && loss_->input_dim() == d_;
  }

  std::string name() const override { return "value_softmax"; }
  Index num_params() const override { return d_ * p_ + p_; }
  Index p() const override { return p_; }

  double loss_grad(const Vec& theta, Vec& grad, double& gamma) override {
    grad.resize(num_params());
    if (fused_) return fused<Out::grad>(theta.data(), grad.data(), 0.0, gamma);
    return generic(theta.data(), grad.data(), gamma);
  }

  void negative_grad(const double* theta, double* out, double& gamma) override {
    if (fused_) {
      fused<Out::negative_grad>(theta, out, 0.0, gamma);
      return;
    }
    generic(theta, out, gamma);
    for (Index k = 0; k < num_params(); ++k) out[k] = -out[k];
  }

  void gd_steps(Vec& theta, Vec& grad, double lr, std::int64_t n, double& gamma_integral,
                std::int64_t& done) override {
    if (!fused_) return Model::gd_steps(theta, grad, lr, n, gamma_integral, done);
    double* th = theta.data();
    for (std::int64_t k = 0; k < n; ++k) {
      double gamma = 0.0;
      fused<Out::gd_update>(th, th, lr, gamma);
      gamma_integral += lr * gamma;
      ++done;
    }
  }

  void observe(const Vec& theta, Observation& obs) override {
    obs.loss = loss_grad(theta, observe_grad_, obs.gamma);
    Eigen::Map<const Mat> V(theta.data(), d_, p_);
    a_ = theta.tail(p_);
    obs.s = s_;
    obs.a = a_;
    obs.beta = beta_;
    obs.u = V.transpose() * loss_->beta_star();
    obs.value = V;
  }

  Vec pack(const Parameters& prm) const override {
    Vec theta(num_params());
    Eigen::Map<Mat>(theta.data(), d_, p_) = prm.V;
    theta.tail(p_) = prm.a;
    return theta;
  }
  Parameters unpack(const Vec& theta) const override {
    Parameters prm;
    prm.V = Eigen::Map<const Mat>(theta.data(), d_, p_);
    prm.a = theta.tail(p_);
    return prm;
  }

 private:
  enum class Out { grad, negative_grad, gd_update };

  // Small matrices: coefficient-wise products beat the blocked GEMV kernels' set-up cost.
  bool small() const { return d_ * p_ <= 1024; }

  // Any map and loss: θ = [vec(V); a] → grad = ∇L.
  double generic(const double* theta, double* grad, double& gamma) {
    Eigen::Map<const Mat> V(theta, d_, p_);
    a_ = Eigen::Map<const Vec>(theta + d_ * p_, p_);
    map_apply(map_, a_, s_);
    if (small()) beta_.noalias() = V.lazyProduct(s_);
    else beta_.noalias() = V * s_;
    const double l = loss_->value_grad(beta_, g_);
    gamma = loss_->gamma(g_);
    Eigen::Map<Mat> gV(grad, d_, p_);
    gV.noalias() = g_ * s_.transpose();  // ∇_V L = ∇ℓ sᵀ
    if (small()) h_.noalias() = V.transpose().lazyProduct(g_);  // ∇_a L = J_σᵀ Vᵀ ∇ℓ
    else h_.noalias() = V.transpose() * g_;
    map_vjp(map_, a_, s_, h_, ga_);
    Eigen::Map<Vec>(grad + d_ * p_, p_) = ga_;
    return l;
  }

  // Softmax + logistic loss in one pass over θ, with the generic path's arithmetic (same bits):
  // s = softmax(a), β = V s, m = ⟨β*, β⟩, ∇ℓ = −γ β*, h = Vᵀ∇ℓ, ∇_a = s ⊙ (h − ⟨s, h⟩), ∇_V = ∇ℓ sᵀ.
  // Out::gd_update writes θ − η∇L into out (which may be θ) and skips the loss value (returns 0); it throws
  // before touching θ when the step is not finite, with gradient_descent_step's messages.
  template <Out kOut>
  double fused(const double* theta, double* out, double lr, double& gamma) {
    if (kSse2Order && d_ == 8 && p_ == 8) return fused_kernel<kOut, 8, 8>(theta, out, lr, gamma);
    if (kSse2Order && d_ == 16 && p_ == 16) return fused_kernel<kOut, 16, 16>(theta, out, lr, gamma);
    return fused_kernel<kOut, 0, 0>(theta, out, lr, gamma);
  }

  // D, P > 0: sizes known at compile time (the scratch lives in registers); 0: d_, p_.
  template <Out kOut, int D, int P>
  double fused_kernel(const double* theta, double* out, double lr, double& gamma) {
    const Index d = D > 0 ? D : d_, p = P > 0 ? P : p_, dp = d * p;
    alignas(16) double s_fixed[P > 0 ? P : 1], beta_fixed[D > 0 ? D : 1], g_fixed[D > 0 ? D : 1],
        h_fixed[P > 0 ? P : 1];
    double* s = P > 0 ? s_fixed : s_.data();
    double* beta = D > 0 ? beta_fixed : beta_.data();
    double* g = D > 0 ? g_fixed : g_.data();
    double* h = P > 0 ? h_fixed : h_.data();
    const double* V = theta;
    const double* a = theta + dp;
    // softmax(a) as core/map/softmax.cpp: shift by the max, Eigen's exp (16-byte aligned, as a Vec), sum, divide.
    double amax = a[0];  // the max is exact in any order: a short tree instead of a chain
    {
      Index j = 1;
      if (p >= 4) {
        v2d m2 = load2(a);
        for (j = 2; j + 1 < p; j += 2) {
          const v2d x = load2(a + j);
          m2 = x > m2 ? x : m2;
        }
        amax = m2[0] > m2[1] ? m2[0] : m2[1];
      }
      for (; j < p; ++j) amax = a[j] > amax ? a[j] : amax;
    }
    if constexpr (P > 0) {
      Eigen::Map<Eigen::Array<double, P, 1>, Eigen::Aligned16> sm(s);
      sm = (Eigen::Map<const Eigen::Array<double, P, 1>>(a) - amax).exp();
    } else {
      Eigen::Map<Eigen::ArrayXd>(s, p) = (Eigen::Map<const Eigen::ArrayXd>(a, p) - amax).exp();
    }
    const double ssum = eigen_order_sum(p, s);
    const Index p2 = p & ~Index{1};
    for (Index j = 0; j < p2; j += 2) store2(s + j, load2(s + j) / ssum);
    if (p2 < p) s[p - 1] /= ssum;
    if (kSse2Order && (D > 0 || small())) {
      // V.lazyProduct(s): rows in packets of two accumulate from 0 in column order; an odd last row is a
      // plain sum from its first term.
      const Index packed = d & ~Index{1};
      const v2d zero = {0.0, 0.0};
      for (Index i = 0; i < packed; i += 2) store2(beta + i, zero + load2(V + i) * s[0]);
      if (packed < d) beta[d - 1] = V[d - 1] * s[0];
      for (Index j = 1; j < p; ++j) {
        const double sj = s[j];
        const double* col = V + j * d;
        for (Index i = 0; i < packed; i += 2) store2(beta + i, load2(beta + i) + load2(col + i) * sj);
        if (packed < d) beta[d - 1] += col[d - 1] * sj;
      }
    } else {
      if constexpr (P == 0) {
        Eigen::Map<const Mat> Vm(V, d, p);
        if (small()) beta_.noalias() = Vm.lazyProduct(s_);
        else beta_.noalias() = Vm * s_;
      }
    }
    // Logistic loss: one exp serves ℓ and γ (core/loss/logistic_loss.cpp); γ as Loss::gamma.
    const double* bstar = loss_->beta_star().data();
    const double m = eigen_order_dot(d, bstar, beta);
    const double e = std::exp(-std::abs(m));
    const double gm = m > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
    for (Index i = 0; i < d; ++i) g[i] = -gm * bstar[i];
    gamma = -eigen_order_dot(d, g, bstar) * loss_->inv_norm2();
    if (kSse2Order && (D > 0 || small())) {
      for (Index j = 0; j < p; ++j) h[j] = eigen_order_dot(d, V + j * d, g);  // Vᵀ.lazyProduct(g)
    } else {
      if constexpr (P == 0) {
        Eigen::Map<const Mat> Vm(V, d, p);
        if (small()) h_.noalias() = Vm.transpose().lazyProduct(g_);
        else h_.noalias() = Vm.transpose() * g_;
      }
    }
    // softmax_vjp: ∇_a = s ⊙ (h − ⟨s, h⟩), into h.
    const double mean = eigen_order_dot(p, s, h);
    for (Index j = 0; j < p2; j += 2) store2(h + j, load2(s + j) * (load2(h + j) - mean));
    if (p2 < p) h[p - 1] = s[p - 1] * (h[p - 1] - mean);
    const double* ga = h;

    if constexpr (kOut == Out::gd_update) {
      // ℓ is finite iff m is; then |∇ℓ_i| ≤ |β*_i| and 0 ≤ s_j ≤ 1, so ∇_V is finite and only ∇_a can overflow.
      if (!std::isfinite(m)) throw NumericalError("loss is not finite (overflow or NaN)");
      v2d check = {0.0, 0.0};  // NaN iff some entry is inf or NaN
      for (Index j = 0; j < p2; j += 2) check += load2(ga + j) * 0.0;
      if (!std::isfinite(check[0] + check[1] + (p2 < p ? ga[p - 1] * 0.0 : 0.0)))
        throw NumericalError("gradient is not finite (overflow or NaN)");
      for (Index j = 0; j < p2; j += 2) store2(out + dp + j, load2(a + j) - lr * load2(ga + j));
      if (p2 < p) out[dp + p - 1] = a[p - 1] - lr * ga[p - 1];
      for (Index j = 0; j < p; ++j) {
        const double sj = s[j];
        const double* col = V + j * d;
        double* oc = out + j * d;
        for (Index i = 0; i < d; ++i) oc[i] = col[i] - lr * (g[i] * sj);
      }
      return 0.0;
    } else {
      constexpr double sign = kOut == Out::grad ? 1.0 : -1.0;
      for (Index j = 0; j < p; ++j) {
        const double sj = s[j];
        double* oc = out + j * d;
        for (Index i = 0; i < d; ++i) oc[i] = sign * (g[i] * sj);
      }
      for (Index j = 0; j < p; ++j) out[dp + j] = sign * ga[j];
      if constexpr (P > 0) {  // observe() reads the forward pass from the members
        s_ = Eigen::Map<const Vec>(s, p);
        beta_ = Eigen::Map<const Vec>(beta, d);
      }
      return m > 0.0 ? std::log1p(e) : -m + std::log1p(e);
    }
  }

  Vec observe_grad_;  // observe() needs the forward pass only; reused so records allocate nothing here
  Index d_, p_;
  bool fused_ = false;
  Vec a_, s_, beta_, g_, h_, ga_;  // scratch: a step allocates nothing
};
}  // namespace

std::unique_ptr<Model> make_value_softmax(Index d, Index p, MapKind map, std::unique_ptr<Loss> loss) {
  return std::make_unique<ValueSoftmax>(d, p, map, std::move(loss));
}

}  // namespace polarlab
