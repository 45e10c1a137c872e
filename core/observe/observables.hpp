// Observables of §4 of the spec, derived from a model's Observation at one time.
#pragma once
#include <cstdint>
#include <vector>

#include "core/map/map.hpp"
#include "core/model/model.hpp"

namespace polarlab {

// What the theory predicts from the initial state (Assumption 3.1 indexing, kept in random order).
struct InitialFacts {
  int predicted_winner = 0;  // argmax u(0)
  double delta = 0.0;        // min gap between sorted coordinates of u(0)
  Index p = 0;
};

struct Record {
  std::int64_t step = 0;
  double t = 0.0;
  double loss = 0.0;
  double entropy = 0.0;
  double max_s = 0.0;
  int winner = 0;  // argmax s, 0-based
  double gamma = 0.0;
  double gamma_integral = 0.0;  // polarization integral ∫₀ᵗ γ
  double bound = 0.0;           // Theorem 3.3(b): 1 / (1 + (δ/p) ∫γ)
  double ratio = 0.0;           // max_{j ≠ predicted winner} s_j / s_winner
  Vec s, u, a;
  Vec singular_values;  // of V (U for tied), descending
  Vec column_norms;     // tied model only
  Mat attention;        // sink model only
};

InitialFacts initial_facts(const Observation& obs0);
// Entropy of s normalized to sum 1 (0·log 0 = 0).
double entropy(const Vec& s);
// Φ_ij = (G(a_i) − G(a_j))(u_i − u_j) with G′ = 1/f′; for softmax −(e^{−a_i} − e^{−a_j})(u_i − u_j).
Mat lyapunov_potential(MapKind map, const Vec& a, const Vec& u);
// One entry Φ_ij without the p × p matrix (a live plot of a few pairs at p in the thousands).
double lyapunov_potential_pair(MapKind map, const Vec& a, const Vec& u, Index i, Index j);
// 1 / (1 + (δ/p) ∫γ).
double polarization_bound(const InitialFacts& facts, double gamma_integral);

Record make_record(const Observation& obs, const InitialFacts& facts, std::int64_t step, double t,
                   double gamma_integral);

}  // namespace polarlab
