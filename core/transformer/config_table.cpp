#include "core/transformer/config_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "core/types.hpp"
#include "core/util/checked_values.hpp"

namespace polarlab::transformer {

namespace {

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::vector<ConfigField> make_fields() {
  using T = TrainConfig;
  using F = FieldType;
  std::vector<ConfigField> f;
  auto add = [&](std::string key, FieldMember m, F type) -> ConfigField& {
    ConfigField c;
    c.key = std::move(key);
    c.member = m;
    c.type = type;
    f.push_back(std::move(c));
    return f.back();
  };
  // Sweep parameters, in the results database's column order.
  {
    auto& c = add("task", &T::task, F::text);
    c.choices = {"induction", "classification"};
    c.flag = "--task", c.help = "induction or classification", c.flag_checks_choices = true;
    c.sweep = "task", c.sweep_aliases = {"task_type"}, c.resume = true;
  }
  {
    auto& c = add("attention", &T::attention, F::text);
    c.choices = attention_names();
    c.flag = "--attention", c.help = joined(attention_names(), " ");
    c.sweep = "attention", c.sweep_aliases = {"attention_type", "attn_type", "attention_fn"}, c.resume = true;
  }
  {
    auto& c = add("positional", &T::positional, F::text);
    c.choices = {"concat", "add", "no"};
    c.value_aliases = {{"additive", "add"}, {"none", "no"}};
    c.flag = "--positional", c.help = "concat, add or no (default: concat for induction, no for classification)";
    c.sweep = "positional";
    c.sweep_aliases = {"positional_encoding", "pos_encoding", "positional_type", "pos_type", "pos_enc"};
    c.resume = true;
  }
  {
    auto& c = add("heads", &T::heads, F::integer);
    c.flag = "--heads", c.help = "Heads per layer (divides 128)";
    c.sweep = "heads", c.sweep_aliases = {"n_heads", "num_heads", "n_head"}, c.sweep_positive = true, c.resume = true;
    c.min = 1, c.max = 64;
  }
  {
    auto& c = add("layers", &T::layers, F::integer);
    c.flag = "--layers", c.help = "Transformer blocks";
    c.sweep = "layers", c.sweep_aliases = {"n_layers", "num_layers", "n_layer"}, c.sweep_positive = true;
    c.resume = true, c.min = 1, c.max = 16;
  }
  {
    auto& c = add("lr", &T::lr, F::real);
    c.flag = "--lr", c.help = "AdamW learning rate (constant)";
    c.sweep = "lr", c.sweep_aliases = {"learning_rate"}, c.resume = true;
    c.min = 0, c.max = 10, c.min_open = true;  // AdamW's step is about lr per coordinate: past 10 nothing is learned
  }
  {
    auto& c = add("aux_weight", &T::aux_weight, F::real);
    c.flag = "--aux-weight", c.help = "Induction: weight λ of the mean CE over the non-final positions";
    c.sweep = "aux_weight", c.sweep_aliases = {"aux_loss_weight", "aux_loss_coef", "lambda", "lam"}, c.resume = true;
    c.min = 0, c.max = 1000, c.only_task = TaskKind::induction;
  }
  {
    auto& c = add("seed", &T::seed, F::integer);
    c.flag = "--seed", c.help = "Seed of data, shuffles and initialization";
    c.sweep = "seed", c.sweep_aliases = {"random_seed"}, c.resume = true;
    c.min = 0, c.max = std::numeric_limits<int>::max();  // seeds the generators as an unsigned value: no negatives
  }
  {
    auto& c = add("shift_query", &T::shift_query, F::boolean);
    c.flag = "--shift-query", c.help = "Induction: the query is a separate copy of the vocabulary (m_r + V)";
    c.sweep = "shift_query", c.sweep_aliases = {"shift_query_token"}, c.resume = true;
    c.only_task = TaskKind::induction;
  }
  {
    auto& c = add("vocab", &T::vocab, F::integer);
    c.flag = "--vocab", c.help = "Vocabulary size V (induction 50; classification 41, 81, 161)";
    c.sweep = "vocab", c.sweep_aliases = {"vocab_size", "n_vocab"}, c.sweep_positive = true, c.resume = true;
    c.min = 2, c.max = 100000, c.zero_is_default = true;
  }
  {
    auto& c = add("labels", &T::labels, F::integer);
    c.flag = "--labels", c.help = "Classification labels (4)";
    c.sweep = "labels", c.sweep_aliases = {"n_labels", "num_labels", "n_classes", "num_classes"}, c.resume = true;
    c.min = 2, c.max = 1000, c.only_task = TaskKind::classification;
  }
  {
    auto& c = add("use_mlp", &T::use_mlp, F::boolean);
    c.negated_flag = "--no-mlp", c.negated_help = "Blocks without the MLP";
    c.sweep = "mlp", c.sweep_aliases = {"use_mlp"}, c.sweep_negations = {"no_mlp"}, c.resume = true;
  }
  {
    auto& c = add("use_layernorm", &T::use_layernorm, F::boolean);
    c.negated_flag = "--no-layernorm", c.negated_help = "LayerNorms become the identity";
    c.sweep = "layernorm", c.sweep_aliases = {"use_layernorm", "use_layer_norm", "layer_norm"};
    c.sweep_negations = {"no_layernorm", "no_layer_norm"}, c.resume = true;
  }
  {
    auto& c = add("causal", &T::causal, F::boolean);
    c.flag = "--causal", c.negated_flag = "--non-causal";
    c.help = "Force the causal mask (default: induction only)", c.negated_help = "Drop the causal mask";
    c.sweep = "causal", c.sweep_aliases = {"causal_mask", "is_causal"}, c.sweep_negations = {"non_causal"};
    c.resume = true;
  }
  {
    auto& c = add("steps", &T::steps, F::integer);
    c.flag = "--steps", c.help = "Optimizer steps (overrides epochs)";
    c.sweep = "steps", c.sweep_aliases = {"max_steps", "num_steps", "n_steps"};
    c.min = 1, c.max = 1e12, c.zero_is_default = true;  // 0 in a config: the budget is epochs
  }
  {
    auto& c = add("epochs", &T::epochs, F::integer);
    c.flag = "--epochs", c.help = "Epochs (default 10)";
    c.sweep = "epochs", c.sweep_aliases = {"n_epochs", "num_epochs"};
    c.min = 1, c.max = 1000000;
  }
  {
    auto& c = add("batch_size", &T::batch_size, F::integer);
    c.flag = "--batch-size", c.help = "Batch size (256)";
    c.sweep = "batch_size", c.sweep_aliases = {"batch"}, c.sweep_positive = true, c.resume = true;
    c.min = 1, c.max = 1000000;
  }
  {
    auto& c = add("train_size", &T::train_size, F::integer);
    c.flag = "--train-size", c.help = "Training sequences (100000 induction, 10000 classification)";
    c.sweep = "train_size", c.sweep_aliases = {"n_train", "num_train"}, c.resume = true;
    c.min = 1, c.max = 100000000, c.zero_is_default = true;
  }
  {
    auto& c = add("eval_size", &T::eval_size, F::integer);
    c.flag = "--eval-size", c.help = "Evaluation sequences (1000)";
    c.sweep = "eval_size", c.sweep_aliases = {"n_eval", "num_eval"}, c.resume = true;
    c.min = 2, c.max = 10000000;
  }
  {
    auto& c = add("log_every", &T::log_every, F::integer);
    c.flag = "--log-every", c.help = "Steps between metrics rows (50 induction, 10 classification)";
    c.sweep = "log_every";
    c.min = 1, c.max = std::numeric_limits<int>::max(), c.zero_is_default = true;
  }
  {
    auto& c = add("checkpoint_every", &T::checkpoint_every, F::integer);
    c.flag = "--checkpoint-every", c.help = "Steps between checkpoints (500; 0: only at the end)";
    c.sweep = "checkpoint_every";
    c.min = 0, c.max = std::numeric_limits<int>::max();
  }
  {
    auto& c = add("flip_pairs", &T::flip_pairs, F::integer);
    c.flag = "--flip-pairs", c.help = "Classification: pairs of the flip-rate probe (500)";
    c.sweep = "flip_pairs";
    c.min = 0, c.max = 10000000, c.only_task = TaskKind::classification;
  }
  {
    auto& c = add("threads", &T::threads, F::integer);
    c.flag = "--threads";
    c.help = "Torch intra-op threads (0 or left out: half the cores, at most 8; 1 on 2 cores)";
    c.sweep = "threads", c.min = 0, c.max = 256;
  }
  {
    auto& c = add("device", &T::device, F::text);
    c.choices = {"auto", "cpu", "cuda"};
    c.flag = "--device", c.help = "auto, cpu or cuda", c.flag_checks_choices = true;
    c.sweep = "device";
  }
  // Fixed by the paper's set-up: in config.json, not swept.
  {
    auto& c = add("d_model", &T::d_model, F::integer);
    c.resume = true, c.min = 2, c.max = 4096;
  }
  {
    auto& c = add("d_ff", &T::d_ff, F::integer);
    c.resume = true, c.min = 1, c.max = 65536;
  }
  {
    auto& c = add("content_length", &T::content_length, F::integer);
    c.resume = true, c.min = 2, c.max = 510;  // + BOS and query: the 512-row position table
  }
  {
    auto& c = add("weight_decay", &T::weight_decay, F::real);
    c.resume = true, c.min = 0, c.max = 10;
  }
  {
    auto& c = add("attention_samples", &T::attention_samples, F::integers);
    c.flag = "--attention-samples", c.help = "Eval samples whose attention maps go to attention.json";
    c.min = 0, c.max = 10000000;  // each below --eval-size (validate)
  }
  add("record_cls_attention", &T::record_cls_attention, F::boolean).only_task = TaskKind::classification;
  return f;
}

}  // namespace

const std::vector<ConfigField>& config_fields() {
  static const std::vector<ConfigField> fields = make_fields();
  return fields;
}

const ConfigField* field_by_key(const std::string& key) {
  for (const auto& f : config_fields())
    if (f.key == key) return &f;
  return nullptr;
}

const ConfigField* field_by_sweep_name(const std::string& name) {
  for (const auto& f : config_fields()) {
    if (f.sweep.empty()) continue;
    if (f.sweep == name) return &f;
    if (std::find(f.sweep_aliases.begin(), f.sweep_aliases.end(), name) != f.sweep_aliases.end()) return &f;
  }
  return nullptr;
}

std::string canonical_text(const ConfigField& f, const std::string& value) {
  for (const auto& [alias, canonical] : f.value_aliases)
    if (alias == value) return canonical;
  return value;
}

nlohmann::json field_value(const ConfigField& f, const TrainConfig& c) {
  return std::visit(
      [&](auto m) -> nlohmann::json {
        const auto& v = c.*m;
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, std::optional<bool>>) return v ? nlohmann::json(*v) : nlohmann::json();
        else if constexpr (std::is_enum_v<V>) return name_of(v);
        else return v;
      },
      f.member);
}

void set_field(const ConfigField& f, TrainConfig& c, const nlohmann::json& j) {
  std::visit(
      [&](auto m) {
        auto& v = c.*m;
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, TaskKind>) v = task_from_name(j.get<std::string>());
        else if constexpr (std::is_same_v<V, AttentionKind>) v = attention_from_name(j.get<std::string>());
        else if constexpr (std::is_same_v<V, Positional>) v = positional_from_name(j.get<std::string>());
        else if constexpr (std::is_same_v<V, std::optional<bool>>) v = j.get<bool>();
        else if constexpr (std::is_same_v<V, std::string>) v = canonical_text(f, j.get<std::string>());
        else v = j.get<V>();
      },
      f.member);
}

const std::vector<std::string>& resume_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& f : config_fields())
      if (f.resume) k.push_back(f.key);
    return k;
  }();
  return keys;
}

void check_resume_compatible(const nlohmann::json& old, const nlohmann::json& now, const std::string& dir) {
  for (const std::string& key : resume_keys())
    if (!old.is_object() || old.value(key, nlohmann::json()) != now.value(key, nlohmann::json()))
      throw ConfigError("resume", "the run in '" + dir + "' has a different '" + key +
                                      "'; resume with the same settings or use another --out");
}

namespace {

bool is_number_field(const ConfigField& f) {
  return f.type == FieldType::integer || f.type == FieldType::real || f.type == FieldType::integers;
}

// A JSON number as a person wrote it, for messages (nlohmann writes NaN and inf as null).
std::string shown(const nlohmann::json& v) {
  if (v.is_number_float()) return checked::number_text(v.get<double>());
  return v.dump();
}

// Why one number (a real, an integer or an entry of an integer list) is refused; empty when accepted.
std::string number_refusal(const ConfigField& f, const nlohmann::json& v) {
  const bool integer = f.type != FieldType::real;
  const std::string want = (integer ? "give an integer in " : "give a finite number in ") + range_text(f);
  if (!v.is_number()) return "expected a number, got " + std::string(v.type_name()) + " " + v.dump() + "; " + want;
  if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(f.max))
    return shown(v) + " is out of range; " + want;
  const double x = v.get<double>();
  if (!std::isfinite(x)) return "'" + shown(v) + "' is not a finite number; " + want;  // as the flag's text
  if (integer && v.is_number_float() && x != std::floor(x)) return shown(v) + " is not an integer; " + want;
  if (x < f.min || x > f.max || (f.min_open && x == f.min)) return shown(v) + " is out of range; " + want;
  return "";
}

}  // namespace

std::string range_text(const ConfigField& f) {
  return is_number_field(f) ? checked::range_text(f.min, f.max, f.min_open) : "";
}

std::string value_refusal(const ConfigField& f, const nlohmann::json& v) {
  switch (f.type) {
    case FieldType::integer:
    case FieldType::real: return number_refusal(f, v);
    case FieldType::integers: {
      if (!v.is_array()) return "expected a list of integers, got " + std::string(v.type_name()) + " " + v.dump();
      for (const auto& x : v)
        if (std::string why = number_refusal(f, x); !why.empty()) return why;
      return "";
    }
    case FieldType::boolean:
      return v.is_boolean() ? "" : "expected true or false, got " + std::string(v.type_name()) + " " + v.dump();
    case FieldType::text: {
      if (!v.is_string()) return "expected a string, got " + std::string(v.type_name()) + " " + v.dump();
      const std::string t = canonical_text(f, v.get<std::string>());
      if (f.choices.empty() || std::find(f.choices.begin(), f.choices.end(), t) != f.choices.end()) return "";
      return "unknown value '" + v.get<std::string>() + "'; one of: " + joined(f.choices, " ");
    }
  }
  return "";
}

std::string text_refusal(const ConfigField& f, const std::string& text) {
  switch (f.type) {
    case FieldType::real: return checked::real_refusal(text, f.min, f.max, f.min_open);
    case FieldType::integer:
    case FieldType::integers:
      return checked::integer_refusal(text, static_cast<long long>(f.min), static_cast<long long>(f.max));
    case FieldType::boolean:
      return text == "true" || text == "false" ? "" : "'" + text + "' is not true or false";
    case FieldType::text: return value_refusal(f, nlohmann::json(text));
  }
  return "";
}

nlohmann::json value_of_text(const ConfigField& f, const std::string& text, const std::string& where) {
  if (std::string why = text_refusal(f, text); !why.empty()) throw ConfigError(where, why);
  switch (f.type) {
    case FieldType::real: return *checked::parse_real(text);
    case FieldType::integer: return *checked::parse_integer(text);
    case FieldType::integers: return nlohmann::json::array({*checked::parse_integer(text)});
    case FieldType::boolean: return text == "true";
    case FieldType::text: return text;
  }
  return text;
}

void check_field_ranges(const TrainConfig& c) {
  for (const ConfigField& f : config_fields()) {
    if (!is_number_field(f)) continue;
    const nlohmann::json v = field_value(f, c);
    if (f.zero_is_default && v == 0) continue;
    if (f.key == "epochs" && c.steps > 0) continue;  // steps set the budget; epochs are not used
    if (std::string why = value_refusal(f, v); !why.empty()) throw ConfigError(f.key, why);
  }
}

TrainConfig train_config_from_values(const std::vector<GivenValue>& values) {
  for (const GivenValue& g : values)
    if (std::string why = value_refusal(*g.field, g.value); !why.empty()) throw ConfigError(g.name, why);
  // One value per field: two (--causal with --non-causal, no_mlp with use_mlp) would leave one silently unused.
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t j = i + 1; j < values.size(); ++j) {
      if (values[i].field != values[j].field) continue;
      const std::string both = values[i].name == values[j].name ? values[i].name
                                                                 : values[i].name + " and " + values[j].name;
      throw ConfigError(both, "contradict each other (both set '" + values[i].field->key + "'); give only one");
    }
  const GivenValue* steps = nullptr;
  const GivenValue* epochs = nullptr;
  for (const GivenValue& g : values) {
    if (g.field->key == "steps") steps = &g;
    if (g.field->key == "epochs") epochs = &g;
  }
  if (steps && epochs)
    throw ConfigError(steps->name + " and " + epochs->name,
                      "give one budget: steps (optimizer steps) or epochs, not both");
  TrainConfig c;
  bool positional_given = false;
  for (const ConfigField& f : config_fields()) {  // table order, whatever order the values come in
    for (const GivenValue& g : values) {
      if (g.field != &f) continue;
      try {
        set_field(f, c, g.value);
      } catch (const nlohmann::json::exception& e) {
        throw ConfigError(g.name, "'" + g.value.dump() + "' has the wrong type: " + e.what());
      } catch (const ConfigError& e) {
        throw ConfigError(g.name, e.what());
      }
      positional_given |= f.key == "positional";
    }
  }
  // A value that has no effect on this run's task would be recorded in config.json yet change nothing.
  for (const GivenValue& g : values)
    if (g.field->only_task && *g.field->only_task != c.task)
      throw ConfigError(g.name, "applies to task " + name_of(*g.field->only_task) + " only; this run's task is " +
                                    name_of(c.task) + " (leave it out, or set the task)");
  if (!positional_given) c.positional = c.task == TaskKind::induction ? Positional::concat : Positional::none;
  return resolve_defaults(c);
}

TrainConfig train_config_from_values(const std::vector<std::pair<const ConfigField*, nlohmann::json>>& values) {
  std::vector<GivenValue> given;
  for (const auto& [f, v] : values) given.push_back({f, v, f->sweep.empty() ? f->key : f->sweep});
  return train_config_from_values(given);
}

}  // namespace polarlab::transformer
