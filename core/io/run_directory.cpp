#include "core/io/run_directory.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "core/io/atomic_file.hpp"
#include "core/io/owned_folder.hpp"

namespace polarlab {

namespace {
// Shortest text that reads back to the same double.
void put(std::ostream& out, double v) {
  char buf[32];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.write(buf, res.ptr - buf);
}
void put_vec(std::ostream& out, const Vec& v) {
  for (Index i = 0; i < v.size(); ++i) {
    out << ',';
    put(out, v(i));
  }
}
Index sv_count(const std::vector<Record>& records) {
  return records.empty() ? 0 : records.front().singular_values.size();
}
}  // namespace

std::string trajectory_header(const Experiment& ex, const std::vector<Record>& records) {
  const Index p = ex.model->p();
  std::ostringstream h;
  h << "step,t,loss,entropy,max_s,winner,gamma,gamma_integral";
  for (const char* name : {"s", "u", "a"})
    for (Index i = 0; i < p; ++i) h << ',' << name << '_' << i;
  h << ",bound,ratio";
  for (Index i = 0; i < sv_count(records); ++i) h << ",sv_" << i;
  if (ex.config.model == ModelKind::tied)
    for (Index i = 0; i < p; ++i) h << ",colnorm_" << i;
  return h.str();
}

void write_trajectory_csv(const std::string& path, const Experiment& ex, const std::vector<Record>& records) {
  write_file_atomically(path, [&](std::ostream& out) {
    out << trajectory_header(ex, records) << '\n';
    for (const Record& r : records) {
      out << r.step << ',';
      put(out, r.t);
      for (double v : {r.loss, r.entropy, r.max_s}) out << ',', put(out, v);
      out << ',' << r.winner;
      for (double v : {r.gamma, r.gamma_integral}) out << ',', put(out, v);
      put_vec(out, r.s);
      put_vec(out, r.u);
      put_vec(out, r.a);
      out << ',', put(out, r.bound);
      out << ',', put(out, r.ratio);
      put_vec(out, r.singular_values);
      if (ex.config.model == ModelKind::tied) put_vec(out, r.column_norms);
      out << '\n';
    }
  });
}

void write_potentials_csv(const std::string& path, const Experiment& ex, const std::vector<Record>& records) {
  const Index p = ex.model->p();
  if (p > 32) return;
  write_file_atomically(path, [&](std::ostream& out) {
    out << "step,t";
    for (Index i = 0; i < p; ++i)
      for (Index j = i + 1; j < p; ++j) out << ",phi_" << i << '_' << j;
    out << '\n';
    for (const Record& r : records) {
      const Mat phi = lyapunov_potential(ex.config.map, r.a, r.u);
      out << r.step << ',';
      put(out, r.t);
      for (Index i = 0; i < p; ++i)
        for (Index j = i + 1; j < p; ++j) out << ',', put(out, phi(i, j));
      out << '\n';
    }
  });
}

nlohmann::json run_summary_json(const Runner& runner, const nlohmann::json& extra) {
  const auto& records = runner.records();
  nlohmann::json s;
  const auto& st = runner.status();
  s["status"] = st.state == RunState::finished ? "finished" : st.state == RunState::failed ? "failed" : "incomplete";
  if (!st.message.empty()) s["message"] = st.message;
  s["steps_taken"] = runner.steps_taken();
  s["records"] = records.size();
  // A prediction only where its theorem applies (Theorem 3.3): elsewhere null and the reason.
  const TheoremScope& scope = runner.scope();
  if (scope.prediction) s["predicted_winner"] = scope.predicted_winner;
  else s["predicted_winner"] = nullptr, s["prediction_reason"] = theorem_scope_line(scope);
  s["argmax_u0"] = runner.facts().predicted_winner;  // a fact of u(0), whether or not a theorem predicts it wins
  s["delta"] = runner.facts().delta;
  if (!records.empty()) {
    const Record& r = records.back();
    s["final"] = {{"step", r.step}, {"t", r.t}, {"loss", r.loss}, {"max_s", r.max_s}, {"winner", r.winner},
                  {"entropy", r.entropy}, {"gamma_integral", r.gamma_integral},
                  {"u_winner", r.u(r.winner)}, {"bound", r.bound}, {"ratio", r.ratio}};
  }
  if (const Dopri5* sol = runner.solver())
    s["solver"] = {{"accepted", sol->accepted()}, {"rejected", sol->rejected()}, {"evaluations", sol->evaluations()}};
  for (const auto& [k, v] : extra.items()) s[k] = v;
  return s;
}

void write_run_directory(const std::string& dir, const Runner& runner, const nlohmann::json& extra, bool force) {
  if (!force) check_output_folder(dir, "dir", "run", false);
  const Experiment& ex = runner.experiment();
  const auto& records = runner.records();
  // The whole folder at once: a reused folder keeps nothing of the run before (its attention.csv, a larger p's
  // potentials.csv), and the manifest lists what this run wrote.
  write_owned_folder(dir, "run", [&](const std::string& d) {
    auto json_file = [&](const std::string& name, const nlohmann::json& j) {
      write_file_atomically(d + "/" + name, [&](std::ostream& out) { out << std::setw(2) << j << '\n'; });
    };
    json_file("config.json", config_to_json(ex.config));
    json_file("initial_state.json", initial_state_json(ex));
    write_trajectory_csv(d + "/trajectory.csv", ex, records);
    write_potentials_csv(d + "/potentials.csv", ex, records);
    if (ex.config.model == ModelKind::sink && !records.empty()) {
      write_file_atomically(d + "/attention.csv", [&](std::ostream& out) {
        const Mat& A = records.back().attention;
        for (Index r = 0; r < A.rows(); ++r) {
          for (Index c = 0; c < A.cols(); ++c) {
            if (c) out << ',';
            put(out, A(r, c));
          }
          out << '\n';
        }
      });
    }
    json_file("summary.json", run_summary_json(runner, extra));
  });
}

int Table::column(const std::string& name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int>(i);
  return -1;
}

std::vector<double> Table::values(const std::string& name) const {
  const int c = column(name);
  std::vector<double> out;
  if (c < 0) return out;
  for (const auto& r : rows) out.push_back(r[static_cast<std::size_t>(c)]);
  return out;
}

Table read_csv_table(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open '" + path + "'");
  Table t;
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("'" + path + "' is empty");
  std::stringstream hs(line);
  for (std::string cell; std::getline(hs, cell, ',');) t.columns.push_back(cell);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream ls(line);
    for (std::string cell; std::getline(ls, cell, ',');) row.push_back(std::strtod(cell.c_str(), nullptr));
    if (row.size() != t.columns.size())
      throw std::runtime_error("'" + path + "': a row has " + std::to_string(row.size()) + " cells, the header " +
                               std::to_string(t.columns.size()));
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace polarlab
