#include "core/dynamics/gradient_descent.hpp"

#include <cmath>

namespace polarlab {

GradientDescentStep gradient_descent_step(Model& model, Vec& theta, Vec& grad, double lr) {
  GradientDescentStep out{};
  out.loss = model.loss_grad(theta, grad, out.gamma);
  if (!std::isfinite(out.loss) || !grad.allFinite())
    throw NumericalError(!std::isfinite(out.loss) ? "loss is not finite (overflow or NaN)"
                                                  : "gradient is not finite (overflow or NaN)");
  theta.noalias() -= lr * grad;
  return out;
}

}  // namespace polarlab
