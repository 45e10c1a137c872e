#include "core/loss/loss.hpp"

namespace polarlab {

namespace {
struct Entry {
  LossKind kind;
  const char* name;
};
constexpr Entry kLosses[] = {{LossKind::logistic, "logistic"},
                             {LossKind::square, "square"},
                             {LossKind::cross_entropy, "cross_entropy"}};
}  // namespace

std::optional<LossKind> parse_loss(std::string_view name) {
  for (const auto& e : kLosses)
    if (name == e.name) return e.kind;
  if (name == "cross-entropy" || name == "ce" || name == "kl") return LossKind::cross_entropy;
  return std::nullopt;
}

std::string loss_name(LossKind kind) {
  for (const auto& e : kLosses)
    if (e.kind == kind) return e.name;
  return "?";
}

const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = {"logistic", "square", "cross_entropy"};
  return names;
}

}  // namespace polarlab
