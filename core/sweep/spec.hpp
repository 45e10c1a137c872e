// A sweep spec: a grid of `polarlab-cli train` runs, in the official code's (wandb) sweep format:
//
//   method: grid
//   parameters:
//     attention_type: {values: [softmax, sigmoid_norm]}
//     n_heads: {values: [1, 2, 4, 8]}
//     task: {value: induction}          # a constant
//
// Parameter names are our train flags (attention, heads, aux_weight, ...) or the official code's names
// (attention_type, n_heads, aux_loss_weight, ...); both map to one canonical name (parameter_defs()). The
// parameters are the sweepable rows of the transformer's field table (core/transformer/config_table.hpp): names,
// aliases, negations, accepted values and the train flag of each come from there.
// Every run of the grid gets a stable id: run_id() hashes the canonical, name-sorted parameter set, so planning
// the same grid twice (or with the parameters in another order, or under alias names) gives the same ids.
// A planned sweep keeps its ids in plan.json; they are read from there, never recomputed (see plan.hpp).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/transformer/config.hpp"
#include "core/transformer/config_table.hpp"

namespace polarlab::sweep {

enum class ParamKind { integer, real, boolean, text };

struct ParamDef {
  std::string name;                  // canonical (a results-database column): ConfigField::sweep
  ParamKind kind;
  std::vector<std::string> aliases;  // other accepted spellings
  std::vector<std::string> choices;  // text parameters with a closed set of values (empty: any)
  std::string help;
  const transformer::ConfigField* field = nullptr;  // the TrainConfig field it sets (config.json key, train flag)
};

// Every parameter a spec may sweep, in the order of the results database's columns.
const std::vector<ParamDef>& parameter_defs();
// The canonical definition of a name or alias; throws ConfigError listing the known names.
const ParamDef& parameter_def(const std::string& name);
// The 12 attention functions of Table 1: transformer::attention_names().
const std::vector<std::string>& attention_types();

// One run: canonical name → value (JSON integer, number, boolean or string).
using Params = std::map<std::string, nlohmann::json>;

struct SweepParameter {
  std::string name;                   // canonical
  std::string spec_name;              // as written in the spec
  std::vector<nlohmann::json> values;  // canonical values; one for `value:`
};

struct SweepSpec {
  std::string name;  // the spec's `name:` (or empty)
  std::string method = "grid";
  std::vector<SweepParameter> parameters;  // spec order
  long long size() const;                  // product of the value counts
};

// Parses YAML text. `source` names the file in messages. Throws ConfigError on bad YAML, a method other than
// grid, an unknown parameter (listing the known ones), a malformed entry or a value of the wrong type.
SweepSpec parse_spec(const std::string& yaml_text, const std::string& source = "spec");
SweepSpec load_spec(const std::string& path);

// The canonical text of a parameter set: "name=value" sorted by name, joined by ';' (integers in decimal,
// reals in the shortest round-trip form, booleans true/false, text as is).
std::string canonical_string(const Params& p);

// Run ids (id scheme 2, the current one): the first 12 lowercase hex digits of the 64-bit FNV-1a hash (offset
// basis 14695981039346656037 = 0xcbf29ce484222325, prime 1099511628211 = 0x100000001b3, one byte at a time,
// xor then multiply) of the UTF-8 bytes of canonical_string(): every swept or constant parameter of the spec as
// "name=value" (canonical names, the results database's columns), sorted by name (byte order), joined by ';',
// no ';' at the end and no spaces. E.g. {heads: 2, lr: 0.001, seed: 3} hashes the 23 bytes
// "heads=2;lr=0.001;seed=3" to 82484c94d4cba4ce: run id 82484c94d4cb.
// Id scheme 1 (plans written before plan.json recorded "id_scheme") used the offset basis 1469598103934665603, a
// digit short of the standard one; everything else is the same. Plans keep the scheme they were written with.
inline constexpr int kIdScheme = 2;
std::uint64_t fnv1a_64(std::string_view bytes);  // the standard FNV-1a 64
std::string run_id(const Params& p, int id_scheme = kIdScheme);  // throws std::invalid_argument for an unknown scheme

struct PlannedRun {
  int index = 0;
  std::string id;
  Params params;
};

// The grid, the last parameter varying fastest, ids of the given scheme. Throws ConfigError when two grid points
// coincide.
std::vector<PlannedRun> expand(const SweepSpec& spec, int id_scheme = kIdScheme);

// The TrainConfig `polarlab-cli train` builds from a run's parameters (train_arguments), defaults resolved and
// validated exactly as train does. Throws ConfigError naming the field (transformer::validate()).
transformer::TrainConfig train_config_of(const Params& p);
// Checks every planned run with train_config_of before anything is written. Throws one ConfigError(source, ...)
// that names, for each distinct problem, the field, its value, the reason and how many runs it affects, e.g.
//   "4 of 8 planned runs cannot run:\n  heads = 3: must divide d_model (128) (4 runs, e.g. heads=3;seed=0)".
void validate_runs(const std::vector<PlannedRun>& runs, const std::string& source);

// The `polarlab-cli train` arguments of a run (without --out): every parameter becomes its field's flag
// (booleans: the field's flag when true, its negated flag when false, where the field has one: --shift-query,
// --no-mlp, --no-layernorm, --causal/--non-causal).
std::vector<std::string> train_arguments(const Params& p);

std::string format_value(const nlohmann::json& v);  // as in canonical_string

}  // namespace polarlab::sweep
