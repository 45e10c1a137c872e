// The maps σ: R^p → R^p that turn logits a into scores s (paper §3.2 "Other non-linearities").
// Every map has a vector–Jacobian product, so gradients need no autodiff library.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace polarlab {

enum class MapKind { softmax, sigmoid, relu, l1, sum, l2, relu_norm };

// The official code adds this to the denominators of the normalized maps σ_f.
inline constexpr double kNormalizedMapEps = 1e-10;

std::optional<MapKind> parse_map(std::string_view name);
std::string map_name(MapKind kind);
const std::vector<std::string>& map_names();
// Normalized maps (softmax included) keep Σ s = 1 and have the replicator structure; sigmoid, relu do not.
bool is_normalized(MapKind kind);

// s = σ(a). Throws NumericalError when a normalized map's denominator vanishes.
void map_apply(MapKind kind, const Vec& a, Vec& s);
// out = J_σ(a)ᵀ g, given s = σ(a).
void map_vjp(MapKind kind, const Vec& a, const Vec& s, const Vec& g, Vec& out);
// G with G' = 1/f' (Appendix D.2), the map's coordinate in the Lyapunov potential
// Φ_ij = (G(a_i) − G(a_j))(u_i − u_j). NaN for the element-wise maps, which have none.
double potential_coordinate(MapKind kind, double a);

// Per-family kernels (one file each).
void softmax(const Vec& a, Vec& s);
void softmax_vjp(const Vec& s, const Vec& g, Vec& out);
void normalized_map(MapKind kind, const Vec& a, Vec& s);
void normalized_map_vjp(MapKind kind, const Vec& a, const Vec& s, const Vec& g, Vec& out);
void elementwise_map(MapKind kind, const Vec& a, Vec& s);
void elementwise_map_vjp(MapKind kind, const Vec& a, const Vec& s, const Vec& g, Vec& out);

}  // namespace polarlab
