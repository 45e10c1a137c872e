#include <cmath>

#include "core/loss/loss.hpp"
#include "core/map/map.hpp"

namespace polarlab {

namespace {
class CrossEntropyLoss final : public Loss {
 public:
  CrossEntropyLoss(Vec p_star, double eps) : p_(std::move(p_star)), eps_(eps) {
    Vec logp = p_.array().max(1e-300).log();
    set_beta_star(logp.array() - logp.mean());
    q_.resize(p_.size());
    w_.resize(p_.size());
  }
  LossKind kind() const override { return LossKind::cross_entropy; }
  Index input_dim() const override { return p_.size(); }

  double value(const Vec& beta) const override {
    softmax(beta, q_);
    return -(p_.array() * (q_.array() + eps_).log()).sum();
  }
  // Exact gradient of the stated loss, eps included: g = −Jᵀ(p ⊘ (q + eps)); with eps = 0, g = q − p.
  double value_grad(const Vec& beta, Vec& grad) const override {
    softmax(beta, q_);
    w_ = p_.array() / (q_.array() + eps_);
    softmax_vjp(q_, w_, grad);
    grad = -grad;
    return -(p_.array() * (q_.array() + eps_).log()).sum();
  }

 private:
  Vec p_;
  double eps_;
  mutable Vec q_, w_;
};
}  // namespace

std::unique_ptr<Loss> make_cross_entropy_loss(Vec p_star, double eps) {
  return std::make_unique<CrossEntropyLoss>(std::move(p_star), eps);
}

}  // namespace polarlab
