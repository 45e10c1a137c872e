// Plain gradient descent θ ← θ − η ∇L(θ): the official code's method. V and a are updated
// from the same state, as in the paper's experiments.
#pragma once
#include "core/model/model.hpp"

namespace polarlab {

struct GradientDescentStep {
  double loss;   // L(θ) before the update
  double gamma;  // γ before the update (its sum times η is the discrete ∫γ)
};

// One update in place; grad is scratch owned by the caller (no allocation per step).
// Throws NumericalError when the loss or the gradient stops being finite.
GradientDescentStep gradient_descent_step(Model& model, Vec& theta, Vec& grad, double lr);

}  // namespace polarlab
