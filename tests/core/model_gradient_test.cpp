// ∇L of every model (and every map × loss for the value–softmax model) against finite differences.
#include <gtest/gtest.h>

#include "core/experiment/experiment.hpp"
#include "tests/core/test_util.hpp"

using namespace polarlab;

namespace {
void expect_model_gradient(const ExperimentConfig& cfg) {
  Experiment ex = build_experiment(cfg);
  Vec grad;
  double gamma = 0.0;
  // Move away from a = 0 so that every map's Jacobian is exercised.
  Vec theta = ex.theta0;
  for (Index i = 0; i < theta.size(); ++i) theta(i) += 0.05 * std::sin(1.7 * i + 0.3);
  ex.model->loss_grad(theta, grad, gamma);
  const Vec fd = test::finite_difference(
      [&](const Vec& th) {
        Vec g;
        double gm;
        return ex.model->loss_grad(th, g, gm);
      },
      theta);
  EXPECT_LT(test::rel_error(grad, fd), 1e-6) << model_name(cfg.model) << " " << loss_name(cfg.loss) << " "
                                               << map_name(cfg.map);
}

ExperimentConfig base() {
  ExperimentConfig c;
  c.d = 4;
  c.p = 5;
  c.seed = 3;
  c.init.kind = polarlab::InitKind::gaussian;
  c.init.v_scale = 0.5;
  c.init.a_mean = 1.0;  // positive logits keep l1/l2/relu_norm/sum away from their kinks
  c.init.a_scale = 0.3;
  return c;
}
}  // namespace

TEST(ModelGradient, ValueSoftmaxEveryMapAndLoss) {
  for (const auto& loss : {LossKind::logistic, LossKind::square, LossKind::cross_entropy}) {
    for (const auto& map : map_names()) {
      ExperimentConfig c = base();
      c.loss = loss;
      c.map = *parse_map(map);
      expect_model_gradient(c);
    }
  }
}

TEST(ModelGradient, RegressionWithIllConditionedDesign) {
  ExperimentConfig c = base();
  c.model = ModelKind::regression;
  c.loss = LossKind::square;
  c.n = 6;
  c.kappa = 5.0;
  expect_model_gradient(c);
}

TEST(ModelGradient, TiedModel) {
  ExperimentConfig c = base();
  c.model = ModelKind::tied;
  c.d = c.p = 5;
  c.init.v_scale = 0.3;
  expect_model_gradient(c);
}

TEST(ModelGradient, SinkModelWithAndWithoutCausalMask) {
  for (bool causal : {false, true}) {
    ExperimentConfig c = base();
    c.model = ModelKind::sink;
    c.p = 4;
    c.d = 3;
    c.causal = causal;
    expect_model_gradient(c);
  }
}

TEST(ModelGradient, ValueSoftmaxAllowsDNotEqualP) {
  ExperimentConfig c = base();
  c.d = 7;
  c.p = 3;
  expect_model_gradient(c);
}

TEST(DesignMatrix, HasTheRequestedConditionNumber) {
  ExperimentConfig c = base();
  c.model = ModelKind::regression;
  c.loss = LossKind::square;
  c.d = c.p = 6;
  c.n = 9;
  c.kappa = 7.5;
  const Experiment ex = build_experiment(c);
  const Vec sv = Eigen::JacobiSVD<Mat>(ex.initial.X).singularValues();
  EXPECT_NEAR(sv(0), 1.0, 1e-12);
  EXPECT_NEAR(sv(0) / sv(sv.size() - 1), 7.5, 1e-9);
  EXPECT_NEAR(sv(2), 1.0 + (1.0 / 7.5 - 1.0) * 2 / 5.0, 1e-12);  // linspace(1, 1/κ, 6)
}
