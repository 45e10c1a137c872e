#include "core/transformer/run_files.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/owned_folder.hpp"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/types.hpp"

namespace polarlab::transformer {

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::istringstream ls(line);
  for (std::string c; std::getline(ls, c, ',');) cells.push_back(trim(c));
  return cells;
}


}  // namespace

std::string CsvTable::line(const std::vector<std::string>& cells) {
  std::string s;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) s += ',';
    s += cells[i];
  }
  return s;
}

void CsvTable::write(std::ostream& os) const {
  os << line(header) << '\n';
  for (const auto& r : rows) os << line(r) << '\n';
}

CsvTable CsvTable::read(std::istream& in, const std::string& name) {
  CsvTable t;
  std::string l;
  if (!std::getline(in, l)) throw std::runtime_error(name + " is empty");
  t.header = split(trim(l));
  for (int n = 2; std::getline(in, l); ++n) {
    l = trim(l);
    if (l.empty()) continue;
    auto cells = split(l);
    if (cells.size() != t.header.size())
      throw std::runtime_error(name + " line " + std::to_string(n) + ": " + std::to_string(cells.size()) +
                               " values for " + std::to_string(t.header.size()) + " columns");
    t.rows.push_back(std::move(cells));
  }
  return t;
}

int CsvTable::column(const std::string& name) const {
  for (std::size_t k = 0; k < header.size(); ++k)
    if (header[k] == name) return static_cast<int>(k);
  return -1;
}

std::string csv_number(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::vector<std::string> metrics_columns(const TrainConfig& c) {
  std::vector<std::string> h = {"step", "epoch", "train_loss", "eval_loss", "eval_accuracy", "seconds"};
  const char* kind = c.task == TaskKind::induction ? "sink" : "concentration";
  for (int l = 0; l < c.layers; ++l)
    for (int k = 0; k < c.heads; ++k) h.push_back(std::string(kind) + "_l" + std::to_string(l) + "_h" + std::to_string(k));
  return h;
}

std::vector<std::string> metrics_cells(const MetricsRow& r) {
  std::vector<std::string> s = {std::to_string(r.step),       std::to_string(r.epoch),
                                csv_number(r.train_loss),     csv_number(r.eval_loss),
                                csv_number(r.eval_accuracy),  csv_number(r.seconds)};
  for (const auto& layer : r.head_scores)
    for (double v : layer) s.push_back(csv_number(v));
  return s;
}

std::vector<std::string> cls_attention_header(const TrainConfig& c) {
  std::vector<std::string> h = {"step", "label", "sample", "layer", "head"};
  for (int k = 0; k < c.seq_len(); ++k) {
    std::string w = "w";  // (not "w" + to_string: GCC 12's -Wrestrict false positive)
    w += std::to_string(k);
    h.push_back(std::move(w));
  }
  return h;
}

int MetricsTable::column(const std::string& name) const {
  for (std::size_t k = 0; k < columns.size(); ++k)
    if (columns[k] == name) return static_cast<int>(k);
  return -1;
}

MetricsTable read_metrics_csv(std::istream& in) {
  const CsvTable csv = CsvTable::read(in, "metrics.csv");
  MetricsTable t;
  t.columns = csv.header;
  t.values.assign(t.columns.size(), {});
  int n = 1;  // the line number when the file has no blank lines
  for (const auto& row : csv.rows) {
    ++n;
    for (std::size_t k = 0; k < row.size(); ++k) {
      const std::string& c = row[k];
      char* end = nullptr;
      const double v = std::strtod(c.c_str(), &end);
      if (end == c.c_str())
        throw std::runtime_error("metrics.csv line " + std::to_string(n) + ": '" + c + "' is not a number");
      t.values[k].push_back(v);
    }
  }
  return t;
}

nlohmann::json attention_maps_json(const std::vector<AttentionMap>& maps) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& m : maps) {
    nlohmann::json j;
    j["sample"] = m.sample;
    j["tokens"] = m.tokens;
    nlohmann::json layers = nlohmann::json::array();
    for (int l = 0; l < m.layers; ++l) {
      nlohmann::json heads = nlohmann::json::array();
      for (int h = 0; h < m.heads; ++h) {
        nlohmann::json rows = nlohmann::json::array();
        for (int q = 0; q < m.T; ++q) {
          nlohmann::json row = nlohmann::json::array();
          for (int k = 0; k < m.T; ++k) row.push_back(m.at(l, h, q, k));
          rows.push_back(row);
        }
        heads.push_back(rows);
      }
      layers.push_back(heads);
    }
    j["weights"] = layers;  // [layer][head][query][key]
    out.push_back(j);
  }
  return out;
}

std::vector<AttentionMap> parse_attention_json(const std::string& text) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("attention.json is not valid JSON (a torn or edited file?)");
  if (!j.is_array()) throw std::runtime_error("attention.json: expected a list of maps");
  std::vector<AttentionMap> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    const auto& e = j[i];
    const std::string where = "attention.json map " + std::to_string(i);
    if (!e.is_object() || !e.contains("tokens") || !e.contains("weights") || !e["tokens"].is_array() ||
        !e["weights"].is_array())
      throw std::runtime_error(where + ": needs \"tokens\" and \"weights\" lists");
    AttentionMap m;
    m.sample = e.value("sample", static_cast<int>(i));
    for (const auto& t : e["tokens"]) {
      if (!t.is_number_integer()) throw std::runtime_error(where + ": tokens must be integers");
      m.tokens.push_back(t.get<std::int64_t>());
    }
    m.T = static_cast<int>(m.tokens.size());
    const auto& w = e["weights"];
    m.layers = static_cast<int>(w.size());
    m.heads = m.layers ? static_cast<int>(w[0].size()) : 0;
    if (m.T == 0 || m.layers == 0 || m.heads == 0) throw std::runtime_error(where + ": empty");
    m.weights.reserve(static_cast<std::size_t>(m.layers) * m.heads * m.T * m.T);
    for (int l = 0; l < m.layers; ++l) {
      if (!w[l].is_array() || static_cast<int>(w[l].size()) != m.heads)
        throw std::runtime_error(where + ": layer " + std::to_string(l) + " does not have " + std::to_string(m.heads) +
                                 " heads");
      for (int h = 0; h < m.heads; ++h) {
        const auto& rows = w[l][h];
        if (!rows.is_array() || static_cast<int>(rows.size()) != m.T)
          throw std::runtime_error(where + ": layer " + std::to_string(l) + " head " + std::to_string(h) + " is not " +
                                   std::to_string(m.T) + " × " + std::to_string(m.T));
        for (const auto& row : rows) {
          if (!row.is_array() || static_cast<int>(row.size()) != m.T)
            throw std::runtime_error(where + ": layer " + std::to_string(l) + " head " + std::to_string(h) +
                                     " has a row of the wrong length");
          for (const auto& x : row) m.weights.push_back(x.is_number() ? x.get<float>() : std::nanf(""));
        }
      }
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::optional<TrainConfig> read_run_config(const std::string& dir) {
  // Only the run's own files (its manifest's; core/io/owned_folder.hpp).
  if (const auto m = read_manifest(dir); m && m->kind != "train")
    throw ConfigError("config", dir + " holds polarlab's " + m->kind + " output, not a training run");
  if (!run_file_listed(dir, "config.json")) return std::nullopt;
  const auto text = read_text_file(dir + "/config.json");
  if (!text) return std::nullopt;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded()) throw ConfigError("config", dir + "/config.json is not valid JSON (a torn or edited file?)");
  TrainConfig c = train_config_from_json(j);
  // The trainer writes the resolved config; resolve_defaults only fills what an older or hand-written file lacks.
  const int threads = c.threads;
  c = resolve_defaults(c);
  c.threads = threads;  // not this machine's default: the file's value (0 when absent)
  return c;
}

std::optional<nlohmann::json> read_summary(const std::string& dir) {
  if (const auto m = read_manifest(dir); m && (m->kind != "train" || !m->lists("summary.json"))) return std::nullopt;
  std::ifstream in(dir + "/summary.json");
  if (!in) return std::nullopt;
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

void write_npy_f32(std::ostream& os, const std::vector<std::int64_t>& shape, const float* data, std::size_t count) {
  std::string dims;
  for (std::int64_t d : shape) dims += std::to_string(d) + ", ";
  if (shape.size() > 1) dims.erase(dims.size() - 2);  // (2, 3) but (5,) for one axis, as numpy writes them
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
  // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in '\n'.
  const std::size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
  header.append(total - 10 - header.size() - 1, ' ');
  header += '\n';
  const std::uint16_t len = static_cast<std::uint16_t>(header.size());
  const char preamble[10] = {'\x93', 'N', 'U', 'M', 'P', 'Y', 1, 0, static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
  os.write(preamble, sizeof preamble);
  os << header;
  static_assert(sizeof(float) == 4, "'<f4' is a 4-byte IEEE float");
  // Little-endian hosts only (x86-64, arm64): the floats are written as they are in memory.
  os.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(float)));
}

void write_attention_npy(std::ostream& os, const EvalAttention& a) {
  write_npy_f32(os, {a.layers, a.heads, a.samples, a.T, a.T}, a.weights.data(), a.weights.size());
}

}  // namespace polarlab::transformer
