#include "core/attention/model_scan.hpp"

#include <memory>

#include "core/attention/input_error.hpp"
#include "core/attention/tensor_file.hpp"

namespace polarlab::attention {

ShardAxis parse_shard_axis(const std::string& name) {
  if (name == "samples" || name == "sample") return ShardAxis::sample;
  if (name == "layers" || name == "layer") return ShardAxis::layer;
  throw ConfigError("--shards", "expected samples or layers, not '" + name + "'");
}

std::string shard_axis_name(ShardAxis a) { return a == ShardAxis::sample ? "samples" : "layers"; }

HeadAccumulator ModelStats::total() const {
  HeadAccumulator t;
  for (const auto& a : acc) t.add(a);
  return t;
}

namespace {

std::string dims(const Geometry& g) {
  return "layers " + std::to_string(g.layers) + ", heads " + std::to_string(g.heads) + ", samples " +
         std::to_string(g.samples) + ", q " + std::to_string(g.q) + ", k " + std::to_string(g.k);
}

}  // namespace

ModelStats scan_model(const std::string& label, const std::vector<std::string>& files, const ScanOptions& opt,
                      const std::function<void(std::uint64_t)>& progress) {
  if (files.empty()) throw ConfigError("FILE", "model '" + label + "' has no file");
  // Check every shard first: a bad last shard must not cost a pass over the others.
  std::vector<Geometry> geo;
  std::vector<std::unique_ptr<TensorFile>> open;  // kept mapped from the check to the pass (pages not read yet)
  ModelStats m;
  m.label = label;
  m.files = files;
  for (const std::string& f : files) {
    open.push_back(std::make_unique<TensorFile>(f));
    const TensorEntry& e = open.back()->select(opt.key);
    const Geometry g = geometry_of(e.shape, opt.layout, f);
    if (geo.empty()) {
      m.dtype = dtype_name(e.dtype);
      if (opt.sink_key >= g.k)
        throw InputError(f, "--sink-key", "a key index below the " + std::to_string(g.k) + " keys, not " +
                                              std::to_string(opt.sink_key));
    } else {
      const Geometry& g0 = geo.front();
      const bool along_samples = opt.shards == ShardAxis::sample;
      const bool agree = g.heads == g0.heads && g.q == g0.q && g.k == g0.k &&
                         (along_samples ? g.layers == g0.layers : g.samples == g0.samples);
      if (!agree)
        throw InputError(f, "shape",
                         "a shard of '" + label + "' like '" + files.front() + "' (" + dims(g0) + "; shards along " +
                             shard_axis_name(opt.shards) + " agree in all but " +
                             (along_samples ? "samples" : "layers") + "), not " + dims(g));
    }
    geo.push_back(g);
  }
  const Geometry& g0 = geo.front();
  m.heads = g0.heads, m.q = g0.q, m.k = g0.k;
  for (const Geometry& g : geo) {
    if (opt.shards == ShardAxis::sample) m.samples += g.samples, m.layers = g.layers;
    else m.layers += g.layers, m.samples = g.samples;
  }
  m.acc.assign(m.layers * m.heads, {});

  std::uint64_t layer_offset = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const TensorFile& tf = *open[i];
    const TensorEntry& e = tf.select(opt.key);
    const Geometry& g = geo[i];
    const std::size_t row_bytes = g.k * dtype_size(e.dtype);
    std::uint64_t row = 0;  // rows of this file done
    tf.stream(e, row_bytes, [&](const std::byte* p, std::size_t n) {
      for (std::uint64_t left = n / row_bytes; left > 0;) {
        const std::uint64_t map = row / g.q, in_map = row % g.q;
        const std::uint64_t take = std::min(left, g.q - in_map);
        const std::uint64_t layer = layer_offset + g.layer_of(map);
        reduce_rows(p, e.dtype, take, g.k, opt.sink_key, m.acc[layer * m.heads + g.head_of(map)]);
        p += take * row_bytes;
        row += take;
        left -= take;
      }
      m.bytes += n;
      if (progress) progress(m.bytes);
    });
    if (opt.shards == ShardAxis::layer) layer_offset += g.layers;
  }
  return m;
}

}  // namespace polarlab::attention
