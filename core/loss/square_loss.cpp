#include "core/loss/loss.hpp"

namespace polarlab {

namespace {
class SquareLoss final : public Loss {
 public:
  SquareLoss(Vec y, Mat X, double scale) : y_(std::move(y)), X_(std::move(X)), c_(scale) {
    if (X_.size() == 0) {
      set_beta_star(y_);
    } else {
      // Minimum-norm least-squares solution: the direction the regression pulls β towards.
      set_beta_star(X_.completeOrthogonalDecomposition().solve(y_));
    }
    r_.resize(y_.size());
  }
  LossKind kind() const override { return LossKind::square; }
  Index input_dim() const override { return X_.size() == 0 ? y_.size() : X_.cols(); }

  double value(const Vec& beta) const override {
    if (X_.size() == 0) return c_ * (y_ - beta).squaredNorm();
    return c_ * (y_ - X_ * beta).squaredNorm();
  }
  double value_grad(const Vec& beta, Vec& grad) const override {
    if (X_.size() == 0) {
      r_ = y_ - beta;
      grad = -2.0 * c_ * r_;
    } else {
      r_.noalias() = y_ - X_ * beta;
      grad.noalias() = -2.0 * c_ * (X_.transpose() * r_);
    }
    return c_ * r_.squaredNorm();
  }

 private:
  Vec y_;
  Mat X_;
  double c_;
  mutable Vec r_;  // residual scratch: no allocation per step
};
}  // namespace

std::unique_ptr<Loss> make_square_loss(Vec y, Mat X, double scale) {
  return std::make_unique<SquareLoss>(std::move(y), std::move(X), scale);
}

}  // namespace polarlab
