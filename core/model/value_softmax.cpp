#include "core/model/model.hpp"

namespace polarlab {

namespace {
class ValueSoftmax final : public Model {
 public:
  ValueSoftmax(Index d, Index p, MapKind map, std::unique_ptr<Loss> loss)
      : Model(map, std::move(loss)), d_(d), p_(p), a_(p), s_(p), beta_(d), g_(d), h_(p), ga_(p) {}

  std::string name() const override { return "value_softmax"; }
  Index num_params() const override { return d_ * p_ + p_; }
  Index p() const override { return p_; }

  double loss_grad(const Vec& theta, Vec& grad, double& gamma) override {
    Eigen::Map<const Mat> V(theta.data(), d_, p_);
    a_ = theta.tail(p_);
    map_apply(map_, a_, s_);
    // Small matrices: coefficient-wise products beat the blocked GEMV kernels' set-up cost.
    const bool small = d_ * p_ <= 1024;
    if (small) beta_.noalias() = V.lazyProduct(s_);
    else beta_.noalias() = V * s_;
    const double l = loss_->value_grad(beta_, g_);
    gamma = loss_->gamma(g_);
    grad.resize(num_params());
    Eigen::Map<Mat> gV(grad.data(), d_, p_);
    gV.noalias() = g_ * s_.transpose();  // ∇_V L = ∇ℓ sᵀ
    if (small) h_.noalias() = V.transpose().lazyProduct(g_);  // ∇_a L = J_σᵀ Vᵀ ∇ℓ
    else h_.noalias() = V.transpose() * g_;
    map_vjp(map_, a_, s_, h_, ga_);
    grad.tail(p_) = ga_;
    return l;
  }

  void observe(const Vec& theta, Observation& obs) override {
    obs.loss = loss_grad(theta, observe_grad_, obs.gamma);
    Eigen::Map<const Mat> V(theta.data(), d_, p_);
    obs.s = s_;
    obs.a = a_;
    obs.beta = beta_;
    obs.u = V.transpose() * loss_->beta_star();
    obs.value = V;
  }

  Vec pack(const Parameters& prm) const override {
    Vec theta(num_params());
    Eigen::Map<Mat>(theta.data(), d_, p_) = prm.V;
    theta.tail(p_) = prm.a;
    return theta;
  }
  Parameters unpack(const Vec& theta) const override {
    Parameters prm;
    prm.V = Eigen::Map<const Mat>(theta.data(), d_, p_);
    prm.a = theta.tail(p_);
    return prm;
  }

 private:
  Vec observe_grad_;  // observe() needs the forward pass only; reused so records allocate nothing here
  Index d_, p_;
  Vec a_, s_, beta_, g_, h_, ga_;  // scratch: a step allocates nothing
};
}  // namespace

std::unique_ptr<Model> make_value_softmax(Index d, Index p, MapKind map, std::unique_ptr<Loss> loss) {
  return std::make_unique<ValueSoftmax>(d, p, map, std::move(loss));
}

}  // namespace polarlab
