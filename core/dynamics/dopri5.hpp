// Dormand–Prince 5(4) with FSAL, step-size control and 4th-order dense output (Hairer, Nørsett &
// Wanner, Solving ODEs I, §II.5–6). The polarization dynamics live on a log-time scale, so the
// step size grows roughly like t and t = 1e6 is reached in a few thousand steps.
#pragma once
#include <functional>

#include "core/types.hpp"

namespace polarlab {

class Dopri5 {
 public:
  using Rhs = std::function<void(double t, const Vec& y, Vec& dydt)>;

  struct Options {
    double rtol = 1e-8;
    double atol = 1e-10;
    double h0 = 0.0;       // 0: choose automatically
    double h_max = 0.0;    // 0: unlimited
    double fac_min = 0.2;  // bounds on the step-size change per step
    double fac_max = 10.0;
    double safety = 0.9;
  };

  Dopri5(Rhs rhs, double t0, Vec y0, Options opt);

  // Takes one accepted step, never past t_stop. Throws NumericalError when the step size
  // underflows (a singularity or NaN in the right-hand side).
  void step(double t_stop);

  double t() const { return t_; }
  const Vec& y() const { return y_; }
  double t_prev() const { return t_prev_; }
  double last_h() const { return t_ - t_prev_; }
  long accepted() const { return accepted_; }
  long rejected() const { return rejected_; }
  long evaluations() const { return evals_; }

  // y(τ) for τ in [t_prev, t] from the last accepted step's continuous extension.
  void dense(double tau, Vec& out) const;

 private:
  double initial_step();

  Rhs rhs_;
  Options opt_;
  double t_, t_prev_, h_;
  Vec y_, k1_, k2_, k3_, k4_, k5_, k6_, k7_, y_new_, y_stage_;
  Vec r1_, r2_, r3_, r4_, r5_;  // dense-output coefficients
  long accepted_ = 0, rejected_ = 0, evals_ = 0;
};

}  // namespace polarlab
