// The T×T sink model of §4.1: every query row t outputs β[t] = σ(A[t,:]) V and is pulled
// towards the same β*. Polarization of each row onto the token with the largest u(0) = Vβ*
// is an attention sink.
#include "core/model/model.hpp"

namespace polarlab {

namespace {
class SinkModel final : public Model {
 public:
  SinkModel(Index T, Index d, bool causal, MapKind map, std::unique_ptr<Loss> loss)
      : Model(map, std::move(loss)), T_(T), d_(d), causal_(causal), gV_(T, d), g_(d), beta_(d) {}

  std::string name() const override { return "sink"; }
  Index num_params() const override { return T_ * T_ + T_ * d_; }
  Index p() const override { return T_; }

  // Keys a query row sees: all T, or the first t+1 under the causal mask.
  Index width(Index t) const { return causal_ ? t + 1 : T_; }

  double loss_grad(const Vec& theta, Vec& grad, double& gamma) override {
    Eigen::Map<const Mat> A(theta.data(), T_, T_);
    Eigen::Map<const Mat> V(theta.data() + T_ * T_, T_, d_);
    grad.setZero(num_params());
    Eigen::Map<Mat> gA(grad.data(), T_, T_);
    gV_.setZero();
    double total = 0.0, gamma_sum = 0.0;
    const double inv_T = 1.0 / static_cast<double>(T_);
    for (Index t = 0; t < T_; ++t) {
      const Index w = width(t);
      row_a_ = A.row(t).head(w).transpose();
      map_apply(map_, row_a_, row_s_);
      beta_.noalias() = V.topRows(w).transpose() * row_s_;
      total += loss_->value_grad(beta_, g_);
      gamma_sum += loss_->gamma(g_);
      g_ *= inv_T;  // the loss is the mean over rows
      gV_.topRows(w).noalias() += row_s_ * g_.transpose();
      row_h_.noalias() = V.topRows(w) * g_;
      map_vjp(map_, row_a_, row_s_, row_h_, row_g_);
      gA.row(t).head(w) = row_g_.transpose();
    }
    Eigen::Map<Mat>(grad.data() + T_ * T_, T_, d_) = gV_;
    gamma = gamma_sum * inv_T;
    return total * inv_T;
  }

  void observe(const Vec& theta, Observation& obs) override {
    obs.loss = loss_grad(theta, observe_grad_, obs.gamma);
    Eigen::Map<const Mat> A(theta.data(), T_, T_);
    Eigen::Map<const Mat> V(theta.data() + T_ * T_, T_, d_);
    obs.attention.setZero(T_, T_);
    obs.beta.setZero(d_);
    Vec col_sum = Vec::Zero(T_), col_count = Vec::Zero(T_);
    for (Index t = 0; t < T_; ++t) {
      const Index w = width(t);
      row_a_ = A.row(t).head(w).transpose();
      map_apply(map_, row_a_, row_s_);
      obs.attention.row(t).head(w) = row_s_.transpose();
      obs.beta += V.topRows(w).transpose() * row_s_ / static_cast<double>(T_);
      col_sum.head(w) += row_a_;
      col_count.head(w).array() += 1.0;
    }
    obs.s = obs.attention.colwise().mean().transpose();
    obs.a = col_sum.array() / col_count.array();
    obs.u = V * loss_->beta_star();
    obs.value = V;
  }

  Vec pack(const Parameters& prm) const override {
    Vec theta(num_params());
    Eigen::Map<Mat>(theta.data(), T_, T_) = prm.A;
    Eigen::Map<Mat>(theta.data() + T_ * T_, T_, d_) = prm.V;
    return theta;
  }
  Parameters unpack(const Vec& theta) const override {
    Parameters prm;
    prm.A = Eigen::Map<const Mat>(theta.data(), T_, T_);
    prm.V = Eigen::Map<const Mat>(theta.data() + T_ * T_, T_, d_);
    return prm;
  }

 private:
  Vec observe_grad_;  // observe() needs the forward pass only; reused so records allocate nothing here
  Index T_, d_;
  bool causal_;
  Mat gV_;
  Vec g_, beta_, row_a_, row_s_, row_h_, row_g_;
};
}  // namespace

std::unique_ptr<Model> make_sink_model(Index T, Index d, bool causal, MapKind map,
                                       std::unique_ptr<Loss> loss) {
  return std::make_unique<SinkModel>(T, d, causal, map, std::move(loss));
}

}  // namespace polarlab
