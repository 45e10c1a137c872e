// Models whose loss depends on a single output vector: L(θ) = ℓ(β(θ)).
// Parameters travel as one flat vector θ so that GD and the Runge–Kutta solver share one code path.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "core/loss/loss.hpp"
#include "core/map/map.hpp"
#include "core/types.hpp"

namespace polarlab {

// Named parameters. value_softmax/regression: V (d×p), a (p). tied: V = U (D×D), a (D).
// sink: A (T×T logits, rows = queries), V (T×d values, rows = tokens).
struct Parameters {
  Mat V;
  Vec a;
  Mat A;
};

// What a model shows at one state; observables are derived from it.
struct Observation {
  double loss = 0.0;
  double gamma = 0.0;
  Vec s;          // attention scores σ(a) (sink: attention received per token, averaged over rows)
  Vec u;          // value projections Vᵀβ* (sink: Vβ*)
  Vec a;          // logits (sink: column means of A over unmasked rows)
  Vec beta;       // model output (sink: mean over rows)
  Mat value;      // the matrix whose singular values are tracked (V, U)
  Mat attention;  // sink only: σ(A) row-wise, masked entries 0
  Vec column_norms;  // tied only: ‖U_i‖, the "massive activation" columns
};

class Model {
 public:
  Model(MapKind map, std::unique_ptr<Loss> loss) : map_(map), loss_(std::move(loss)) {}
  virtual ~Model() = default;

  virtual std::string name() const = 0;
  virtual Index num_params() const = 0;
  virtual Index p() const = 0;  // number of attention coordinates
  // L(θ); writes grad = ∇L(θ) and γ. Throws NumericalError on a vanishing map denominator.
  virtual double loss_grad(const Vec& theta, Vec& grad, double& gamma) = 0;
  // The flow's right-hand side on raw arrays of num_params() entries: out = −∇L(θ), and γ. The default copies
  // through loss_grad; value_softmax overrides it with an allocation-free kernel (same numbers).
  virtual void negative_grad(const double* theta, double* out, double& gamma);
  // n GD updates θ ← θ − η∇L(θ) in place (grad is the caller's scratch), adding η·γ of each update to
  // gamma_integral in step order and counting finished updates in done. Throws NumericalError like
  // gradient_descent_step, with θ left at the last finite state. The default loops gradient_descent_step.
  virtual void gd_steps(Vec& theta, Vec& grad, double lr, std::int64_t n, double& gamma_integral,
                        std::int64_t& done);
  virtual void observe(const Vec& theta, Observation& obs) = 0;
  virtual Vec pack(const Parameters& params) const = 0;
  virtual Parameters unpack(const Vec& theta) const = 0;

  MapKind map() const { return map_; }
  const Loss& loss() const { return *loss_; }

 protected:
  MapKind map_;
  std::unique_ptr<Loss> loss_;
};

// β = V σ(a), V ∈ R^{d×p} (d ≠ p allowed); the regression model is this with a design-matrix loss.
std::unique_ptr<Model> make_value_softmax(Index d, Index p, MapKind map, std::unique_ptr<Loss> loss);
// z = U a, α = σ(z), β = U α (§4.1 massive activations).
std::unique_ptr<Model> make_tied_model(Index D, MapKind map, std::unique_ptr<Loss> loss);
// β[t] = σ(A[t,:]) V per row, loss averaged over the T rows (§4.1 attention sinks).
std::unique_ptr<Model> make_sink_model(Index T, Index d, bool causal, MapKind map,
                                       std::unique_ptr<Loss> loss);

}  // namespace polarlab
