// Reading a `polarlab-cli simulate` run folder back into records (figure.hpp: read_run_directory), for
// `figure --run` and the Python module's figures.
#include <filesystem>
#include <fstream>

#include "core/experiment/presets.hpp"
#include "core/figure/figure.hpp"
#include "core/figure/text.hpp"
#include "core/io/owned_folder.hpp"
#include "core/io/run_directory.hpp"

namespace polarlab::figure {

RunData read_run_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw ConfigError("--run", "'" + dir + "' is not a directory");
  // Only the files of the run its manifest names: a folder holding other files (--force) or another kind of
  // output is not read as a simulate run.
  if (const auto m = read_manifest(dir); m && m->kind != "run")
    throw ConfigError("--run", "'" + dir + "' holds polarlab's " + m->kind + " output, not a simulate run");
  for (const char* name : {"config.json", "trajectory.csv"})
    if (!run_file_listed(dir, name))
      throw ConfigError("--run", "'" + dir + "' has no " + name + " of its run (not a run directory of 'simulate')");
  RunData r;
  r.config = config_from_json(read_json_file(dir + "/config.json"));
  if (run_file_listed(dir, "summary.json")) {
    const nlohmann::json s = read_json_file(dir + "/summary.json");
    // argmax u(0) is a fact of every run; "predicted_winner" is null where Theorem 3.3 predicts none.
    const nlohmann::json w = s.contains("argmax_u0") ? s["argmax_u0"] : s.value("predicted_winner", nlohmann::json());
    r.facts.predicted_winner = w.is_number_integer() ? w.get<int>() : 0;
    r.facts.delta = s.value("delta", 0.0);
  }
  Table t;
  try {
    t = read_csv_table(dir + "/trajectory.csv");
  } catch (const std::exception& e) {
    throw ConfigError("--run", e.what());
  }
  auto indexed = [&](const std::string& prefix) {
    std::vector<int> cols;
    for (int i = 0;; ++i) {
      const int c = t.column(prefix + std::to_string(i));
      if (c < 0) break;
      cols.push_back(c);
    }
    return cols;
  };
  const auto cs = indexed("s_"), cu = indexed("u_"), ca = indexed("a_"), csv = indexed("sv_"),
             cn = indexed("colnorm_");
  r.facts.p = static_cast<Index>(cs.size());
  auto col = [&](const char* name) { return t.column(name); };
  const int c_step = col("step"), c_t = col("t"), c_loss = col("loss"), c_ent = col("entropy"), c_max = col("max_s"),
            c_win = col("winner"), c_g = col("gamma"), c_gi = col("gamma_integral"), c_b = col("bound"),
            c_r = col("ratio");
  if (c_t < 0 || cs.empty()) throw ConfigError("--run", "'" + dir + "/trajectory.csv' lacks the t or s_0 columns");
  auto get = [](const std::vector<double>& row, int c) { return c < 0 ? NAN : row[static_cast<std::size_t>(c)]; };
  auto vec = [](const std::vector<double>& row, const std::vector<int>& cols) {
    Vec v(static_cast<Index>(cols.size()));
    for (std::size_t i = 0; i < cols.size(); ++i) v(static_cast<Index>(i)) = row[static_cast<std::size_t>(cols[i])];
    return v;
  };
  for (const auto& row : t.rows) {
    Record rec;
    rec.step = static_cast<std::int64_t>(get(row, c_step));
    rec.t = get(row, c_t);
    rec.loss = get(row, c_loss);
    rec.entropy = get(row, c_ent);
    rec.max_s = get(row, c_max);
    rec.winner = static_cast<int>(get(row, c_win));
    rec.gamma = get(row, c_g);
    rec.gamma_integral = get(row, c_gi);
    rec.bound = get(row, c_b);
    rec.ratio = get(row, c_r);
    rec.s = vec(row, cs);
    rec.u = vec(row, cu);
    rec.a = vec(row, ca);
    rec.singular_values = vec(row, csv);
    rec.column_norms = vec(row, cn);
    r.records.push_back(std::move(rec));
  }
  // attention.csv holds σ(A) at the last record only.
  std::ifstream att;
  if (run_file_listed(dir, "attention.csv")) att.open(dir + "/attention.csv");
  if (att && !r.records.empty()) {
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(att, line);) {
      if (line.empty()) continue;
      std::vector<double> row;
      std::stringstream ls(line);
      for (std::string cell; std::getline(ls, cell, ',');) row.push_back(std::strtod(cell.c_str(), nullptr));
      rows.push_back(std::move(row));
    }
    if (!rows.empty()) {
      Mat A(static_cast<Index>(rows.size()), static_cast<Index>(rows.front().size()));
      for (std::size_t i = 0; i < rows.size(); ++i)
        for (std::size_t j = 0; j < rows[i].size() && j < rows.front().size(); ++j)
          A(static_cast<Index>(i), static_cast<Index>(j)) = rows[i][j];
      r.records.back().attention = A;
    }
  }
  r.label = escape_markup(r.config.name);
  try {  // a sweep member is labelled by its sweep value, as run_preset does
    const nlohmann::json sweep = load_preset_json(r.config.name).value("sweep", nlohmann::json::object());
    if (!sweep.empty()) r.label.clear();
    for (const auto& [key, values] : sweep.items()) {
      (void)values;
      r.label += (r.label.empty() ? "" : ", ") + sweep_label(key, r.config);
    }
  } catch (const ConfigError&) {
  }
  return r;
}

}  // namespace polarlab::figure
