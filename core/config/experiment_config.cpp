#include "core/config/experiment_config.hpp"

#include "core/util/enum_names.hpp"

namespace polarlab {

namespace {
constexpr EnumName<ModelKind> kModelNames[] = {{ModelKind::value_softmax, "value_softmax"},
                                               {ModelKind::regression, "regression"},
                                               {ModelKind::tied, "tied"},
                                               {ModelKind::sink, "sink"}};
constexpr EnumName<InitKind> kInitKindNames[] = {{InitKind::assumption_3_1, "assumption_3_1"},
                                                 {InitKind::assumption_3_4, "assumption_3_4"},
                                                 {InitKind::gaussian, "gaussian"},
                                                 {InitKind::recipe, "recipe"},
                                                 {InitKind::explicit_values, "explicit"}};
}  // namespace

const char* init_kind_name(InitKind kind) { return name_of(kInitKindNames, kind); }
std::optional<InitKind> parse_init_kind(std::string_view name) { return parse_name(kInitKindNames, name); }
const std::vector<std::string>& init_kind_names() {
  static const std::vector<std::string> names = names_of(kInitKindNames);
  return names;
}

std::optional<ModelKind> parse_model(std::string_view name) { return parse_name(kModelNames, name); }

std::string model_name(ModelKind kind) { return name_of(kModelNames, kind); }

const std::vector<std::string>& model_names() {
  static const std::vector<std::string> names = names_of(kModelNames);
  return names;
}

}  // namespace polarlab
