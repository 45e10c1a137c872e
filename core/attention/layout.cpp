#include "core/attention/layout.hpp"

#include <algorithm>

#include "core/attention/input_error.hpp"

namespace polarlab::attention {

Layout parse_layout(const std::string& name) {
  std::string s;
  for (char c : name)
    if (c != ' ') s += c;
  if (s == "layer,head,sample,q,k") return Layout::layer_head_sample;
  if (s == "layer,sample,head,q,k") return Layout::layer_sample_head;
  throw ConfigError("--layout", "expected layer,head,sample,q,k or layer,sample,head,q,k, not '" + name + "'");
}

std::string layout_name(Layout l) {
  return l == Layout::layer_head_sample ? "layer,head,sample,q,k" : "layer,sample,head,q,k";
}

std::string shape_string(const std::vector<std::uint64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Geometry geometry_of(const std::vector<std::uint64_t>& shape, Layout layout, const std::string& file) {
  Geometry g;
  g.layout = layout;
  if (shape.size() == 5) {
    g.layers = shape[0];
    g.heads = layout == Layout::layer_head_sample ? shape[1] : shape[2];
    g.samples = layout == Layout::layer_head_sample ? shape[2] : shape[1];
    g.q = shape[3];
    g.k = shape[4];
  } else if (shape.size() == 4) {
    g.layers = shape[0];
    g.heads = shape[1];
    g.samples = 1;
    g.q = shape[2];
    g.k = shape[3];
  } else {
    throw InputError(file, "shape", "rank 5 (" + layout_name(layout) + ") or 4 (layer,head,q,k: one sample), not rank " +
                                        std::to_string(shape.size()) + " " + shape_string(shape));
  }
  if (std::find(shape.begin(), shape.end(), 0) != shape.end())
    throw InputError(file, "shape", "no zero extent, not " + shape_string(shape));
  return g;
}

}  // namespace polarlab::attention
