#include "core/model/gradient_descent.hpp"

#include <cmath>

namespace polarlab {

GradientDescentStep gradient_descent_step(Model& model, Vec& theta, Vec& grad, double lr) {
  GradientDescentStep out{};
  out.loss = model.loss_grad(theta, grad, out.gamma);
  // A single NaN or inf entry makes the sum non-finite: one vectorized reduction instead of a per-entry test.
  if (!std::isfinite(out.loss) || !std::isfinite(grad.sum()))
    throw NumericalError(!std::isfinite(out.loss) ? "loss is not finite (overflow or NaN)"
                                                  : "gradient is not finite (overflow or NaN)");
  theta.noalias() -= lr * grad;
  return out;
}

}  // namespace polarlab
