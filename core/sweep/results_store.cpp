#include "core/sweep/results_store.hpp"

#include <sqlite3.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "core/sweep/run_status.hpp"
#include "core/transformer/run_files.hpp"
#include "core/types.hpp"

namespace polarlab::sweep {

namespace {

struct Column {
  const char* name;
  const char* type;
};

const std::vector<Column>& columns() {
  static const std::vector<Column> cols = [] {
    std::vector<Column> c = {{"id", "TEXT PRIMARY KEY"}, {"run_index", "INTEGER"}, {"params", "TEXT"}};
    for (const ParamDef& d : parameter_defs())
      c.push_back({d.name.c_str(), d.kind == ParamKind::real ? "REAL" : d.kind == ParamKind::text ? "TEXT" : "INTEGER"});
    for (const Column& m : std::vector<Column>{{"eval_accuracy", "REAL"}, {"eval_loss", "REAL"}, {"sink_scores", "TEXT"},
                                               {"sink_layer2", "TEXT"}, {"sink_l2_h0", "REAL"}, {"sink_l2_h1", "REAL"},
                                               {"sink_l2_h2", "REAL"}, {"sink_l2_h3", "REAL"}, {"sink_l2_h4", "REAL"},
                                               {"sink_l2_h5", "REAL"}, {"sink_l2_h6", "REAL"}, {"sink_l2_h7", "REAL"},
                                               {"sink_heads", "TEXT"}, {"sink_heads_l2", "INTEGER"},
                                               {"flip_rate", "REAL"}, {"flip_rates", "TEXT"},
                                               {"trained_steps", "INTEGER"}, {"total_steps", "INTEGER"},
                                               {"seconds_per_step", "REAL"}, {"train_seconds", "REAL"},
                                               {"device_used", "TEXT"}, {"status", "TEXT NOT NULL"}, {"error", "TEXT"},
                                               {"exit_code", "INTEGER"}, {"attempts", "INTEGER"}, {"host", "TEXT"},
                                               {"pid", "INTEGER"}, {"backend", "TEXT"}, {"slurm_job", "TEXT"},
                                               {"started_at", "TEXT"}, {"finished_at", "TEXT"},
                                               {"wall_seconds", "REAL"}, {"run_dir", "TEXT"}, {"collected_at", "TEXT"}})
      c.push_back(m);
    return c;
  }();
  return cols;
}

struct Db {
  sqlite3* db = nullptr;
  std::string path;
  explicit Db(const std::string& p, bool readonly, int busy_ms) : path(p) {
    const int flags = readonly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(p.c_str(), &db, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
      const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
      sqlite3_close(db);
      db = nullptr;
      throw std::runtime_error("cannot open the results database '" + p + "': " + msg);
    }
    sqlite3_busy_timeout(db, busy_ms);
  }
  ~Db() { sqlite3_close(db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : sqlite3_errmsg(db);
      sqlite3_free(err);
      throw std::runtime_error("results database '" + path + "': " + msg + " (in: " + sql.substr(0, 60) + ")");
    }
  }
};

using Value = nlohmann::json;  // null, number, string, bool

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception&) {
    return nullptr;
  }
}

void bind_value(sqlite3_stmt* st, int i, const Value& v) {
  if (v.is_null()) sqlite3_bind_null(st, i);
  else if (v.is_boolean()) sqlite3_bind_int(st, i, v.get<bool>() ? 1 : 0);
  else if (v.is_number_integer()) sqlite3_bind_int64(st, i, v.get<long long>());
  else if (v.is_number()) {
    const double x = v.get<double>();
    if (std::isfinite(x)) sqlite3_bind_double(st, i, x);
    else sqlite3_bind_null(st, i);
  } else if (v.is_string()) sqlite3_bind_text(st, i, v.get_ref<const std::string&>().c_str(), -1, SQLITE_TRANSIENT);
  else {
    const std::string s = v.dump();
    sqlite3_bind_text(st, i, s.c_str(), -1, SQLITE_TRANSIENT);
  }
}

// The row of one planned run from its files.
std::map<std::string, Value> row_of(const Plan& plan, const PlannedRun& r, const std::string& now) {
  std::map<std::string, Value> row;
  const std::string dir = plan.run_dir(r.id);
  row["id"] = r.id;
  row["run_index"] = r.index;
  row["params"] = nlohmann::json(r.params).dump();
  row["run_dir"] = "runs/" + r.id;
  row["collected_at"] = now;
  const nlohmann::json cfg = read_json(dir + "/config.json");
  for (const ParamDef& d : parameter_defs()) {
    if (auto it = r.params.find(d.name); it != r.params.end()) {
      row[d.name] = it->second;
      continue;
    }
    if (!cfg.is_object()) continue;
    // The value config.json holds (its key is the field's: use_mlp for the parameter mlp).
    if (cfg.contains(d.field->key)) row[d.name] = cfg[d.field->key];
  }
  if (cfg.is_object() && !r.params.count("causal") && !cfg.contains("causal") && cfg.contains("task"))
    row["causal"] = cfg["task"] == "induction";

  TaskStatus st = read_status(dir);
  std::string status = name_of(st.state);
  if (st.state == TaskState::started) status = is_stale(st) ? "interrupted" : "running";
  row["status"] = status;
  if (!st.error.empty()) row["error"] = st.error;
  if (st.state != TaskState::pending) {
    row["attempts"] = st.attempt;
    row["host"] = st.host;
    row["pid"] = st.pid;
    row["backend"] = st.backend;
    if (!st.slurm_job.empty()) row["slurm_job"] = st.slurm_job;
    row["started_at"] = st.started_at;
    if (!st.finished_at.empty()) {
      row["finished_at"] = st.finished_at;
      row["wall_seconds"] = st.wall_seconds;
      row["exit_code"] = st.exit_code;
    }
  }
  if (st.state == TaskState::done) {
    const nlohmann::json s = transformer::read_summary(dir).value_or(nullptr);  // core's reader, next to its writer
    if (s.is_object()) {
      auto copy = [&](const char* from, const char* to) {
        if (s.contains(from)) row[to] = s[from];
      };
      copy("eval_accuracy", "eval_accuracy");
      copy("eval_loss", "eval_loss");
      copy("flip_rate", "flip_rate");
      copy("steps", "trained_steps");
      copy("total_steps", "total_steps");
      copy("seconds_per_step", "seconds_per_step");
      copy("train_seconds", "train_seconds");
      copy("device", "device_used");
      if (s.contains("flip_rates")) row["flip_rates"] = s["flip_rates"].dump();
      if (s.contains("sink_scores") && s["sink_scores"].is_array()) {
        const auto& sc = s["sink_scores"];
        row["sink_scores"] = sc.dump();
        if (sc.size() >= 2 && sc[1].is_array()) {
          row["sink_layer2"] = sc[1].dump();
          for (std::size_t h = 0; h < sc[1].size() && h < 8; ++h)
            row["sink_l2_h" + std::to_string(h)] = sc[1][h];
        }
      }
      if (s.contains("sink_heads") && s["sink_heads"].is_array()) {
        const auto& sh = s["sink_heads"];
        row["sink_heads"] = sh.dump();
        if (sh.size() >= 2 && sh[1].is_array()) {
          int n = 0;
          for (const auto& b : sh[1]) n += b.is_boolean() ? b.get<bool>() : b.is_number() ? b.get<double>() != 0 : 0;
          row["sink_heads_l2"] = n;
        }
      }
    } else {
      row["status"] = "failed";
      row["error"] = "status says done but summary.json is missing or unreadable";
    }
  }
  return row;
}

}  // namespace

std::string results_path(const std::string& sweep_dir) { return sweep_dir + "/results.sqlite"; }

const std::string& runs_table_sql() {
  static const std::string sql = [] {
    std::string s = "CREATE TABLE IF NOT EXISTS runs (\n";
    for (std::size_t i = 0; i < columns().size(); ++i)
      s += std::string("  ") + columns()[i].name + " " + columns()[i].type + (i + 1 < columns().size() ? ",\n" : "\n");
    return s + ")";
  }();
  return sql;
}

CollectSummary collect(const Plan& plan, int busy_timeout_ms) {
  // Read every file before opening the transaction: the write lock is held for milliseconds only.
  const std::string now = utc_now();
  std::vector<std::map<std::string, Value>> rows;
  rows.reserve(plan.runs.size());
  for (const PlannedRun& r : plan.runs) rows.push_back(row_of(plan, r, now));

  Db db(results_path(plan.dir), false, busy_timeout_ms);
  db.exec(runs_table_sql());
  std::string cols, marks, updates;
  for (std::size_t i = 0; i < columns().size(); ++i) {
    const std::string c = columns()[i].name;
    cols += (i ? "," : "") + c;
    marks += i ? ",?" : "?";
    if (c != "id") updates += (updates.empty() ? "" : ",") + c + "=excluded." + c;
  }
  const std::string sql = "INSERT INTO runs (" + cols + ") VALUES (" + marks + ") ON CONFLICT(id) DO UPDATE SET " + updates;
  db.exec("BEGIN IMMEDIATE");
  CollectSummary sum;
  try {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("results database: ") + sqlite3_errmsg(db.db));
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> guard(st, sqlite3_finalize);
    for (const auto& row : rows) {
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
      for (std::size_t i = 0; i < columns().size(); ++i) {
        auto it = row.find(columns()[i].name);
        bind_value(st, static_cast<int>(i + 1), it == row.end() ? Value() : it->second);
      }
      if (sqlite3_step(st) != SQLITE_DONE)
        throw std::runtime_error(std::string("results database: ") + sqlite3_errmsg(db.db));
      ++sum.rows;
      ++sum.by_status[row.at("status").get<std::string>()];
    }
    guard.reset();
    db.exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  return sum;
}

std::optional<double> RunRow::num(const std::string& col) const {
  auto it = number.find(col);
  return it == number.end() ? std::nullopt : it->second;
}

std::string RunRow::str(const std::string& col) const {
  auto it = text.find(col);
  return it == text.end() || !it->second ? std::string() : *it->second;
}

std::vector<RunRow> read_rows(const std::string& db_path, const std::string& where) {
  {
    std::ifstream probe(db_path);
    if (!probe) throw ConfigError("SWEEPDIR", "no results database '" + db_path + "' (run: polarlab-cli sweep collect SWEEPDIR)");
  }
  Db db(db_path, true, 120000);
  const std::string sql = "SELECT * FROM runs" + (where.empty() ? "" : " WHERE " + where) + " ORDER BY run_index";
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    throw std::runtime_error("results database '" + db_path + "': " + sqlite3_errmsg(db.db));
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> guard(st, sqlite3_finalize);
  std::vector<RunRow> rows;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    RunRow r;
    for (int i = 0; i < sqlite3_column_count(st); ++i) {
      const std::string name = sqlite3_column_name(st, i);
      switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL: r.text[name] = std::nullopt; r.number[name] = std::nullopt; break;
        case SQLITE_INTEGER: case SQLITE_FLOAT:
          r.number[name] = sqlite3_column_double(st, i);
          r.text[name] = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
          break;
        default:
          r.text[name] = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
          r.number[name] = std::nullopt;
      }
    }
    rows.push_back(std::move(r));
  }
  if (rc != SQLITE_DONE) throw std::runtime_error("results database '" + db_path + "': " + sqlite3_errmsg(db.db));
  return rows;
}

}  // namespace polarlab::sweep
