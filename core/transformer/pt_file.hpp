// PyTorch .pt attention files for `polarlab-cli attention stats` and the Attention workspace: the tensor is read
// whole by the libtorch plugin (a .pt cannot be memory-mapped) and written as a float32 .npy, which core/attention
// then streams like any other file. Torch-free.
#pragma once
#include <string>

namespace polarlab::transformer {

bool is_pt_file(const std::string& path);  // by extension: .pt or .pth

// Writes the tensor of `pt` (TorchPluginApi::read_pt: `key` for a dict) as DIR/<stem>.npy and returns that path.
// Throws ConfigError: no libtorch plugin, not a torch.save file, no such key, not a floating-point tensor.
std::string pt_to_npy(const std::string& pt, const std::string& key, const std::string& dir);

}  // namespace polarlab::transformer
