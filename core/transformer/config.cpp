#include "core/transformer/config.hpp"

#include <algorithm>
#include <thread>

#include "core/transformer/config_table.hpp"
#include "core/types.hpp"
#include "core/util/enum_names.hpp"

namespace polarlab::transformer {

namespace {
constexpr EnumName<AttentionKind> kAttentionNames[] = {
    {AttentionKind::softmax, "softmax"},
    {AttentionKind::uniform, "uniform"},
    {AttentionKind::sigmoid_norm, "sigmoid_norm"},
    {AttentionKind::sigmoid_unnorm, "sigmoid_unnorm"},
    {AttentionKind::linear, "linear"},
    {AttentionKind::linear_unnorm, "linear_unnorm"},
    {AttentionKind::coupled_linear_norm, "coupled_linear_norm"},
    {AttentionKind::coupled_linear_unnorm, "coupled_linear_unnorm"},
    {AttentionKind::raw_dotproduct_norm, "raw_dotproduct_norm"},
    {AttentionKind::raw_dotproduct_unnorm, "raw_dotproduct_unnorm"},
    {AttentionKind::mlp_norm, "mlp_norm"},
    {AttentionKind::mlp_unnorm, "mlp_unnorm"}};
constexpr EnumName<Positional> kPositionalNames[] = {{Positional::concat, "concat"},
                                                     {Positional::add, "add"},
                                                     {Positional::none, "no"},
                                                     {Positional::add, "additive", kAlias},
                                                     {Positional::none, "none", kAlias}};
constexpr EnumName<TaskKind> kTaskNames[] = {{TaskKind::induction, "induction"},
                                             {TaskKind::classification, "classification"}};
}  // namespace

const std::vector<std::string>& attention_names() {
  static const std::vector<std::string> names = names_of(kAttentionNames);
  return names;
}

AttentionKind attention_from_name(const std::string& name) {
  if (auto a = parse_name(kAttentionNames, name)) return *a;
  throw ConfigError("attention", "unknown attention '" + name + "'; one of: " + joined_names(kAttentionNames, " "));
}

std::string name_of(AttentionKind a) { return polarlab::name_of(kAttentionNames, a); }
std::string name_of(Positional p) { return polarlab::name_of(kPositionalNames, p); }
std::string name_of(TaskKind t) { return polarlab::name_of(kTaskNames, t); }

Positional positional_from_name(const std::string& name) {
  if (auto p = parse_name(kPositionalNames, name)) return *p;
  throw ConfigError("positional",
                    "unknown positional type '" + name + "'; one of: " + joined_names(kPositionalNames, " "));
}

TaskKind task_from_name(const std::string& name) {
  if (auto t = parse_name(kTaskNames, name)) return *t;
  throw ConfigError("task", "unknown task '" + name + "'; one of: " + joined_names(kTaskNames, " "));
}

int TrainConfig::input_vocab() const {
  return task == TaskKind::induction && shift_query ? 2 * vocab : vocab;
}
int TrainConfig::output_size() const { return task == TaskKind::induction ? input_vocab() : labels; }
// A batch or train set of 0 or less (a half-typed field in the GUI) has no steps; validate() refuses it.
long long TrainConfig::steps_per_epoch() const {
  return batch_size >= 1 && train_size >= 1 ? (train_size + batch_size - 1) / batch_size : 0;
}
long long TrainConfig::total_steps() const { return steps > 0 ? steps : epochs * steps_per_epoch(); }

TrainConfig tiny_model(TrainConfig c) {
  c.d_model = 32;
  c.d_ff = 64;
  c.train_size = 32768;
  c.eval_size = 256;
  c.batch_size = 64;
  c.log_every = 10;
  return c;
}

TrainConfig resolve_defaults(TrainConfig c) {
  const bool ind = c.task == TaskKind::induction;
  if (c.vocab == 0) c.vocab = ind ? 50 : 41;
  if (c.train_size == 0) c.train_size = ind ? 100000 : 10000;
  if (c.log_every == 0) c.log_every = ind ? 50 : 10;
  if (!c.causal) c.causal = ind;
  if (c.threads == 0) c.threads = default_threads();
  return c;
}

void validate(const TrainConfig& c) {
  auto need = [](bool ok, const char* field, const std::string& what) {
    if (!ok) throw ConfigError(field, what);
  };
  // Each number finite and in its field's range (the table's, shared with the flags, keywords and GUI fields);
  // what follows relates fields to each other.
  check_field_ranges(c);
  need(c.heads >= 1 && c.heads <= 64, "heads", "must be in 1..64");
  need(c.d_model % c.heads == 0, "heads", "must divide d_model (" + std::to_string(c.d_model) + ")");
  need(c.layers >= 1 && c.layers <= 16, "layers", "must be in 1..16");
  need(c.d_model >= 2 && c.d_ff >= 1, "d_model", "must be positive");
  need(c.positional != Positional::concat || c.d_model % 2 == 0, "d_model", "must be even for concat positions");
  need(c.seq_len() <= 512, "content_length", "sequence longer than the 512-row position table");
  need(c.content_length >= 2, "content_length", "must be >= 2");
  if (c.task == TaskKind::induction) {
    need(c.vocab - 1 >= c.content_length, "vocab", "needs at least content_length + 1 tokens (BOS + distinct)");
    need(c.aux_weight >= 0, "aux_weight", "must be >= 0");
  } else {
    need(c.labels >= 2, "labels", "must be >= 2");
    need(c.vocab >= 1 + c.labels && (c.vocab - 1) % c.labels == 0, "vocab",
         "must be 1 + labels·G (41, 81, 161 for 4 labels)");
    need((c.vocab - 1) / c.labels >= c.content_length, "vocab",
         "each label group needs at least content_length tokens");
  }
  need(c.lr > 0, "lr", "must be > 0");
  need(c.weight_decay >= 0, "weight_decay", "must be >= 0");
  need(c.batch_size >= 1, "batch_size", "must be >= 1");
  need(c.steps > 0 || c.epochs >= 1, "epochs", "give epochs >= 1 or steps >= 1");
  need(c.steps >= 0, "steps", "must be >= 0");
  need(c.train_size >= 1, "train_size", "must be >= 1");
  need(c.eval_size >= 2, "eval_size", "must be >= 2");
  need(c.device == "auto" || c.device == "cpu" || c.device == "cuda", "device", "one of: auto cpu cuda");
  need(c.threads >= 0 && c.threads <= 256, "threads", "must be in 0..256");
  need(c.log_every >= 0 && c.checkpoint_every >= 0, "log_every", "must be >= 0");
  need(c.flip_pairs >= 0, "flip_pairs", "must be >= 0");
  for (int s : c.attention_samples) need(s >= 0 && s < c.eval_size, "attention_samples", "index outside the eval set");
}

nlohmann::json to_json(const TrainConfig& c) {
  nlohmann::json j;
  for (const ConfigField& f : config_fields()) {
    nlohmann::json v = field_value(f, c);
    if (!v.is_null()) j[f.key] = std::move(v);  // an unset causal is left out
  }
  j["total_steps"] = c.total_steps();  // derived, for readers; ignored when read back
  return j;
}

TrainConfig train_config_from_json(const nlohmann::json& j) {
  TrainConfig c;
  if (!j.is_object())
    throw ConfigError("config", std::string("bad transformer config: expected a JSON object, got ") + j.type_name());
  try {
    for (const ConfigField& f : config_fields())
      if (j.contains(f.key)) set_field(f, c, j[f.key]);
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError("config", std::string("bad transformer config: ") + e.what());
  }
  return c;
}

int default_threads() {
  const int hw = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::clamp(hw <= 2 ? 1 : hw / 2, 1, 8);
}

}  // namespace polarlab::transformer
