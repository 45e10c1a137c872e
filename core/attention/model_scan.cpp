#include "core/attention/model_scan.hpp"

#include <filesystem>
#include <fstream>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/attention/input_error.hpp"
#include "core/attention/tensor_file.hpp"

namespace polarlab::attention {

ShardAxis parse_shard_axis(const std::string& name) {
  if (name == "samples" || name == "sample") return ShardAxis::sample;
  if (name == "layers" || name == "layer") return ShardAxis::layer;
  throw ConfigError("--shards", "expected samples or layers, not '" + name + "'");
}

std::string shard_axis_name(ShardAxis a) { return a == ShardAxis::sample ? "samples" : "layers"; }

std::string SinkRowsOption::name() const {
  switch (kind) {
    case Kind::all: return "all";
    case Kind::paper: return "paper";
    default: return SinkRows{first, last}.str();
  }
}

SinkRowsOption parse_sink_rows(const std::string& text) {
  SinkRowsOption o;
  if (text == "all") return o;
  if (text == "paper") {
    o.kind = SinkRowsOption::Kind::paper;
    return o;
  }
  const std::string expected = "all, paper, or A:B (query rows A to B, both included, counted from 0; A <= B), not '" +
                               text + "'";
  const std::size_t colon = text.find(':');
  auto whole = [](const std::string& s, std::uint64_t& v) {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) return false;
    v = std::stoull(s);
    return true;
  };
  o.kind = SinkRowsOption::Kind::range;
  if (colon == std::string::npos || !whole(text.substr(0, colon), o.first) || !whole(text.substr(colon + 1), o.last) ||
      o.first > o.last)
    throw ConfigError("--rows", "expected " + expected);
  return o;
}

SinkRows resolve_sink_rows(const SinkRowsOption& o, std::uint64_t q, const std::string& file) {
  switch (o.kind) {
    case SinkRowsOption::Kind::all: return all_sink_rows(q);
    case SinkRowsOption::Kind::paper:
      if (!has_paper_sink_rows(q))
        throw InputError(file, "--rows", "at least 4 query rows for paper (rows 1..q-3), not " + std::to_string(q) +
                                             "; use all or A:B");
      return paper_sink_rows(q);
    default:
      if (o.last >= q)
        throw InputError(file, "--rows", "rows below the " + std::to_string(q) + " query rows, not " + o.name());
      return {o.first, o.last};
  }
}

bool is_induction_run_attention(const std::string& file) {
  const std::filesystem::path p(file);
  if (p.filename() != "attention.npy") return false;
  std::ifstream in(p.parent_path() / "config.json");
  if (!in) return false;
  const nlohmann::json c = nlohmann::json::parse(in, nullptr, false);
  return c.is_object() && c.contains("task") && c["task"] == "induction";
}

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
      m.rows_option = opt.rows;
      m.sink_rows = resolve_sink_rows(opt.rows, g.q, f);
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
    SampleSink sample;      // of the map in progress (maps arrive whole, in order, possibly in pieces)
    tf.stream(e, row_bytes, [&](const std::byte* p, std::size_t n) {
      for (std::uint64_t left = n / row_bytes; left > 0;) {
        const std::uint64_t map = row / g.q, in_map = row % g.q;
        const std::uint64_t take = std::min(left, g.q - in_map);
        const std::uint64_t layer = layer_offset + g.layer_of(map);
        HeadAccumulator& acc = m.acc[layer * m.heads + g.head_of(map)];
        reduce_rows(p, e.dtype, take, g.k, opt.sink_key, acc, in_map, m.sink_rows, sample);
        if (in_map + take == g.q) finish_sample(acc, sample);
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
