#include "core/transformer/torch_pt_file.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <vector>

#include <torch/serialize.h>

#include "core/transformer/torch_api.hpp"
#include "core/types.hpp"

namespace polarlab::transformer {
namespace {

std::string dtype_name(c10::ScalarType t) {
  switch (t) {
    case c10::ScalarType::Half: return "float16";
    case c10::ScalarType::BFloat16: return "bfloat16";
    case c10::ScalarType::Float: return "float32";
    case c10::ScalarType::Double: return "float64";
    default: return {};
  }
}

}  // namespace

PtTensor read_pt_tensor(const std::string& path, const std::string& key) {
  const std::string where = "'" + path + "'";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError("FILE", where + ": cannot be opened");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue v;
  try {
    v = torch::pickle_load(bytes);
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw ConfigError("FILE", where + ": not a file torch.save wrote (" + what + ")");
  }
  at::Tensor t;
  if (v.isTensor()) {
    t = v.toTensor();  // one tensor: --key (meant for other files) does not apply, as for a .npy
  } else if (v.isGenericDict()) {
    const auto dict = v.toGenericDict();
    std::string keys;
    std::vector<std::string> names;
    for (const auto& kv : dict)
      if (kv.key().isString() && kv.value().isTensor()) names.push_back(kv.key().toStringRef());
    for (const auto& n : names) keys += (keys.empty() ? "" : ", ") + n;
    std::string pick = key;
    if (pick.empty()) {
      if (names.size() == 1) pick = names[0];
      for (const char* k : {"attention", "attentions"})
        if (pick.empty() && std::find(names.begin(), names.end(), k) != names.end()) pick = k;
    }
    if (pick.empty() || std::find(names.begin(), names.end(), pick) == names.end())
      throw ConfigError("--key", where + ": " + (key.empty() ? "several tensors, give --key" : "no tensor '" + key + "'") +
                                     " (tensors: " + (keys.empty() ? "none" : keys) + ")");
    t = dict.at(pick).toTensor();
  } else if (v.isList() || v.isTuple()) {
    std::vector<at::Tensor> parts;
    const auto items = v.isList() ? v.toListRef().vec() : v.toTupleRef().elements().vec();
    for (const auto& x : items) {
      if (!x.isTensor()) throw ConfigError("FILE", where + ": a list or tuple of tensors expected, found a " + x.tagKind());
      parts.push_back(x.toTensor());
    }
    if (parts.empty()) throw ConfigError("FILE", where + ": an empty list");
    for (const auto& p : parts)
      if (p.sizes() != parts[0].sizes())
        throw ConfigError("shape", where + ": the list's tensors differ in shape (one per layer must agree)");
    t = at::stack(parts, 0);
  } else {
    throw ConfigError("FILE", where + ": a tensor, a dict of tensors or a list of tensors expected, found a " + v.tagKind());
  }
  PtTensor out;
  out.dtype = dtype_name(t.scalar_type());
  if (out.dtype.empty())
    throw ConfigError("dtype", where + ": " + std::string(c10::toString(t.scalar_type())) +
                                   " (expected float16, bfloat16, float32 or float64)");
  const at::Tensor f = t.to(torch::kCPU, torch::kFloat32).contiguous();
  out.shape.assign(f.sizes().begin(), f.sizes().end());
  out.values.assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  return out;
}

}  // namespace polarlab::transformer
