// The transformer lab's run configuration (spec §7): task, model, attention function, optimizer, budget.
// Torch-free so the CLI, the GUI and the sweep can build configs without libtorch headers.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace polarlab::transformer {

enum class TaskKind { induction, classification };
enum class Positional { concat, add, none };
// Table 1 of the paper, named as in the official code.
enum class AttentionKind {
  softmax,
  uniform,
  sigmoid_norm,
  sigmoid_unnorm,
  linear,
  linear_unnorm,
  coupled_linear_norm,
  coupled_linear_unnorm,
  raw_dotproduct_norm,
  raw_dotproduct_unnorm,
  mlp_norm,
  mlp_unnorm,
};

const std::vector<std::string>& attention_names();  // the 12 names, in enum order
AttentionKind attention_from_name(const std::string& name);  // throws ConfigError
std::string name_of(AttentionKind a);
std::string name_of(Positional p);  // "concat", "add", "no"
std::string name_of(TaskKind t);
Positional positional_from_name(const std::string& name);
TaskKind task_from_name(const std::string& name);

// Every field has one row in the field table (config_table.hpp/.cpp): its config.json key, train flag, sweep
// parameter and whether it must match to resume. A new field needs its row there (config_table_test checks that
// every row round-trips through config.json).
struct TrainConfig {
  TaskKind task = TaskKind::induction;
  AttentionKind attention = AttentionKind::softmax;
  Positional positional = Positional::concat;
  int heads = 4;
  int layers = 2;
  int d_model = 128;
  int d_ff = 512;
  int vocab = 0;              // 0: 50 (induction) or 41 (classification)
  int labels = 4;             // classification
  int content_length = 10;    // m₁…m₁₀ (induction) / 10 tokens per sample (classification)
  bool shift_query = false;   // induction: q = m_r + V (a separate copy of the vocabulary)
  double aux_weight = 0.2;    // λ: weight of the mean CE over the non-final positions (induction)
  double lr = 1e-3;
  double weight_decay = 0.01;
  int batch_size = 256;
  int epochs = 10;
  long long steps = 0;        // > 0 overrides epochs
  int seed = 0;
  int train_size = 0;         // 0: 100,000 (induction) or 10,000 (classification)
  int eval_size = 1000;
  bool use_mlp = true;
  bool use_layernorm = true;
  std::optional<bool> causal;  // unset: causal for induction, not for classification
  std::string device = "auto";  // auto | cpu | cuda
  int threads = 0;              // torch intra-op threads; 0: default_threads()
  int log_every = 0;            // 0: 50 (induction) or 10 (classification)
  int checkpoint_every = 500;   // steps; 0: only at the end (and on cancel)
  int flip_pairs = 500;         // classification flip rate
  std::vector<int> attention_samples = {0};  // eval samples whose attention maps are kept
  bool record_cls_attention = true;          // classification: CLS rows of one sample per label, every step

  // Derived values (after resolve_defaults).
  bool is_causal() const { return causal.value_or(task == TaskKind::induction); }
  int seq_len() const { return task == TaskKind::induction ? content_length + 2 : content_length + 1; }
  int input_vocab() const;   // embedding rows: V, or 2V with shift_query
  int output_size() const;   // logits: 2V / V (induction) or labels (classification)
  long long steps_per_epoch() const;
  long long total_steps() const;
};

TrainConfig resolve_defaults(TrainConfig c);  // fills the task-dependent zeros
// The tiny model and data set of live demos (the GUI's --train-tiny, lecture scenes with `tiny: true`): seconds
// on two cores. d 32, d_ff 64, 32,768 training and 256 eval sequences, batch 64, a row every 10 steps; the rest
// (task, attention, depth, heads) as in `c`. The spec's model is d 128 on 100,000 sequences.
TrainConfig tiny_model(TrainConfig c);
void validate(const TrainConfig& c);          // throws ConfigError naming the field
nlohmann::json to_json(const TrainConfig& c);                  // the field table's keys, plus total_steps
TrainConfig train_config_from_json(const nlohmann::json& j);  // missing keys keep TrainConfig's defaults

// Torch intra-op threads when none is given: half the cores, at most 8, and 1 on a 2-core machine.
// Measured on the 2-core CI box with neighbours busy (bench/transformer_step_bench, spec induction step):
// 1 thread 198 ms/step, 2 threads 1853 ms/step: libgomp's workers spin-wait for cores that other processes
// hold, so asking for every core collapses as soon as the UI, the ODE worker or a compile runs beside us.
// Half the cores leaves room for them; past 8 the 3072×128 GEMMs of this model stop scaling.
// (OMP_WAIT_POLICY=passive in the environment softens the collapse: 2 threads then 243 ms/step.)
int default_threads();

}  // namespace polarlab::transformer
