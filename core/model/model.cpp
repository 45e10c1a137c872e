// Model's default hot-path entry points, in terms of loss_grad; models with a fused kernel override them.
#include "core/model/model.hpp"

#include "core/model/gradient_descent.hpp"

namespace polarlab {

void Model::negative_grad(const double* theta, double* out, double& gamma) {
  const Index n = num_params();
  Vec th = Eigen::Map<const Vec>(theta, n), grad;
  loss_grad(th, grad, gamma);
  Eigen::Map<Vec>(out, n) = -grad;
}

void Model::gd_steps(Vec& theta, Vec& grad, double lr, std::int64_t n, double& gamma_integral,
                     std::int64_t& done) {
  for (std::int64_t k = 0; k < n; ++k) {
    const auto r = gradient_descent_step(*this, theta, grad, lr);
    gamma_integral += lr * r.gamma;
    ++done;
  }
}

}  // namespace polarlab
