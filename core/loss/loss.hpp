// Losses ℓ(β) of the model output β, each with its gradient ∇_β ℓ.
// β* is the loss's target direction: it defines the value projections u = Vᵀβ* and the
// polarization weight γ = ⟨−∇_β ℓ, β*⟩ / ‖β*‖² (for the logistic loss, −∇ℓ = γ β* exactly).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace polarlab {

enum class LossKind { logistic, square, cross_entropy };

std::optional<LossKind> parse_loss(std::string_view name);
std::string loss_name(LossKind kind);
const std::vector<std::string>& loss_names();

class Loss {
 public:
  virtual ~Loss() = default;
  virtual LossKind kind() const = 0;
  // Returns ℓ(β) and writes grad = ∇_β ℓ (grad is pre-sized by the caller or resized).
  virtual double value_grad(const Vec& beta, Vec& grad) const = 0;
  virtual double value(const Vec& beta) const = 0;
  // Dimension of β this loss expects.
  virtual Index input_dim() const = 0;

  const Vec& beta_star() const { return beta_star_; }
  double gamma(const Vec& grad) const { return -grad.dot(beta_star_) * inv_norm2_; }
  double inv_norm2() const { return inv_norm2_; }  // 1/‖β*‖² (0 for β* = 0)

 protected:
  void set_beta_star(Vec b) {
    beta_star_ = std::move(b);
    const double n2 = beta_star_.squaredNorm();
    inv_norm2_ = n2 > 0.0 ? 1.0 / n2 : 0.0;
  }

 private:
  Vec beta_star_;
  double inv_norm2_ = 0.0;
};

// ℓ = log(1 + exp(−⟨β*, β⟩)), computed without overflow for any margin.
std::unique_ptr<Loss> make_logistic_loss(Vec beta_star);
// ℓ = c‖y − Xβ‖² (X = I when empty); β* = X⁺y, the minimum-norm minimizer.
std::unique_ptr<Loss> make_square_loss(Vec y, Mat X, double scale);
// ℓ = −⟨p*, log(softmax(β) + eps)⟩; β* = log p* − mean(log p*), the minimizer's direction.
std::unique_ptr<Loss> make_cross_entropy_loss(Vec p_star, double eps);

}  // namespace polarlab
