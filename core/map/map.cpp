#include "core/map/map.hpp"

#include <cmath>
#include <limits>

#include "core/util/enum_names.hpp"

namespace polarlab {

namespace {
constexpr EnumName<MapKind> kMapNames[] = {{MapKind::softmax, "softmax"}, {MapKind::sigmoid, "sigmoid"},
                                           {MapKind::relu, "relu"},       {MapKind::l1, "l1"},
                                           {MapKind::sum, "sum"},         {MapKind::l2, "l2"},
                                           {MapKind::relu_norm, "relu_norm"}};
}  // namespace

std::optional<MapKind> parse_map(std::string_view name) { return parse_name(kMapNames, name); }

std::string map_name(MapKind kind) { return name_of(kMapNames, kind); }

const std::vector<std::string>& map_names() {
  static const std::vector<std::string> names = names_of(kMapNames);
  return names;
}

bool is_normalized(MapKind kind) { return kind != MapKind::sigmoid && kind != MapKind::relu; }

void map_apply(MapKind kind, const Vec& a, Vec& s) {
  switch (kind) {
    case MapKind::softmax: return softmax(a, s);
    case MapKind::sigmoid:
    case MapKind::relu: return elementwise_map(kind, a, s);
    default: return normalized_map(kind, a, s);
  }
}

void map_vjp(MapKind kind, const Vec& a, const Vec& s, const Vec& g, Vec& out) {
  switch (kind) {
    case MapKind::softmax: return softmax_vjp(s, g, out);
    case MapKind::sigmoid:
    case MapKind::relu: return elementwise_map_vjp(kind, a, s, g, out);
    default: return normalized_map_vjp(kind, a, s, g, out);
  }
}

double potential_coordinate(MapKind kind, double a) {
  // G(a) = ∫_0^a dv / f'(v); only differences of G matter.
  switch (kind) {
    case MapKind::softmax: return -std::expm1(-a);  // 1 − e^{−a}
    case MapKind::sum:
    case MapKind::relu_norm: return a;
    case MapKind::l1: return std::abs(a);
    case MapKind::l2: return 0.5 * std::log(std::abs(a));
    default: return std::numeric_limits<double>::quiet_NaN();
  }
}

}  // namespace polarlab
