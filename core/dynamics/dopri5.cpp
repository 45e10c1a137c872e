#include "core/dynamics/dopri5.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace polarlab {

namespace {
// Butcher tableau of DOPRI5.
constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                 a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                 a76 = 11.0 / 84;
// Difference between the 5th- and 4th-order weights.
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                 e6 = 22.0 / 525, e7 = -1.0 / 40;
// Dense output.
constexpr double d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799,
                 d4 = -10690763975.0 / 1880347072, d5 = 701980252875.0 / 199316789632,
                 d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423;

// Dense output coefficients for [t, t + h] (Hairer's contd5).
void dense_coefficients(Index n, double h, const double* __restrict y, const double* __restrict yn,
                        const double* __restrict k1, const double* __restrict k3, const double* __restrict k4,
                        const double* __restrict k5, const double* __restrict k6, const double* __restrict k7,
                        double* __restrict r1, double* __restrict r2, double* __restrict r3, double* __restrict r4,
                        double* __restrict r5) {
  for (Index i = 0; i < n; ++i) {
    const double dy = yn[i] - y[i], c3 = h * k1[i] - dy;
    r1[i] = y[i];
    r2[i] = dy;
    r3[i] = c3;
    r4[i] = dy - h * k7[i] - c3;
    r5[i] = h * (d1 * k1[i] + d3 * k3[i] + d4 * k4[i] + d5 * k5[i] + d6 * k6[i] + d7 * k7[i]);
  }
}
}  // namespace

Dopri5::Dopri5(Rhs rhs, double t0, Vec y0, Options opt)
    : rhs_(std::move(rhs)), opt_(opt), t_(t0), t_prev_(t0), h_(0.0), y_(std::move(y0)) {
  const Index n = y_.size();
  for (Vec* v : {&k1_, &k2_, &k3_, &k4_, &k5_, &k6_, &k7_, &y_new_, &y_stage_, &r1_, &r2_,
                 &r3_, &r4_, &r5_})
    v->setZero(n);
  rhs_(t_, y_, k1_);
  ++evals_;
  if (!k1_.allFinite()) throw NumericalError("the right-hand side is not finite at the initial state");
  h_ = opt_.h0 > 0.0 ? opt_.h0 : initial_step();
  r1_ = y_;
}

// Hairer's starting-step heuristic (one explicit Euler probe).
double Dopri5::initial_step() {
  Vec sc = (opt_.atol + opt_.rtol * y_.array().abs()).matrix();
  const double dnf = std::sqrt((k1_.array() / sc.array()).square().mean());
  const double dny = std::sqrt((y_.array() / sc.array()).square().mean());
  double h = (dnf <= 1e-10 || dny <= 1e-10) ? 1e-6 : 0.01 * dny / dnf;
  y_stage_ = y_ + h * k1_;
  rhs_(t_ + h, y_stage_, k2_);
  ++evals_;
  const double der2 = std::sqrt(((k2_ - k1_).array() / sc.array()).square().mean()) / h;
  const double der = std::max(der2, dnf);
  const double h1 = der <= 1e-15 ? std::max(1e-6, h * 1e-3) : std::pow(0.01 / der, 1.0 / 5.0);
  return std::min(100.0 * h, h1);
}

void Dopri5::step(double t_stop) {
  for (;;) {
    double h = std::min(h_, t_stop - t_);
    if (opt_.h_max > 0.0) h = std::min(h, opt_.h_max);
    if (!(h > 1e-14 * std::max(1.0, std::abs(t_)))) {
      std::ostringstream msg;
      msg << "step size underflow at t = " << t_ << " (h = " << h
          << "): the dynamics blew up or became non-finite";
      throw NumericalError(msg.str());
    }
    // Stage combinations as plain loops over contiguous arrays; each entry keeps the expression tree of
    // the textbook form (y + h·Σ a_ij k_j, summed left to right), so the numbers do not depend on the loop.
    const Index n = y_.size();
    // Distinct buffers: __restrict lets the compiler vectorize without run-time overlap checks.
    const double* __restrict y = y_.data();
    const double *__restrict k1 = k1_.data(), *__restrict k2 = k2_.data(), *__restrict k3 = k3_.data(),
                 *__restrict k4 = k4_.data(), *__restrict k5 = k5_.data(), *__restrict k6 = k6_.data(),
                 *__restrict k7 = k7_.data();
    double* __restrict ys = y_stage_.data();
    double* __restrict yn = y_new_.data();
    const double ha21 = h * a21;
    for (Index i = 0; i < n; ++i) ys[i] = y[i] + ha21 * k1[i];
    rhs_(t_ + c2 * h, y_stage_, k2_);
    for (Index i = 0; i < n; ++i) ys[i] = y[i] + h * (a31 * k1[i] + a32 * k2[i]);
    rhs_(t_ + c3 * h, y_stage_, k3_);
    for (Index i = 0; i < n; ++i) ys[i] = y[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
    rhs_(t_ + c4 * h, y_stage_, k4_);
    for (Index i = 0; i < n; ++i) ys[i] = y[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
    rhs_(t_ + c5 * h, y_stage_, k5_);
    for (Index i = 0; i < n; ++i)
      ys[i] = y[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
    rhs_(t_ + h, y_stage_, k6_);
    for (Index i = 0; i < n; ++i)
      yn[i] = y[i] + h * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] + a76 * k6[i]);
    rhs_(t_ + h, y_new_, k7_);
    evals_ += 6;
    // Error estimate and its scaled RMS norm in one pass (Hairer's sc_i = atol + rtol·max(|y_i|, |ŷ_i|)).
    double acc = 0.0, finite_check = 0.0;  // finite_check stays 0 unless some ŷ_i is inf or NaN
    const double atol = opt_.atol, rtol = opt_.rtol;
    for (Index i = 0; i < n; ++i) {
      const double err = h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i]);
      const double sc = atol + rtol * std::max(std::abs(y[i]), std::abs(yn[i]));
      const double q = err / sc;
      acc += q * q;
      finite_check += yn[i] * 0.0;
    }
    double en = std::sqrt(acc / static_cast<double>(std::max<Index>(1, n)));
    if (!std::isfinite(en) || !std::isfinite(finite_check)) en = 1e10;  // reject and shrink
    if (en <= 1.0) {
      // Dense output coefficients for [t, t + h].
      dense_coefficients(n, h, y, yn, k1, k3, k4, k5, k6, k7, r1_.data(), r2_.data(), r3_.data(), r4_.data(),
                         r5_.data());
      t_prev_ = t_;
      t_ += h;
      y_.swap(y_new_);
      k1_.swap(k7_);  // FSAL
      ++accepted_;
      const double fac = en == 0.0 ? opt_.fac_max
                                   : std::clamp(opt_.safety * std::pow(en, -0.2), opt_.fac_min,
                                                opt_.fac_max);
      // A step shortened to land on t_stop says nothing about the natural step size: keep it.
      const double h_next = h * fac;
      h_ = h < h_ ? std::max(h_next, h_) : h_next;
      return;
    }
    ++rejected_;
    h_ = h * std::max(opt_.fac_min, opt_.safety * std::pow(en, -0.2));
  }
}

void Dopri5::dense(double tau, Vec& out) const {
  const double h = t_ - t_prev_;
  const double th = h > 0.0 ? (tau - t_prev_) / h : 1.0;
  const double th1 = 1.0 - th;
  out.resize(r1_.size());
  for (Index i = 0; i < out.size(); ++i)
    out[i] = r1_[i] + th * (r2_[i] + th1 * (r3_[i] + th * (r4_[i] + th1 * r5_[i])));
}

}  // namespace polarlab
