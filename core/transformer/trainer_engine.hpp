// The libtorch half of the Trainer, behind a torch-free interface. libtorch's static initialisation costs about
// half a second, so the CLI and the GUI do not link it: the engine lives in a plugin (libpolarlab_torch.so)
// that torch_plugin.hpp loads the first time something trains. The Trainer (trainer.hpp) owns one engine and
// adds what is not torch: the job control, the progress and the run loop.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/transformer/config.hpp"
#include "core/transformer/trainer_types.hpp"

namespace polarlab::transformer {

class TrainerEngine {
 public:
  virtual ~TrainerEngine() = default;

  virtual const TrainConfig& config() const = 0;  // defaults resolved
  virtual std::string device() const = 0;         // "cpu" or "cuda"
  virtual long long num_parameters() const = 0;
  virtual long long step() const = 0;             // optimizer steps taken

  // One AdamW step; its loss stays on the device and is added to a running sum (no synchronisation).
  virtual void accumulate_step() = 0;
  // The mean loss of the steps accumulated since the last call (synchronises); resets the sum.
  virtual double take_mean_loss() = 0;
  virtual double seconds() const = 0;             // training time, earlier sessions included
  virtual double mean_step_seconds() const = 0;   // this session's steps, else the earlier sessions' mean

  virtual Evaluation evaluate(bool with_maps) = 0;
  virtual FlipRate flip_rate(int pairs) = 0;
  virtual std::vector<ClsAttentionRecord> cls_attention() = 0;
  virtual EvalAttention eval_attention(int max_samples) = 0;
  virtual void save_checkpoint(const std::string& path) const = 0;
  virtual void load_checkpoint(const std::string& path) = 0;
  virtual std::vector<float> flat_parameters() const = 0;
};

// A tensor read from a PyTorch .pt file (torch.save), as float32 values in C order.
struct PtTensor {
  std::vector<std::int64_t> shape;
  std::vector<float> values;
  std::string dtype;  // what the file held: "float16", "bfloat16", "float32", "float64"
};

// What the plugin exports, through one C symbol (kTorchPluginSymbol). The host checks abi and the sizes before
// using anything else, so a plugin from another build is refused with a message instead of crashing.
inline constexpr int kTorchPluginAbi = 3;
inline constexpr const char* kTorchPluginSymbol = "polarlab_torch_plugin";
struct TorchPluginApi {
  int abi = 0;
  std::size_t config_size = 0, evaluation_size = 0;
  std::unique_ptr<TrainerEngine> (*make_engine)(const TrainConfig& config) = nullptr;  // throws ConfigError
  bool (*cuda_available)() = nullptr;
  std::string (*torch_version)() = nullptr;
  // torch.save's file: a tensor; a dict of tensors (`key` picks one: default the only one, else "attention" or
  // "attentions"); a list or tuple of equal-shape tensors (stacked along a new first axis: per-layer outputs).
  // Throws ConfigError naming the file, the field and what was expected.
  PtTensor (*read_pt)(const std::string& path, const std::string& key) = nullptr;
};

}  // namespace polarlab::transformer
