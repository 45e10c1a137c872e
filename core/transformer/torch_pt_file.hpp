// Reading a tensor from a PyTorch .pt file with libtorch (inside the plugin; TorchPluginApi::read_pt).
#pragma once
#include <string>

#include "core/transformer/trainer_engine.hpp"

namespace polarlab::transformer {

PtTensor read_pt_tensor(const std::string& path, const std::string& key);

}  // namespace polarlab::transformer
