// polarlab-cli train: train one transformer of spec §7 (induction or classification) and write a run directory.
// Compiles to nothing when the transformer lab is not built (no libtorch).
#ifdef HAVE_POLARLAB_TRANSFORMER
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>

#include "app/cli/command.hpp"
#include "core/transformer/train_run.hpp"
#include "core/types.hpp"

namespace polarlab::cli {
namespace {
namespace tf = polarlab::transformer;

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

struct TrainOptions {
  std::string task = "induction", attention = "softmax", positional, device = "auto", out;
  int heads = 4, layers = 2, seed = 0;
  double lr = 1e-3, aux_weight = 0.2;
  std::optional<long long> steps;
  std::optional<int> epochs, vocab, train_size, eval_size, log_every, threads, checkpoint_every, flip_pairs, batch;
  std::optional<int> labels;
  std::vector<int> attention_samples;
  bool no_mlp = false, no_layernorm = false, shift_query = false, resume = false, quiet = false;
  bool causal = false, non_causal = false;
};

tf::TrainConfig config_of(const TrainOptions& o) {
  tf::TrainConfig c;
  c.task = tf::task_from_name(o.task);
  c.attention = tf::attention_from_name(o.attention);
  // The paper's classification model has no positions (the input is a set).
  c.positional = tf::positional_from_name(!o.positional.empty() ? o.positional
                                          : c.task == tf::TaskKind::induction ? "concat" : "no");
  c.heads = o.heads;
  c.layers = o.layers;
  c.lr = o.lr;
  c.aux_weight = o.aux_weight;
  c.seed = o.seed;
  c.device = o.device;
  c.shift_query = o.shift_query;
  c.use_mlp = !o.no_mlp;
  c.use_layernorm = !o.no_layernorm;
  if (o.causal) c.causal = true;
  if (o.non_causal) c.causal = false;
  if (o.steps) c.steps = *o.steps;
  if (o.epochs) c.epochs = *o.epochs;
  if (o.vocab) c.vocab = *o.vocab;
  if (o.labels) c.labels = *o.labels;
  if (o.train_size) c.train_size = *o.train_size;
  if (o.eval_size) c.eval_size = *o.eval_size;
  if (o.log_every) c.log_every = *o.log_every;
  if (o.threads) c.threads = *o.threads;
  if (o.checkpoint_every) c.checkpoint_every = *o.checkpoint_every;
  if (o.flip_pairs) c.flip_pairs = *o.flip_pairs;
  if (o.batch) c.batch_size = *o.batch;
  if (!o.attention_samples.empty()) c.attention_samples = o.attention_samples;
  c = tf::resolve_defaults(c);
  tf::validate(c);
  return c;
}

void run(const TrainOptions& o) {
  const tf::TrainConfig cfg = config_of(o);
  g_interrupted = false;
  auto previous = std::signal(SIGINT, on_interrupt);
  const bool tty = ::isatty(STDERR_FILENO);
  double last_print = -1e9;
  bool printed = false;
  tf::TrainRunOptions ro;
  ro.out = o.out;
  ro.resume = o.resume;
  ro.cancel = &g_interrupted;
  ro.report = [&](const tf::Progress& p, const tf::MetricsRow* row) {
    if (o.quiet) return;
    const double s = p.seconds.load();
    if (!row && s - last_print < (tty ? 0.5 : 10.0)) return;
    last_print = s;
    printed = true;
    std::fprintf(stderr, "%s[train %s %s] %5.1f%%  step %lld/%lld  %.0f s  eta %.0f s", tty ? "\r" : "",
                 o.task.c_str(), o.attention.c_str(), 100.0 * p.fraction(), p.step.load(), p.total.load(), s,
                 p.eta_seconds.load());
    if (row) std::fprintf(stderr, "  loss %.4f  eval %.4f  acc %.3f", row->train_loss, row->eval_loss, row->eval_accuracy);
    std::fprintf(stderr, "%s", tty ? "\033[K" : "\n");
    std::fflush(stderr);
  };
  tf::TrainRunResult r;
  try {
    r = tf::train_to_directory(cfg, ro);
  } catch (...) {
    std::signal(SIGINT, previous);
    throw;
  }
  std::signal(SIGINT, previous);
  if (printed && tty) std::fprintf(stderr, "\n");
  const auto& s = r.summary;
  std::printf("train %s/%s: %s after %lld/%lld steps on %s (%.4f s/step); eval accuracy %.4f, eval loss %.4g",
              o.task.c_str(), o.attention.c_str(), tf::name_of(r.state), s["steps"].get<long long>(),
              s["total_steps"].get<long long>(), s["device"].get<std::string>().c_str(),
              s["seconds_per_step"].get<double>(), s["eval_accuracy"].get<double>(),
              s["eval_loss"].is_number() ? s["eval_loss"].get<double>() : NAN);
  if (s.contains("sink_scores") && !s["sink_scores"].empty()) {
    const auto& last = s["sink_scores"].back();
    std::printf("; layer-%zu sink scores", s["sink_scores"].size());
    for (const auto& v : last) std::printf(" %.3f", v.is_number() ? v.get<double>() : NAN);
  }
  if (s.contains("flip_rate")) std::printf("; flip rate %.3f", s["flip_rate"].get<double>());
  std::printf(" -> %s\n", o.out.c_str());
  if (r.state == tf::TrainState::cancelled) {
    std::fprintf(stderr, "polarlab-cli: interrupted; resume with --resume --out %s\n", o.out.c_str());
    exit_code() = 130;
  }
}

RegisterCommand reg("train", 30, [](CLI::App& app) {
  static TrainOptions o;
  auto* sub = app.add_subcommand("train", "Train a transformer of the paper's section 4 (libtorch) and write a run directory");
  sub->add_option("--task", o.task, "induction or classification")->check(CLI::IsMember({"induction", "classification"}));
  sub->add_option("--attention", o.attention,
                  "softmax uniform sigmoid_norm sigmoid_unnorm linear linear_unnorm coupled_linear_norm "
                  "coupled_linear_unnorm raw_dotproduct_norm raw_dotproduct_unnorm mlp_norm mlp_unnorm");
  sub->add_option("--positional", o.positional, "concat, add or no (default: concat for induction, no for classification)");
  sub->add_option("--heads", o.heads, "Heads per layer (divides 128)");
  sub->add_option("--layers", o.layers, "Transformer blocks");
  sub->add_option("--lr", o.lr, "AdamW learning rate (constant)");
  sub->add_option("--aux-weight", o.aux_weight, "Induction: weight λ of the mean CE over the non-final positions");
  sub->add_option("--seed", o.seed, "Seed of data, shuffles and initialization");
  auto* steps = sub->add_option("--steps", o.steps, "Optimizer steps (overrides epochs)");
  auto* epochs = sub->add_option("--epochs", o.epochs, "Epochs (default 10)");
  steps->excludes(epochs);
  sub->add_option("--device", o.device, "auto, cpu or cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  sub->add_option("--out", o.out, "Output directory")->required();
  sub->add_option("--vocab", o.vocab, "Vocabulary size V (induction 50; classification 41, 81, 161)");
  sub->add_option("--labels", o.labels, "Classification labels (4)");
  sub->add_flag("--shift-query", o.shift_query, "Induction: the query is a separate copy of the vocabulary (m_r + V)");
  sub->add_flag("--no-mlp", o.no_mlp, "Blocks without the MLP");
  sub->add_flag("--no-layernorm", o.no_layernorm, "LayerNorms become the identity");
  sub->add_flag("--causal", o.causal, "Force the causal mask (default: induction only)");
  sub->add_flag("--non-causal", o.non_causal, "Drop the causal mask");
  sub->add_option("--batch-size", o.batch, "Batch size (256)");
  sub->add_option("--train-size", o.train_size, "Training sequences (100000 induction, 10000 classification)");
  sub->add_option("--eval-size", o.eval_size, "Evaluation sequences (1000)");
  sub->add_option("--log-every", o.log_every, "Steps between metrics rows (50 induction, 10 classification)");
  sub->add_option("--checkpoint-every", o.checkpoint_every, "Steps between checkpoints (500; 0: only at the end)");
  sub->add_option("--flip-pairs", o.flip_pairs, "Classification: pairs of the flip-rate probe (500)");
  sub->add_option("--attention-samples", o.attention_samples, "Eval samples whose attention maps go to attention.json");
  sub->add_option("--threads", o.threads, "Torch intra-op threads (default: half the cores, at most 8; 1 on 2 cores)");
  sub->add_flag("--resume", o.resume, "Continue from OUT/checkpoint.pt when it exists");
  sub->add_flag("--quiet", o.quiet, "No progress line");
  sub->callback([] { run(o); });
});

}  // namespace
}  // namespace polarlab::cli
#endif  // HAVE_POLARLAB_TRANSFORMER
