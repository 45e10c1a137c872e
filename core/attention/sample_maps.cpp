#include "core/attention/sample_maps.hpp"

#include <algorithm>
#include <cstring>

#include "core/attention/input_error.hpp"
#include "core/attention/tensor_file.hpp"

namespace polarlab::attention {

namespace {

float weight(const std::byte* p, DType t) {
  switch (t) {
    case DType::f16: {
      std::uint16_t h;
      std::memcpy(&h, p, 2);
      return half_to_float(h);
    }
    case DType::bf16: {
      std::uint16_t h;
      std::memcpy(&h, p, 2);
      return bf16_to_float(h);
    }
    case DType::f32: {
      float f;
      std::memcpy(&f, p, 4);
      return f;
    }
    default: {
      double d;
      std::memcpy(&d, p, 8);
      return static_cast<float>(d);
    }
  }
}

}  // namespace

SampleMaps read_sample_maps(const std::string& file, const std::string& key, Layout layout, std::uint64_t sample,
                            int side) {
  const TensorFile tf(file);
  const TensorEntry& e = tf.select(key);
  const Geometry g = geometry_of(e.shape, layout, file);
  if (sample >= g.samples)
    throw InputError(file, "sample", "a sample below " + std::to_string(g.samples) + ", not " + std::to_string(sample));
  const std::byte* data = tf.raw_data(e);
  if (!data) throw InputError(file, "sample", "an uncompressed tensor for the preview (np.savez, not savez_compressed)");
  SampleMaps m;
  m.layers = g.layers, m.heads = g.heads, m.q = g.q, m.k = g.k;
  side = std::max(side, 1);
  m.rows = static_cast<int>(std::min<std::uint64_t>(g.q, static_cast<std::uint64_t>(side)));
  m.cols = static_cast<int>(std::min<std::uint64_t>(g.k, static_cast<std::uint64_t>(side)));
  m.values.assign(g.layers * g.heads * static_cast<std::uint64_t>(m.rows * m.cols), 0.0f);
  const std::size_t elem = dtype_size(e.dtype);
  std::vector<float> count(static_cast<std::size_t>(m.rows * m.cols));
  for (std::uint64_t l = 0; l < g.layers; ++l)
    for (std::uint64_t h = 0; h < g.heads; ++h) {
      // The map's index in storage order (layout.hpp).
      const std::uint64_t map = layout == Layout::layer_head_sample || e.shape.size() == 4
                                    ? (l * g.heads + h) * g.samples + sample
                                    : (l * g.samples + sample) * g.heads + h;
      const std::byte* p = data + map * g.q * g.k * elem;
      float* out = &m.values[(l * g.heads + h) * static_cast<std::uint64_t>(m.rows * m.cols)];
      std::fill(count.begin(), count.end(), 0.0f);
      for (std::uint64_t i = 0; i < g.q; ++i) {
        const std::size_t r = static_cast<std::size_t>(i * static_cast<std::uint64_t>(m.rows) / g.q);
        for (std::uint64_t j = 0; j < g.k; ++j) {
          const std::size_t c = static_cast<std::size_t>(j * static_cast<std::uint64_t>(m.cols) / g.k);
          out[r * static_cast<std::size_t>(m.cols) + c] += weight(p + (i * g.k + j) * elem, e.dtype);
          count[r * static_cast<std::size_t>(m.cols) + c] += 1;
        }
      }
      for (std::size_t c = 0; c < count.size(); ++c) out[c] /= std::max(count[c], 1.0f);
    }
  return m;
}

}  // namespace polarlab::attention
