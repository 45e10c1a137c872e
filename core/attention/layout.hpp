// How the five axes of an attention tensor are ordered. The paper's pseudocode (Appendix E) uses
// layer,head,sample,q,k; Hugging Face's torch.stack(outputs.attentions) gives layer,sample,head,q,k.
// A 4-D tensor is one sample: layer,head,q,k.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace polarlab::attention {

enum class Layout { layer_head_sample, layer_sample_head };

// "layer,head,sample,q,k" or "layer,sample,head,q,k" (spaces ignored); throws ConfigError("--layout").
Layout parse_layout(const std::string& name);
std::string layout_name(Layout l);

struct Geometry {
  Layout layout = Layout::layer_head_sample;
  std::uint64_t layers = 0, heads = 0, samples = 0, q = 0, k = 0;
  std::uint64_t maps() const { return layers * heads * samples; }  // q×k matrices, in storage order
  // The (layer, head) of the m-th q×k matrix in storage order.
  std::uint64_t layer_of(std::uint64_t m) const { return m / (heads * samples); }
  std::uint64_t head_of(std::uint64_t m) const {
    return layout == Layout::layer_head_sample ? m / samples % heads : m % heads;
  }
};

// From a tensor's shape: 5-D in the layout, or 4-D (one sample). Throws InputError(file, "shape") for
// another rank or a zero extent.
Geometry geometry_of(const std::vector<std::uint64_t>& shape, Layout layout, const std::string& file);
std::string shape_string(const std::vector<std::uint64_t>& shape);

}  // namespace polarlab::attention
