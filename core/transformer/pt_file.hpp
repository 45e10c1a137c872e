// PyTorch .pt attention files for `polarlab-cli attention stats` and the Attention workspace: the tensor is read
// whole by the libtorch plugin (a .pt cannot be memory-mapped) and written as a float32 .npy, which core/attention
// then streams like any other file. Torch-free.
#pragma once
#include <string>
#include <utility>

namespace polarlab::transformer {

bool is_pt_file(const std::string& path);  // by extension: .pt or .pth

// Writes the tensor of `pt` (TorchPluginApi::read_pt: `key` for a dict) as DIR/<stem>.npy and returns that path.
// Throws ConfigError: no libtorch plugin, not a torch.save file, no such key, not a floating-point tensor.
std::string pt_to_npy(const std::string& pt, const std::string& key, const std::string& dir);

// The .pt files of one command or one Open, converted into a temporary folder (per process and prefix) that goes
// with this object: `polarlab-cli attention stats` and the Attention workspace read .pt files through it.
class PtConversions {
 public:
  explicit PtConversions(std::string prefix = "polarlab-pt") : prefix_(std::move(prefix)) {}
  ~PtConversions();
  PtConversions(const PtConversions&) = delete;
  PtConversions& operator=(const PtConversions&) = delete;
  // `path` unchanged, or for a .pt/.pth file the .npy it was converted to (pt_to_npy's errors).
  std::string npy_of(const std::string& path, const std::string& key);

 private:
  std::string prefix_;
  std::string dir_;  // created on the first conversion
  int converted_ = 0;
};

}  // namespace polarlab::transformer
