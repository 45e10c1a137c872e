#include "core/experiment/experiment.hpp"

namespace polarlab {

namespace {
nlohmann::json rows_json(const Mat& m) {
  nlohmann::json rows = nlohmann::json::array();
  for (Index r = 0; r < m.rows(); ++r) {
    nlohmann::json row = nlohmann::json::array();
    for (Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(row);
  }
  return rows;
}
nlohmann::json vec_json(const Vec& v) {
  nlohmann::json out = nlohmann::json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(v(i));
  return out;
}
}  // namespace

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
    j["U"] = rows_json(st.params.V);
    j["V"] = j["U"];
  } else {
    j["V"] = rows_json(st.params.V);
  }
  if (ex.config.model == ModelKind::sink) {
    j["A"] = rows_json(st.params.A);
    j["a"] = vec_json(st.params.A.colwise().mean().transpose());
  } else {
    j["a"] = vec_json(st.params.a);
  }
  j["beta_star"] = vec_json(ex.model->loss().beta_star());
  if (st.X.size() > 0) j["X"] = rows_json(st.X);
  if (st.y.size() > 0) j["y"] = vec_json(st.y);
  if (st.p_star.size() > 0) j["p_star"] = vec_json(st.p_star);
  return j;
}

}  // namespace polarlab
