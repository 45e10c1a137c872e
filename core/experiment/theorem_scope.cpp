#include "core/experiment/theorem_scope.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/observe/observables.hpp"

namespace polarlab {

namespace {

std::string num(double x) {
  std::ostringstream o;
  o.precision(3);
  o << x;
  return o.str();
}

// Largest spread max − min within one logit vector (a row of A for the sink model), relative to its size:
// zero means s(0) is uniform, which is all Assumption 3.1's a(0) = 0 is used for (softmax is shift-invariant).
bool logits_constant(const Mat& rows) {
  for (Index r = 0; r < rows.rows(); ++r) {
    if (rows.cols() == 0) continue;
    const double lo = rows.row(r).minCoeff(), hi = rows.row(r).maxCoeff();
    if (!(hi - lo <= 1e-12 * std::max(1.0, std::max(std::abs(lo), std::abs(hi))))) return false;
  }
  return true;
}

// The logits as rows: one row for a vector a, the T rows of A for the sink model.
Mat logit_rows(const Experiment& ex) {
  if (ex.config.model == ModelKind::sink) return ex.initial.params.A;
  return ex.initial.params.a.transpose();
}

std::string stationary_reason(const Experiment& ex, const Mat& logits) {
  if (ex.config.map == MapKind::relu && logits.size() > 0 && logits.maxCoeff() <= 0.0)
    return "relu with every a_i(0) ≤ 0 (max a_i(0) = " + num(logits.maxCoeff()) +
           "): s = relu(a) = 0 and relu′(a) = 0 there, so the gradient is exactly zero and V, a never move; "
           "start with some a_i(0) > 0 (e.g. a mean 1) or choose another map";
  return "the gradient is exactly zero at the initial state (a stationary point), so the parameters never move";
}

// The first hypothesis of Theorem 3.3 that the config itself violates; empty if none.
std::string config_violation(const ExperimentConfig& c) {
  switch (c.model) {
    case ModelKind::tied:
      return "tied model (Section 4.1): keys and values share U (z = U a, β = U σ(z)); the theorem is "
             "proved for β = V σ(a) with separate V and a";
    case ModelKind::regression:
      return "regression ‖y − X V σ(a)‖² (square loss, X of condition number κ = " + num(c.kappa) +
             ", Section 3.2): the theorem needs the logistic loss; here ∫γ stays bounded, "
             "polarization is partial and no winner is predicted";
    case ModelKind::sink:
      if (c.causal)
        return "sink model with a causal mask: query rows see different sets of tokens, so they do not share "
               "one value–softmax flow";
      break;
    case ModelKind::value_softmax: break;
  }
  switch (c.loss) {
    case LossKind::square:
      return "square loss (Section 3.2, Assumption 3.4 regime): the theorem needs the logistic loss; here ∫γ "
             "stays bounded and polarization is partial";
    case LossKind::cross_entropy:
      return "cross-entropy (“KL”) loss (Section 3.2, Fig 10): the theorem needs the logistic loss; the loss "
             "tends to H(p*) > 0, polarization is partial and argmax u(0) need not win";
    case LossKind::logistic: break;
  }
  if (c.map != MapKind::softmax) {
    if (!is_normalized(c.map))
      return "element-wise map " + map_name(c.map) +
             ": no normalization, hence no “fitness minus mean fitness” coupling (Section 3.2); the theorem "
             "needs softmax";
    return "map " + map_name(c.map) +
           " is not softmax: Section 3.2 gives only an analogue of Theorem 3.2 for normalized maps, the bound "
           "is proved for softmax";
  }
  return {};
}

}  // namespace

TheoremScope theorem_scope(Experiment& ex) {
  TheoremScope sc;
  const ExperimentConfig& c = ex.config;
  Model& model = *ex.model;
  const Mat logits = logit_rows(ex);

  Observation obs;
  Vec grad;
  double gamma = 0.0;
  try {
    model.observe(ex.theta0, obs);
    model.loss_grad(ex.theta0, grad, gamma);
    sc.stationary = grad.size() > 0 && grad.cwiseAbs().maxCoeff() == 0.0;
  } catch (const NumericalError& e) {
    // The runner refuses such a state anyway; say why here too.
    sc.reason = std::string("the initial state is not usable: ") + e.what();
    return sc;
  }
  if (sc.stationary) sc.stationary_reason = stationary_reason(ex, logits);
  const InitialFacts facts = initial_facts(obs);
  sc.delta = facts.delta;

  if (std::string v = config_violation(c); !v.empty()) {
    sc.reason = std::move(v);
    return sc;
  }
  if (model.p() < 2) {
    sc.reason = "p = 1: a single attention coordinate, nothing to polarize";
    return sc;
  }
  // Assumption 3.1.
  if (!logits_constant(logits)) {
    sc.reason = "Assumption 3.1 fails: a(0) is not 0 (a_i(0) from " + num(logits.minCoeff()) + " to " +
                num(logits.maxCoeff()) + "), so s(0) is not uniform and argmax u(0) need not win";
    return sc;
  }
  if (!(facts.delta > 0.0)) {
    sc.reason = "Assumption 3.1 fails: u(0) = V(0)ᵀβ* has tied coordinates (δ = 0)";
    return sc;
  }

  sc.prediction = true;
  sc.predicted_winner = facts.predicted_winner;
  if (c.model == ModelKind::sink) {
    // Every row starts uniform and sees every token, so all rows follow one value-softmax flow and the
    // potentials Φ_ij keep growing (Theorem 3.2 row by row). But each row's logits get 1/T of the gradient
    // (the loss is the row mean), which rescales the proof of 3.3(b) to 1/(1 + (δ/(pT))∫γ).
    sc.holds = "sink model, no causal mask, A(0) rows constant, u(0) distinct: every row follows the "
               "value–softmax flow (Theorem 3.2 row by row)";
    sc.reason = "sink model: each row's logits get 1/T of the gradient, so the proof of 3.3(b) gives only "
                "1/(1 + (δ/(pT))∫γ), weaker than the bound 1/(1 + (δ/p)∫γ) drawn for β = V σ(a)";
    return sc;
  }
  sc.bound = true;
  sc.holds = "logistic loss, softmax, β = V σ(a), Assumption 3.1 (a(0) = 0, u(0) distinct, δ = " +
             num(facts.delta) + ")";
  return sc;
}

TheoremScope theorem_scope(const ExperimentConfig& cfg) {
  Experiment ex = build_experiment(cfg);
  return theorem_scope(ex);
}

std::string theorem_scope_line(const TheoremScope& scope) {
  if (scope.bound) return "Theorem 3.3 applies: " + scope.holds;
  // The sink keeps the winner prediction (Theorem 3.2 row by row) but not the recorded bound.
  if (scope.prediction) return "Theorem 3.3(b) does not apply: " + scope.reason;
  return "Theorem 3.3 does not apply: " + scope.reason;
}

}  // namespace polarlab
