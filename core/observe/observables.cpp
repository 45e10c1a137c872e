#include "core/observe/observables.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace polarlab {

InitialFacts initial_facts(const Observation& obs0) {
  InitialFacts f;
  f.p = obs0.u.size();
  Index w = 0;
  obs0.u.maxCoeff(&w);
  f.predicted_winner = static_cast<int>(w);
  std::vector<double> u(obs0.u.data(), obs0.u.data() + obs0.u.size());
  std::sort(u.begin(), u.end());
  f.delta = u.size() > 1 ? std::numeric_limits<double>::infinity() : 0.0;
  for (std::size_t i = 1; i < u.size(); ++i) f.delta = std::min(f.delta, u[i] - u[i - 1]);
  return f;
}

double entropy(const Vec& s) {
  const double total = s.sum();
  if (!(total > 0.0)) return 0.0;
  double h = 0.0;
  for (Index i = 0; i < s.size(); ++i) {
    const double q = s(i) / total;
    if (q > 0.0) h -= q * std::log(q);
  }
  return h;
}

Mat lyapunov_potential(MapKind map, const Vec& a, const Vec& u) {
  const Index p = a.size();
  Vec G(p);
  for (Index i = 0; i < p; ++i) G(i) = potential_coordinate(map, a(i));
  Mat phi(p, p);
  for (Index i = 0; i < p; ++i)
    for (Index j = 0; j < p; ++j) phi(i, j) = (G(i) - G(j)) * (u(i) - u(j));
  return phi;
}

double lyapunov_potential_pair(MapKind map, const Vec& a, const Vec& u, Index i, Index j) {
  return (potential_coordinate(map, a(i)) - potential_coordinate(map, a(j))) * (u(i) - u(j));
}

double polarization_bound(const InitialFacts& facts, double gamma_integral) {
  if (facts.p == 0) return 1.0;
  return 1.0 / (1.0 + facts.delta / static_cast<double>(facts.p) * gamma_integral);
}

Record make_record(const Observation& obs, const InitialFacts& facts, std::int64_t step, double t,
                   double gamma_integral) {
  Record r;
  r.step = step;
  r.t = t;
  r.loss = obs.loss;
  r.gamma = obs.gamma;
  r.gamma_integral = gamma_integral;
  r.s = obs.s;
  r.u = obs.u;
  r.a = obs.a;
  Index w = 0;
  r.max_s = obs.s.size() ? obs.s.maxCoeff(&w) : 0.0;
  r.winner = static_cast<int>(w);
  r.entropy = entropy(obs.s);
  r.bound = polarization_bound(facts, gamma_integral);
  const Index pw = facts.predicted_winner;
  double worst = 0.0;
  for (Index j = 0; j < obs.s.size(); ++j)
    if (j != pw) worst = std::max(worst, obs.s(j));
  r.ratio = obs.s.size() > 1 && obs.s(pw) != 0.0 ? worst / obs.s(pw)
                                                  : std::numeric_limits<double>::quiet_NaN();
  // Jacobi is exact and fast for the paper's sizes; divide-and-conquer beyond. Past 256×256 a record would
  // cost more than thousands of steps, so the spectrum is left out there.
  if (obs.value.size() > 0 && obs.value.size() <= 256 * 256) {
    r.singular_values = obs.value.rows() <= 16 && obs.value.cols() <= 16
                            ? Vec(Eigen::JacobiSVD<Mat>(obs.value).singularValues())
                            : Vec(Eigen::BDCSVD<Mat>(obs.value).singularValues());
  }
  r.column_norms = obs.column_norms;
  r.attention = obs.attention;
  return r;
}

}  // namespace polarlab
