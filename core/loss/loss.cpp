#include "core/loss/loss.hpp"

#include "core/util/enum_names.hpp"

namespace polarlab {

namespace {
constexpr EnumName<LossKind> kLossNames[] = {{LossKind::logistic, "logistic"},
                                             {LossKind::square, "square"},
                                             {LossKind::cross_entropy, "cross_entropy"},
                                             {LossKind::cross_entropy, "cross-entropy", kAlias},
                                             {LossKind::cross_entropy, "ce", kAlias},
                                             {LossKind::cross_entropy, "kl", kAlias}};
}  // namespace

std::optional<LossKind> parse_loss(std::string_view name) { return parse_name(kLossNames, name); }

std::string loss_name(LossKind kind) { return name_of(kLossNames, kind); }

const std::vector<std::string>& loss_names() {
  static const std::vector<std::string> names = names_of(kLossNames);
  return names;
}

}  // namespace polarlab
