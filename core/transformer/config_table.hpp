// The transformer configuration described once: one row per TrainConfig field, from which everything that names
// a field is derived (issue 15.4):
//   - config.json (to_json / train_config_from_json): `key` is the JSON key and the member's name;
//   - the train command's flags (`flag`, `negated_flag`, `help`, `flag_checks_choices`);
//   - the sweep parameters (`sweep`, `sweep_aliases`, `sweep_negations`, `sweep_positive`): a sweep value is
//     handed to `polarlab-cli train` as the field's flag, and the results database's column is `sweep`;
//   - the resume check (`resume`: must be equal for a checkpoint to continue);
//   - the readers of a run's config.json (GUI, results store): train_config_from_json, then resolve_defaults.
// Default values are TrainConfig's member initializers (read through field_value(f, TrainConfig{})), never repeated.
// The rows are in the order of the results database's columns (the sweep parameters first). Torch-free.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/transformer/config.hpp"

namespace polarlab::transformer {

enum class FieldType { integer, real, boolean, text, integers };

using FieldMember =
    std::variant<int TrainConfig::*, long long TrainConfig::*, double TrainConfig::*, bool TrainConfig::*,
                 std::optional<bool> TrainConfig::*, std::string TrainConfig::*, std::vector<int> TrainConfig::*,
                 TaskKind TrainConfig::*, AttentionKind TrainConfig::*, Positional TrainConfig::*>;

struct ConfigField {
  std::string key;                   // config.json key (= the TrainConfig member)
  FieldMember member;
  FieldType type;
  std::vector<std::string> choices;  // text: the accepted values, canonical spellings (empty: any)
  std::vector<std::pair<std::string, std::string>> value_aliases;  // text: other spelling → canonical value
  std::string flag;                  // `train` flag; booleans: the flag that sets true (empty: none)
  std::string negated_flag;          // booleans: the flag that sets false ("--no-mlp")
  std::string help;                  // the flag's help text
  std::string negated_help;          // the negated flag's help text
  bool flag_checks_choices = false;  // the flag refuses other values itself (CLI11 IsMember, shown in --help)
  std::string sweep;                 // sweep parameter name and results column (empty: not sweepable)
  std::vector<std::string> sweep_aliases;    // other accepted spellings (the official code's names)
  std::vector<std::string> sweep_negations;  // names whose value is the negation ("no_mlp")
  bool sweep_positive = false;       // integers: a swept value must be >= 1 (else >= 0)
  bool resume = false;               // must be equal in config.json to resume a checkpoint
  // Numbers (integer, real, integers: each entry): the accepted range, always finite; reals must be finite. A
  // flag, keyword, sweep value and the GUI's field are checked against it (value_refusal), and validate() checks
  // a whole config against it, so every front end refuses the same values with the same words.
  double min = 0, max = 0;
  bool min_open = false;             // (min, max] instead of [min, max]
  bool zero_is_default = false;      // a config may hold 0 (resolve_defaults, or epochs for steps); a given 0 is refused
  std::optional<TaskKind> only_task;  // has an effect on this task only: a given value for the other is refused
};

// Every TrainConfig field, sweep parameters first in the results database's column order.
const std::vector<ConfigField>& config_fields();
const ConfigField* field_by_key(const std::string& key);  // nullptr when unknown
// A sweep parameter by its canonical name or an alias (not a negation); nullptr when unknown.
const ConfigField* field_by_sweep_name(const std::string& name);

// The field's value in c as config.json writes it (enums by name); null for an unset optional.
nlohmann::json field_value(const ConfigField& f, const TrainConfig& c);
// Sets the field from a JSON value (enum names through their *_from_name, text aliases applied). Throws
// ConfigError for a bad name and nlohmann::json::exception for a value of the wrong JSON type.
void set_field(const ConfigField& f, TrainConfig& c, const nlohmann::json& v);
// A text value with the field's value_aliases applied ("none" → "no"); other values unchanged.
std::string canonical_text(const ConfigField& f, const std::string& value);

// "[1, 64]", "(0, 10]" (numbers); "" for other types.
std::string range_text(const ConfigField& f);
// Why v cannot be given for f (empty: it can): the wrong JSON type, a non-finite number, a fraction for an
// integer, a value outside [min, max], a text outside the choices. Integral floats count as integers (1e6).
std::string value_refusal(const ConfigField& f, const nlohmann::json& v);
// The same for a value typed on the command line: numbers parsed strictly ("nan", "1e400" and a 20-digit
// integer are refused, never turned into inf or wrapped).
std::string text_refusal(const ConfigField& f, const std::string& text);
// A command-line value as the JSON value the field takes; throws ConfigError(where, text_refusal).
nlohmann::json value_of_text(const ConfigField& f, const std::string& text, const std::string& where);

// One value a user gave and the name they gave it under ("--lr" for a flag, "lr" for a keyword or sweep
// parameter): messages name it.
struct GivenValue {
  const ConfigField* field = nullptr;
  nlohmann::json value;
  std::string name;
};

// A config from the values a user gave, as `train` builds it from its flags, a sweep from a run's parameters and
// Python from keywords. Refused (ConfigError naming the value's name): a value value_refusal refuses; a field
// given twice (--causal with --non-causal, no_mlp with use_mlp); steps with epochs; a value whose field has no
// effect on the resulting task (only_task). Then each value is set through its field in table order, the task's
// positions when none is given (the paper's classification input is a set: none), then resolve_defaults. Not
// validated (validate() checks what depends on several fields).
TrainConfig train_config_from_values(const std::vector<GivenValue>& values);
// The same, each value named by its field's sweep parameter (else its key).
TrainConfig train_config_from_values(const std::vector<std::pair<const ConfigField*, nlohmann::json>>& values);
// Range checks of every numeric field of a (resolved) config, as validate() runs them: ConfigError naming the
// field's key.
void check_field_ranges(const TrainConfig& c);

// The config.json keys that must match to resume (ConfigField::resume), in table order.
const std::vector<std::string>& resume_keys();
// Throws ConfigError("resume", ...) naming the first resume key whose value differs between the config.json
// found in `dir` (old) and the config about to run (now, as to_json writes it).
void check_resume_compatible(const nlohmann::json& old, const nlohmann::json& now, const std::string& dir);

}  // namespace polarlab::transformer
