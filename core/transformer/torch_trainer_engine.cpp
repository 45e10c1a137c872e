// The libtorch engine of the Trainer (trainer_engine.hpp): data on the device, the model, AdamW, evaluation with
// attention capture, checkpoints. Compiled into the plugin libpolarlab_torch.so only.
#include "core/transformer/trainer_engine.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "core/transformer/metrics.hpp"
#include "core/transformer/model.hpp"
#include "core/transformer/tasks.hpp"
#include "core/transformer/torch_pt_file.hpp"
#include "core/job/job.hpp"
#include "core/types.hpp"

namespace polarlab::transformer {
namespace F = torch::nn::functional;
using torch::Tensor;

namespace {
Tensor to_tensor(const std::vector<int64_t>& v, std::vector<int64_t> shape, const torch::Device& device) {
  return torch::from_blob(const_cast<int64_t*>(v.data()), shape, torch::kInt64).clone().to(device);
}
// The state of one training on its device.
struct Engine {
  TrainConfig cfg;
  torch::Device device{torch::kCPU};
  TaskData train, eval;
  Tensor train_x, train_y, eval_x, eval_y;
  Transformer model{nullptr};
  std::unique_ptr<torch::optim::AdamW> opt;
  long long step = 0;
  double seconds_before = 0;     // training time of earlier sessions (from the checkpoint)
  double session_seconds = 0;    // this session's step time
  long long session_steps = 0;
  long long perm_epoch = -1;
  Tensor perm;

  bool induction() const { return cfg.task == TaskKind::induction; }
  // Induction with λ = 0 and classification only need the last position's logits.
  bool last_only() const { return !induction() || cfg.aux_weight == 0.0; }

  // logits from forward(x, last_only()); y the matching targets.
  Tensor loss_of(const Tensor& logits, const Tensor& y) const {
    if (!induction()) return F::cross_entropy(logits, y);
    if (last_only()) return F::cross_entropy(logits, y.select(1, y.size(1) - 1));
    const int64_t T = logits.size(1), V = logits.size(2);
    const Tensor last = F::cross_entropy(logits.select(1, T - 1), y.select(1, T - 1));
    const Tensor rest = F::cross_entropy(logits.slice(1, 0, T - 1).reshape({-1, V}), y.slice(1, 0, T - 1).reshape({-1}));
    return last + cfg.aux_weight * rest;
  }
  Tensor correct_of(const Tensor& logits, const Tensor& y) const {
    if (!induction()) return logits.argmax(-1).eq(y);
    const Tensor last = last_only() ? logits : logits.select(1, logits.size(1) - 1);
    return last.argmax(-1).eq(y.select(1, y.size(1) - 1));
  }

  Tensor batch_indices(long long s) {
    const long long spe = cfg.steps_per_epoch();
    const long long epoch = s / spe, b = s % spe;
    if (epoch != perm_epoch) {
      // The order of an epoch is a function of (seed, epoch) alone: resuming reproduces it.
      Rng rng(static_cast<uint64_t>(cfg.seed), kShuffleStream + 1000 * static_cast<uint64_t>(epoch + 1));
      std::vector<int64_t> order(train.n);
      std::iota(order.begin(), order.end(), 0);
      rng.shuffle(order.begin(), order.end());
      perm = to_tensor(order, {train.n}, device);
      perm_epoch = epoch;
    }
    const int64_t lo = b * cfg.batch_size, hi = std::min<int64_t>(lo + cfg.batch_size, train.n);
    return perm.slice(0, lo, hi);
  }

  Tensor step_loss() {  // one optimizer step; the loss stays on the device (no sync)
    const Tensor idx = batch_indices(step);
    const Tensor x = train_x.index_select(0, idx), y = train_y.index_select(0, idx);
    opt->zero_grad();
    Tensor loss = loss_of(model->forward(x, last_only()), y);
    loss.backward();
    opt->step();
    ++step;
    return loss.detach();
  }

  // Eval forward in chunks with attention capture, weights copied to the CPU as [N, H, T, T] per layer.
  Tensor eval_logits(const Tensor& x, std::vector<Tensor>* attn_cpu, bool last) {
    torch::NoGradGuard no_grad;
    std::vector<Tensor> logits_parts;
    std::vector<std::vector<Tensor>> attn_parts(cfg.layers);
    const int64_t n = x.size(0), chunk = 2048;
    for (int64_t lo = 0; lo < n; lo += chunk) {
      std::vector<Tensor> attn;
      logits_parts.push_back(model->forward(x.slice(0, lo, std::min(n, lo + chunk)), last, attn_cpu ? &attn : nullptr));
      if (attn_cpu)
        for (int l = 0; l < cfg.layers; ++l) attn_parts[l].push_back(attn[l].to(torch::kCPU, torch::kFloat32).contiguous());
    }
    if (attn_cpu) {
      attn_cpu->clear();
      for (int l = 0; l < cfg.layers; ++l) attn_cpu->push_back(torch::cat(attn_parts[l], 0).contiguous());
    }
    return torch::cat(logits_parts, 0);
  }
};

class TorchTrainerEngine final : public TrainerEngine {
 public:
  explicit TorchTrainerEngine(const TrainConfig& config);
  const TrainConfig& config() const override { return m_.cfg; }
  std::string device() const override { return m_.device.is_cuda() ? "cuda" : "cpu"; }
  long long num_parameters() const override;
  long long step() const override { return m_.step; }
  void accumulate_step() override;
  double take_mean_loss() override;
  double seconds() const override { return m_.seconds_before + m_.session_seconds; }
  double mean_step_seconds() const override;
  Evaluation evaluate(bool with_maps) override;
  FlipRate flip_rate(int pairs) override;
  std::vector<ClsAttentionRecord> cls_attention() override;
  EvalAttention eval_attention(int max_samples) override;
  void save_checkpoint(const std::string& path) const override;
  void load_checkpoint(const std::string& path) override;
  std::vector<float> flat_parameters() const override;

 private:
  Engine m_;
  Tensor loss_sum_;        // accumulated on the device between take_mean_loss() calls
  long long loss_count_ = 0;
};

TorchTrainerEngine::TorchTrainerEngine(const TrainConfig& config) {
  auto& m = m_;
  m.cfg = resolve_defaults(config);
  validate(m.cfg);
  torch::set_num_threads(m.cfg.threads);
  const bool cuda = torch::cuda::is_available();
  if (m.cfg.device == "cuda" && !cuda) throw ConfigError("device", "cuda requested but no CUDA device is available");
  m.device = (m.cfg.device == "cuda" || (m.cfg.device == "auto" && cuda)) ? torch::Device(torch::kCUDA)
                                                                            : torch::Device(torch::kCPU);
  m.train = make_train_set(m.cfg);
  m.eval = make_eval_set(m.cfg);
  const int T = m.train.seq_len;
  m.train_x = to_tensor(m.train.inputs, {m.train.n, T}, m.device);
  m.eval_x = to_tensor(m.eval.inputs, {m.eval.n, T}, m.device);
  if (m.induction()) {
    m.train_y = to_tensor(m.train.targets, {m.train.n, T}, m.device);
    m.eval_y = to_tensor(m.eval.targets, {m.eval.n, T}, m.device);
  } else {
    m.train_y = to_tensor(m.train.targets, {m.train.n}, m.device);
    m.eval_y = to_tensor(m.eval.targets, {m.eval.n}, m.device);
  }
  // Initialize on the CPU so a seed gives the same model on every device.
  torch::manual_seed(static_cast<uint64_t>(m.cfg.seed));
  m.model = Transformer(m.cfg);
  m.model->to(m.device);
  m.opt = std::make_unique<torch::optim::AdamW>(
      m.model->parameters(), torch::optim::AdamWOptions(m.cfg.lr).betas({0.9, 0.999}).eps(1e-8).weight_decay(m.cfg.weight_decay));
  loss_sum_ = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(m.device));
}

long long TorchTrainerEngine::num_parameters() const {
  long long n = 0;
  for (const auto& p : m_.model->parameters()) n += p.numel();
  return n;
}
double TorchTrainerEngine::mean_step_seconds() const {
  // A resumed run that took no step this session reports the earlier sessions' mean.
  if (m_.session_steps > 0) return m_.session_seconds / m_.session_steps;
  return m_.step > 0 ? m_.seconds_before / m_.step : 0.0;
}

void TorchTrainerEngine::accumulate_step() {
  const double t0 = monotonic_seconds();
  loss_sum_ += m_.step_loss();
  ++loss_count_;
  m_.session_seconds += monotonic_seconds() - t0;
  ++m_.session_steps;
}

double TorchTrainerEngine::take_mean_loss() {
  const double mean = loss_count_ > 0 ? loss_sum_.item<double>() / static_cast<double>(loss_count_) : 0.0;
  loss_sum_.zero_();
  loss_count_ = 0;
  return mean;
}

Evaluation TorchTrainerEngine::evaluate(bool with_maps) {
  auto& m = m_;
  Evaluation ev;
  ev.step = m.step;
  std::vector<Tensor> attn;
  const Tensor logits = m.eval_logits(m.eval_x, &attn, m.last_only());
  {
    torch::NoGradGuard no_grad;
    ev.eval_loss = m.loss_of(logits, m.eval_y).item<double>();
    ev.eval_accuracy = m.correct_of(logits, m.eval_y).to(torch::kFloat64).mean().item<double>();
  }
  const int n = m.eval.n, T = m.eval.seq_len, H = m.cfg.heads;
  HeadScores& scores = m.induction() ? ev.sink_scores : ev.concentration;
  for (int l = 0; l < m.cfg.layers; ++l) {
    scores.emplace_back();
    for (int h = 0; h < H; ++h) {
      const Tensor a = attn[l].select(1, h).contiguous();
      const float* p = a.data_ptr<float>();
      scores.back().push_back(m.induction() ? sink_score(p, n, T) : cls_concentration(p, n, T));
    }
  }
  if (with_maps) {
    for (int s : m.cfg.attention_samples) {
      AttentionMap map;
      map.sample = s;
      map.tokens.assign(m.eval.row(s), m.eval.row(s) + T);
      map.layers = m.cfg.layers;
      map.heads = H;
      map.T = T;
      for (int l = 0; l < m.cfg.layers; ++l) {
        const Tensor a = attn[l][s].contiguous();
        map.weights.insert(map.weights.end(), a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
      }
      ev.maps.push_back(std::move(map));
    }
  }
  return ev;
}

FlipRate TorchTrainerEngine::flip_rate(int pairs) {
  auto& m = m_;
  FlipRate fr;
  const int L = m.cfg.layers, H = m.cfg.heads, T = m.eval.seq_len, n = m.eval.n;
  fr.rate.assign(L, std::vector<double>(H, 0.0));
  if (m.induction() || pairs <= 0) return fr;
  const auto& labels = m.eval.targets;
  if (std::all_of(labels.begin(), labels.end(), [&](int64_t y) { return y == labels[0]; })) return fr;
  std::vector<Tensor> attn;
  m.eval_logits(m.eval_x, &attn, true);
  auto cls_row = [&](int l, int sample, int h) {
    return attn[l].data_ptr<float>() + ((static_cast<size_t>(sample) * H + h) * T + (T - 1)) * T;
  };
  Rng rng(static_cast<uint64_t>(m.cfg.seed), kFlipStream);
  std::vector<int64_t> seqs;
  std::vector<int64_t> expected;  // label of the injected token
  seqs.reserve(static_cast<size_t>(pairs) * 2 * L * H * T);
  for (int p = 0; p < pairs; ++p) {
    const int a = static_cast<int>(rng.below(n));
    int b;
    do b = static_cast<int>(rng.below(n));
    while (labels[b] == labels[a]);
    const int64_t *xa = m.eval.row(a), *xb = m.eval.row(b);
    for (int l = 0; l < L; ++l)
      for (int h = 0; h < H; ++h) {
        const int ta = top_content_token(cls_row(l, a, h), T), tb = top_content_token(cls_row(l, b, h), T);
        auto sa = mixed_sequence(xa[ta], xb, tb, T, rng);  // a's top token in b's company
        auto sb = mixed_sequence(xb[tb], xa, ta, T, rng);
        seqs.insert(seqs.end(), sa.begin(), sa.end());
        seqs.insert(seqs.end(), sb.begin(), sb.end());
        expected.push_back(labels[a]);
        expected.push_back(labels[b]);
      }
  }
  const int64_t count = static_cast<int64_t>(expected.size());
  const Tensor logits = m.eval_logits(to_tensor(seqs, {count, T}, m.device), nullptr, true);
  const Tensor ok = logits.argmax(-1).to(torch::kCPU).eq(to_tensor(expected, {count}, torch::kCPU)).contiguous();
  const bool* okp = ok.data_ptr<bool>();
  for (int p = 0, i = 0; p < pairs; ++p)
    for (int l = 0; l < L; ++l)
      for (int h = 0; h < H; ++h, i += 2) fr.rate[l][h] += (okp[i] + okp[i + 1]) / (2.0 * pairs);
  for (const auto& row : fr.rate)
    for (double r : row) fr.max = std::max(fr.max, r);
  return fr;
}

std::vector<ClsAttentionRecord> TorchTrainerEngine::cls_attention() {
  auto& m = m_;
  std::vector<ClsAttentionRecord> out;
  if (m.induction()) return out;
  std::vector<int64_t> rows;
  std::vector<int> samples, labels;
  for (int g = 0; g < m.cfg.labels; ++g)
    for (int i = 0; i < m.eval.n; ++i)
      if (m.eval.targets[i] == g) {
        rows.insert(rows.end(), m.eval.row(i), m.eval.row(i) + m.eval.seq_len);
        samples.push_back(i);
        labels.push_back(g);
        break;
      }
  if (samples.empty()) return out;
  const int T = m.eval.seq_len, H = m.cfg.heads;
  std::vector<Tensor> attn;
  m.eval_logits(to_tensor(rows, {static_cast<int64_t>(samples.size()), T}, m.device), &attn, true);
  for (size_t s = 0; s < samples.size(); ++s) {
    ClsAttentionRecord r;
    r.step = m.step;
    r.label = labels[s];
    r.sample = samples[s];
    for (int l = 0; l < m.cfg.layers; ++l)
      for (int h = 0; h < H; ++h) {
        const float* p = attn[l].data_ptr<float>() + ((s * H + h) * T + (T - 1)) * T;
        r.rows.insert(r.rows.end(), p, p + T);
      }
    out.push_back(std::move(r));
  }
  return out;
}

EvalAttention TorchTrainerEngine::eval_attention(int max_samples) {
  auto& m = m_;
  EvalAttention out;
  out.layers = m.cfg.layers;
  out.heads = m.cfg.heads;
  out.T = m.eval.seq_len;
  out.samples = static_cast<int>(std::min<int64_t>(std::max(max_samples, 0), m.eval.n));
  if (out.samples == 0) return out;
  std::vector<Tensor> attn;  // per layer [sample, head, T, T]
  m.eval_logits(m.eval_x.slice(0, 0, out.samples), &attn, m.last_only());
  for (int l = 0; l < m.cfg.layers; ++l) {
    const Tensor a = attn[l].permute({1, 0, 2, 3}).contiguous();  // [head, sample, T, T]
    out.weights.insert(out.weights.end(), a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
  }
  return out;
}

void TorchTrainerEngine::save_checkpoint(const std::string& path) const {
  auto& m = m_;
  torch::serialize::OutputArchive archive, model_archive, opt_archive;
  m.model->save(model_archive);
  m.opt->save(opt_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", opt_archive);
  archive.write("step", torch::full({1}, static_cast<int64_t>(m.step), torch::dtype(torch::kInt64)));
  archive.write("seconds", torch::full({1}, m.seconds_before + m.session_seconds, torch::dtype(torch::kFloat64)));
  const std::string tmp = path + ".tmp";
  archive.save_to(tmp);
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("cannot write checkpoint " + path);
}

void TorchTrainerEngine::load_checkpoint(const std::string& path) {
  auto& m = m_;
  torch::serialize::InputArchive archive, model_archive, opt_archive;
  try {
    archive.load_from(path, m.device);
    archive.read("model", model_archive);
    archive.read("optimizer", opt_archive);
    m.model->load(model_archive);
    m.opt->load(opt_archive);
    Tensor step, seconds;
    archive.read("step", step);
    archive.read("seconds", seconds);
    m.step = step.to(torch::kCPU).item<int64_t>();
    m.seconds_before = seconds.to(torch::kCPU).item<double>();
  } catch (const c10::Error& e) {
    throw ConfigError("resume", "cannot read checkpoint '" + path + "' for this config: " + e.what_without_backtrace());
  }
  m.session_seconds = 0;
  m.session_steps = 0;
  m.perm_epoch = -1;
}

std::vector<float> TorchTrainerEngine::flat_parameters() const {
  std::vector<float> out;
  for (const auto& p : m_.model->parameters()) {
    const Tensor c = p.detach().to(torch::kCPU, torch::kFloat32).contiguous();
    out.insert(out.end(), c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
  }
  return out;
}

std::unique_ptr<TrainerEngine> make_torch_engine(const TrainConfig& config) {
  return std::make_unique<TorchTrainerEngine>(config);
}
bool torch_cuda_available() { return torch::cuda::is_available(); }
std::string torch_version_string() {
  return std::to_string(TORCH_VERSION_MAJOR) + "." + std::to_string(TORCH_VERSION_MINOR) + "." +
         std::to_string(TORCH_VERSION_PATCH);
}

}  // namespace
}  // namespace polarlab::transformer

// The plugin's one export (see kTorchPluginSymbol); everything else in the library is hidden.
extern "C" __attribute__((visibility("default"))) const polarlab::transformer::TorchPluginApi* polarlab_torch_plugin() {
  namespace tf = polarlab::transformer;
  static const tf::TorchPluginApi api{tf::kTorchPluginAbi, sizeof(tf::TrainConfig), sizeof(tf::Evaluation),
                                      &tf::make_torch_engine, &tf::torch_cuda_available, &tf::torch_version_string,
                                      &tf::read_pt_tensor};
  return &api;
}
