// The dynamics experiment described once (issue 25.1): one row per parameter a person sets, with its type,
// range, unit, which models/methods/losses it applies to and a one-line doc. From it come the flags of
// `simulate`, `animate` and `ensemble` (app/cli/experiment_flags), the keywords of polarlab.simulate, the range
// checks of validate() (so JSON files, the GUI's fields and lecture overrides get the same refusals), and the
// generated reference. Like the transformer's config table (core/transformer/config_table.hpp).
#pragma once
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/experiment/config.hpp"

namespace polarlab {

enum class FieldType { integer, real, choice };

// Where a field has an effect; an empty list means every model (method, loss likewise).
struct Applies {
  std::vector<ModelKind> models;
  std::optional<Method> method;
  std::optional<LossKind> loss;
};

// The ExperimentConfig member a numeric field reads and writes (none for dim and the named choices).
static_assert(std::is_same_v<Index, std::int64_t>, "steps (int64) and the dimensions (Index) share one alternative");
using FieldMember = std::variant<std::monostate, double ExperimentConfig::*, Index ExperimentConfig::*,
                                 int ExperimentConfig::*, std::uint32_t ExperimentConfig::*>;

struct ExperimentField {
  std::string name;  // flag (--name with '_' as '-'), Python keyword, lecture override key; "dim" is D or T
  std::string key;   // config.json key ("D" for dim: the sink model's is "T")
  FieldType type;
  double min, max;       // inclusive bounds; always finite
  bool min_open = false;  // (min, max] instead of [min, max]
  std::string unit;       // "" or a unit ("time", "GD steps")
  std::string doc;        // one line, the flag's help
  Applies applies;
  std::vector<std::string> choices;  // choice fields: the accepted names
  bool flag = true;                  // a CLI flag of simulate/animate (and Python keyword)
  FieldMember member{};
};

// Every settable experiment parameter, in the order of --help.
const std::vector<ExperimentField>& experiment_fields();
const ExperimentField* experiment_field(const std::string& name);  // by name or config key; nullptr if unknown
std::string flag_of(const ExperimentField& f);                     // "--t-end"

// "[1, 4096]", "(0, 1e+300]", "gd, flow" — for messages and --help.
std::string range_text(const ExperimentField& f);

// A value from the command line, checked: numbers finite and in range, integers without wrap, choices known.
// Throws ConfigError(where, ...) naming `where` (the flag, or the keyword).
nlohmann::json parse_field_text(const ExperimentField& f, const std::string& text, const std::string& where);
// The same check for a JSON value (Python keywords, lecture overrides): a wrong type is refused too.
nlohmann::json check_field_value(const ExperimentField& f, const nlohmann::json& value, const std::string& where);

// Empty when the field has an effect on cfg; otherwise why not, e.g. "applies to model regression (presets:
// fig3); this run's model is value_softmax".
std::string why_not_applicable(const ExperimentField& f, const ExperimentConfig& cfg);

// The value a field has in cfg (as config.json writes it), and the field set to a value already checked.
nlohmann::json field_value(const ExperimentField& f, const ExperimentConfig& cfg);
void set_field_value(const ExperimentField& f, ExperimentConfig& cfg, const nlohmann::json& value);

// Values a person gave (flag, keyword or scene override), in the order given, each already checked.
struct ExperimentOverrides {
  std::vector<std::pair<const ExperimentField*, nlohmann::json>> values;
  // Sets one by name; ConfigError naming `where` for an unknown name or a bad value.
  void set_text(const std::string& name, const std::string& text, const std::string& where);
  void set_json(const std::string& name, const nlohmann::json& value, const std::string& where);
  bool empty() const { return values.empty(); }
  bool has(const std::string& name) const;
  // As a partial config object (D or T for dim, by the model).
  nlohmann::json to_json(ModelKind model) const;
};

// A preset (or config object) with the overrides, then every given value checked to apply to the result:
// "--kappa applies to model regression (presets: fig3); preset fig2 is value_softmax". `prefix` is put before
// names in messages ("--" for flags, "" for keywords).
ExperimentConfig resolve_experiment(const std::string& preset, const ExperimentOverrides& o,
                                    const std::string& prefix = "--");
ExperimentConfig resolve_experiment_config(nlohmann::json cfg, const ExperimentOverrides& o,
                                           const std::string& origin, const std::string& prefix = "--");
// Throws ConfigError for the first given value that does not apply to cfg.
void check_overrides_apply(const ExperimentOverrides& o, const ExperimentConfig& cfg, const std::string& origin,
                           const std::string& prefix = "--");

// Range checks of every numeric field of cfg (validate() calls it): ConfigError naming the config key.
void check_field_ranges(const ExperimentConfig& cfg);

}  // namespace polarlab
