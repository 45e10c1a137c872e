#include "core/attention/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace polarlab::attention {

namespace {

std::string number(double v) {
  if (std::isnan(v)) return "nan";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

nlohmann::json distribution(const std::vector<double>& v) {
  std::vector<double> finite;
  for (double x : v)
    if (std::isfinite(x)) finite.push_back(x);
  auto num = [](double x) { return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x); };
  double mean = NAN;
  if (!finite.empty()) {
    mean = 0;
    for (double x : finite) mean += x;
    mean /= static_cast<double>(finite.size());
  }
  return {{"mean", num(mean)},           {"min", num(quantile(finite, 0))},   {"q05", num(quantile(finite, 0.05))},
          {"q25", num(quantile(finite, 0.25))}, {"median", num(quantile(finite, 0.5))},
          {"q75", num(quantile(finite, 0.75))}, {"q95", num(quantile(finite, 0.95))}, {"max", num(quantile(finite, 1))}};
}

}  // namespace

double quantile(std::vector<double> values, double q) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double x) { return !std::isfinite(x); }), values.end());
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

std::vector<double> sparsity_histogram(const std::vector<double>& sparsities, int bins) {
  std::vector<double> share(static_cast<std::size_t>(bins), 0.0);
  std::size_t n = 0;
  for (double s : sparsities) {
    if (!std::isfinite(s)) continue;
    const int b = std::clamp(static_cast<int>(s * bins), 0, bins - 1);  // s = 1 falls in the last bin
    share[static_cast<std::size_t>(b)] += 1, ++n;
  }
  if (n > 0)
    for (double& v : share) v /= static_cast<double>(n);
  return share;
}

std::vector<double> head_sparsities(const ModelStats& m) {
  std::vector<double> v;
  for (const auto& a : m.acc)
    if (a.rows > 0) v.push_back(finish(a).sparsity);
  return v;
}

std::string heads_csv(const std::vector<ModelStats>& models) {
  std::string out = "model,layer,head,sparsity,sink,entropy,argmax_sink_share,rows,sink_rows,sink_samples\n";
  for (const ModelStats& m : models)
    for (std::uint64_t l = 0; l < m.layers; ++l)
      for (std::uint64_t h = 0; h < m.heads; ++h) {
        const HeadStats s = m.head(l, h);
        out += csv_field(m.label) + "," + std::to_string(l) + "," + std::to_string(h) + "," + number(s.sparsity) + "," +
               number(s.sink) + "," + number(s.entropy) + "," + number(s.argmax_sink_share) + "," +
               std::to_string(s.rows) + "," + m.sink_rows.str() + "," + std::to_string(s.sink_samples) + "\n";
      }
  return out;
}

nlohmann::json summary_json(const std::vector<ModelStats>& models, const ScanOptions& opt) {
  nlohmann::json out;
  out["layout"] = layout_name(opt.layout);
  out["sink_key"] = opt.sink_key;
  out["sink_rows"] = opt.rows.name();
  out["sink_formula"] = kSinkFormula;
  out["sink_threshold"] = kSinkThreshold;
  out["shards"] = shard_axis_name(opt.shards);
  if (!opt.key.empty()) out["key"] = opt.key;
  out["models"] = nlohmann::json::array();
  for (const ModelStats& m : models) {
    std::vector<double> sparsity, sink, entropy, argmax;
    std::uint64_t sink_heads = 0;
    // [layer][head], full precision (heads.csv rounds to 9 digits): the shape of train's summary.json sink_scores.
    nlohmann::json sink_scores = nlohmann::json::array();
    for (std::uint64_t l = 0; l < m.layers; ++l) {
      sink_scores.push_back(nlohmann::json::array());
      for (std::uint64_t h = 0; h < m.heads; ++h) {
        const double v = m.head(l, h).sink;
        sink_scores.back().push_back(std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr));
      }
    }
    for (const auto& a : m.acc) {
      const HeadStats s = finish(a);
      sparsity.push_back(s.sparsity), sink.push_back(s.sink), entropy.push_back(s.entropy);
      argmax.push_back(s.argmax_sink_share);
      sink_heads += is_sink(s.sink);  // the paper's is_sink (Appendix E.1)
    }
    const HeadAccumulator t = m.total();
    out["models"].push_back({
        {"model", m.label},
        {"files", m.files},
        {"dtype", m.dtype},
        {"shape", {{"layers", m.layers}, {"heads", m.heads}, {"samples", m.samples}, {"q", m.q}, {"k", m.k}}},
        {"heads", m.acc.size()},
        {"heads_without_rows", std::count_if(m.acc.begin(), m.acc.end(), [](const auto& a) { return a.rows == 0; })},
        {"rows", t.rows},
        {"rows_skipped", {{"masked", t.masked_rows}, {"invalid", t.invalid_rows}}},
        {"nonfinite_weights", t.nonfinite_weights},
        {"negative_weights", t.negative_weights},
        {"bytes", m.bytes},
        {"sink_rows", {{"rows", m.rows_option.name()}, {"first", m.sink_rows.first}, {"last", m.sink_rows.last}}},
        {"sink_samples", t.sink_samples},
        {"sink_samples_skipped", t.sink_samples_skipped},
        {"sink_heads", sink_heads},
        {"sink_scores", sink_scores},
        {"sparsity", distribution(sparsity)},
        {"sink", distribution(sink)},
        {"entropy", distribution(entropy)},
        {"argmax_sink_share", distribution(argmax)},
    });
  }
  return out;
}

}  // namespace polarlab::attention
