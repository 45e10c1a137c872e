#include "core/experiment/experiment.hpp"

namespace polarlab {


Experiment build_experiment(const ExperimentConfig& cfg) {
  validate(cfg);
  Experiment ex;
  ex.config = cfg;
  ex.initial = make_initial_state(cfg);
  const auto& st = ex.initial;

  std::unique_ptr<Loss> loss;
  switch (cfg.loss) {
    case LossKind::logistic: loss = make_logistic_loss(st.beta_star); break;
    case LossKind::square:
      loss = cfg.model == ModelKind::regression ? make_square_loss(st.y, st.X, cfg.loss_scale)
                                                : make_square_loss(st.beta_star, Mat(), cfg.loss_scale);
      break;
    case LossKind::cross_entropy: loss = make_cross_entropy_loss(st.p_star, cfg.ce_eps); break;
  }
  switch (cfg.model) {
    case ModelKind::value_softmax:
    case ModelKind::regression: ex.model = make_value_softmax(cfg.d, cfg.p, cfg.map, std::move(loss)); break;
    case ModelKind::tied: ex.model = make_tied_model(cfg.p, cfg.map, std::move(loss)); break;
    case ModelKind::sink: ex.model = make_sink_model(cfg.p, cfg.d, cfg.causal, cfg.map, std::move(loss)); break;
  }
  ex.theta0 = ex.model->pack(st.params);
  return ex;
}

nlohmann::json initial_state_json(const Experiment& ex) {
  const auto& st = ex.initial;
  nlohmann::json j;
  j["model"] = model_name(ex.config.model);
  j["loss"] = loss_name(ex.config.loss);
  j["map"] = map_name(ex.config.map);
  if (ex.config.model == ModelKind::tied) {
    j["U"] = matrix_to_json(st.params.V);
    j["V"] = j["U"];
  } else {
    j["V"] = matrix_to_json(st.params.V);
  }
  if (ex.config.model == ModelKind::sink) {
    j["A"] = matrix_to_json(st.params.A);
    j["a"] = vector_to_json(st.params.A.colwise().mean().transpose());
  } else {
    j["a"] = vector_to_json(st.params.a);
  }
  j["beta_star"] = vector_to_json(ex.model->loss().beta_star());
  if (st.X.size() > 0) j["X"] = matrix_to_json(st.X);
  if (st.y.size() > 0) j["y"] = vector_to_json(st.y);
  if (st.p_star.size() > 0) j["p_star"] = vector_to_json(st.p_star);
  return j;
}

}  // namespace polarlab
