// The tied model ℓ(U σ(U a)) of §4.1: the residual stream R plays both value and key role,
// so polarization of α shows up as a few columns of U growing large (massive activations).
#include "core/model/model.hpp"

namespace polarlab {

namespace {
class TiedModel final : public Model {
 public:
  TiedModel(Index D, MapKind map, std::unique_ptr<Loss> loss)
      : Model(map, std::move(loss)), D_(D), a_(D), z_(D), alpha_(D), beta_(D), g_(D), h_(D), gz_(D) {}

  std::string name() const override { return "tied"; }
  Index num_params() const override { return D_ * D_ + D_; }
  Index p() const override { return D_; }

  double loss_grad(const Vec& theta, Vec& grad, double& gamma) override {
    Eigen::Map<const Mat> U(theta.data(), D_, D_);
    a_ = theta.tail(D_);
    z_.noalias() = U * a_;
    map_apply(map_, z_, alpha_);
    beta_.noalias() = U * alpha_;
    const double l = loss_->value_grad(beta_, g_);
    gamma = loss_->gamma(g_);
    h_.noalias() = U.transpose() * g_;
    map_vjp(map_, z_, alpha_, h_, gz_);  // ∇_z L
    grad.resize(num_params());
    Eigen::Map<Mat> gU(grad.data(), D_, D_);
    gU.noalias() = g_ * alpha_.transpose();  // through β = U α
    gU.noalias() += gz_ * a_.transpose();    // through z = U a
    grad.tail(D_).noalias() = U.transpose() * gz_;
    return l;
  }

  void observe(const Vec& theta, Observation& obs) override {
    obs.loss = loss_grad(theta, observe_grad_, obs.gamma);
    Eigen::Map<const Mat> U(theta.data(), D_, D_);
    obs.s = alpha_;
    obs.a = a_;
    obs.beta = beta_;
    obs.u = U.transpose() * loss_->beta_star();
    obs.value = U;
    obs.column_norms = U.colwise().norm().transpose();
  }

  Vec pack(const Parameters& prm) const override {
    Vec theta(num_params());
    Eigen::Map<Mat>(theta.data(), D_, D_) = prm.V;
    theta.tail(D_) = prm.a;
    return theta;
  }
  Parameters unpack(const Vec& theta) const override {
    Parameters prm;
    prm.V = Eigen::Map<const Mat>(theta.data(), D_, D_);
    prm.a = theta.tail(D_);
    return prm;
  }

 private:
  Vec observe_grad_;  // observe() needs the forward pass only; reused so records allocate nothing here
  Index D_;
  Vec a_, z_, alpha_, beta_, g_, h_, gz_;
};
}  // namespace

std::unique_ptr<Model> make_tied_model(Index D, MapKind map, std::unique_ptr<Loss> loss) {
  return std::make_unique<TiedModel>(D, map, std::move(loss));
}

}  // namespace polarlab
