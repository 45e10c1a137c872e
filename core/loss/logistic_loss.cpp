#include <cmath>

#include "core/loss/loss.hpp"

namespace polarlab {

namespace {
class LogisticLoss final : public Loss {
 public:
  explicit LogisticLoss(Vec beta_star) { set_beta_star(std::move(beta_star)); }
  LossKind kind() const override { return LossKind::logistic; }
  Index input_dim() const override { return beta_star().size(); }

  // log(1 + e^{−m}) and γ = 1/(1 + e^{m}); the branch keeps exp's argument ≤ 0,
  // so margins of 1e3 give ℓ ≈ e^{−m} instead of 0 − 0 or inf.
  static double loss_of_margin(double m) {
    return m > 0.0 ? std::log1p(std::exp(-m)) : -m + std::log1p(std::exp(m));
  }
  static double gamma_of_margin(double m) {
    if (m > 0.0) {
      const double e = std::exp(-m);
      return e / (1.0 + e);
    }
    return 1.0 / (1.0 + std::exp(m));
  }

  double value(const Vec& beta) const override { return loss_of_margin(beta_star().dot(beta)); }
  double value_grad(const Vec& beta, Vec& grad) const override {
    // One exp serves both ℓ and γ (this is the hot path of every GD step).
    const double m = beta_star().dot(beta);
    const double e = std::exp(-std::abs(m));
    const double gamma = m > 0.0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
    grad = -gamma * beta_star();
    return m > 0.0 ? std::log1p(e) : -m + std::log1p(e);
  }
};
}  // namespace

std::unique_ptr<Loss> make_logistic_loss(Vec beta_star) {
  return std::make_unique<LogisticLoss>(std::move(beta_star));
}

}  // namespace polarlab
