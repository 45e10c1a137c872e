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
}  // namespace

Dopri5::Dopri5(Rhs rhs, double t0, Vec y0, Options opt)
    : rhs_(std::move(rhs)), opt_(opt), t_(t0), t_prev_(t0), h_(0.0), y_(std::move(y0)) {
  const Index n = y_.size();
  for (Vec* v : {&k1_, &k2_, &k3_, &k4_, &k5_, &k6_, &k7_, &y_new_, &y_stage_, &err_, &r1_, &r2_,
                 &r3_, &r4_, &r5_})
    v->setZero(n);
  rhs_(t_, y_, k1_);
  ++evals_;
  if (!k1_.allFinite()) throw NumericalError("the right-hand side is not finite at the initial state");
  h_ = opt_.h0 > 0.0 ? opt_.h0 : initial_step();
  r1_ = y_;
}

double Dopri5::error_norm(const Vec& err, const Vec& y_old, const Vec& y_new) const {
  double acc = 0.0;
  for (Index i = 0; i < err.size(); ++i) {
    const double sc = opt_.atol + opt_.rtol * std::max(std::abs(y_old(i)), std::abs(y_new(i)));
    const double q = err(i) / sc;
    acc += q * q;
  }
  return std::sqrt(acc / static_cast<double>(std::max<Index>(1, err.size())));
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
    y_stage_ = y_ + h * a21 * k1_;
    rhs_(t_ + c2 * h, y_stage_, k2_);
    y_stage_ = y_ + h * (a31 * k1_ + a32 * k2_);
    rhs_(t_ + c3 * h, y_stage_, k3_);
    y_stage_ = y_ + h * (a41 * k1_ + a42 * k2_ + a43 * k3_);
    rhs_(t_ + c4 * h, y_stage_, k4_);
    y_stage_ = y_ + h * (a51 * k1_ + a52 * k2_ + a53 * k3_ + a54 * k4_);
    rhs_(t_ + c5 * h, y_stage_, k5_);
    y_stage_ = y_ + h * (a61 * k1_ + a62 * k2_ + a63 * k3_ + a64 * k4_ + a65 * k5_);
    rhs_(t_ + h, y_stage_, k6_);
    y_new_ = y_ + h * (a71 * k1_ + a73 * k3_ + a74 * k4_ + a75 * k5_ + a76 * k6_);
    rhs_(t_ + h, y_new_, k7_);
    evals_ += 6;
    err_ = h * (e1 * k1_ + e3 * k3_ + e4 * k4_ + e5 * k5_ + e6 * k6_ + e7 * k7_);
    double en = error_norm(err_, y_, y_new_);
    if (!std::isfinite(en) || !y_new_.allFinite()) en = 1e10;  // reject and shrink
    if (en <= 1.0) {
      // Dense output coefficients for [t, t + h].
      r1_ = y_;
      r2_ = y_new_ - y_;
      r3_ = h * k1_ - r2_;
      r4_ = r2_ - h * k7_ - r3_;
      r5_ = h * (d1 * k1_ + d3 * k3_ + d4 * k4_ + d5 * k5_ + d6 * k6_ + d7 * k7_);
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
  out = r1_ + th * (r2_ + th1 * (r3_ + th * (r4_ + th1 * r5_)));
}

}  // namespace polarlab
