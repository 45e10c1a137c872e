#include "app/gui/sweeps/model.hpp"
#include "core/io/atomic_file.hpp"

#ifdef HAVE_POLARLAB_SWEEP  // polarlab_sweep needs yaml-cpp and SQLite

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "core/job/job.hpp"
#include "core/sweep/plan.hpp"
#include "core/transformer/config_table.hpp"
#include "core/types.hpp"

namespace polarlab::gui {

namespace fs = std::filesystem;
namespace sw = polarlab::sweep;

namespace {

// The report's number format for names and column labels ("%g": 0.2, 41, 0.001).
std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

// A NULL parameter (a pending run's default, not yet in the database) matches anything.
bool num_is(const sw::RunRow& r, const char* col, const std::string& label) {
  const auto v = r.num(col);
  return !v || fmt(*v) == label;
}
bool text_is(const sw::RunRow& r, const char* col, const std::string& value) {
  const std::string s = r.str(col);
  return s.empty() || s == value;
}


std::optional<int> as_index(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  return std::atoi(s.c_str());
}

std::string now_hms() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

std::vector<std::vector<double>> scores_from_json(const std::string& text) {
  std::vector<std::vector<double>> out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& layer : j) {
    out.emplace_back();
    if (!layer.is_array()) continue;
    for (const auto& v : layer) out.back().push_back(v.is_number() ? v.get<double>() : std::nan(""));
  }
  return out;
}

}  // namespace

void SweepData::index_rows() {
  by_id.clear();
  for (std::size_t i = 0; i < rows.size(); ++i) by_id[rows[i].str("id")] = i;
}

const sw::RunRow* SweepData::find(const std::string& id) const {
  const auto it = by_id.find(id);
  return it == by_id.end() ? nullptr : &rows[it->second];
}

SweepPaths resolve_sweep_path(const std::string& given) {
  const std::string path = trim(given);
  if (path.empty())
    throw ConfigError("sweep", "give a sweep folder (made by 'polarlab-cli sweep plan SPEC --out DIR') or its "
                               "results.sqlite");
  std::error_code ec;
  const fs::path p = fs::weakly_canonical(fs::absolute(path), ec);
  if (ec || !fs::exists(p, ec)) throw ConfigError("sweep", "'" + path + "' does not exist");
  SweepPaths out;
  if (fs::is_directory(p, ec)) {
    out.dir = p.string();
    out.db = (p / "results.sqlite").string();
  } else {
    out.db = p.string();
    out.dir = p.parent_path().string();
  }
  return out;
}

std::string grid_label(const sw::GridView& v) {
  for (const auto& [prefix, label] : {std::pair<std::string, std::string>{"sink_lambda", "sink λ="},
                                      {"accuracy_lambda", "accuracy λ="},
                                      {"flip_vocab", "flip vocab="}})
    if (starts_with(v.name, prefix)) return label + v.name.substr(prefix.size());
  return v.name;
}

std::vector<SweepGrid> build_grids(const std::vector<sw::RunRow>& rows) {
  std::vector<SweepGrid> out;
  auto add = [&](SweepGridKind kind, std::vector<sw::GridView> views) {
    for (auto& v : views) {
      SweepGrid g;
      g.kind = kind;
      g.label = grid_label(v);
      g.view = std::move(v);
      out.push_back(std::move(g));
    }
  };
  add(SweepGridKind::sink, sw::sink_views(rows));
  add(SweepGridKind::accuracy, sw::accuracy_views(rows));
  add(SweepGridKind::flip, sw::flip_views(rows));
  return out;
}

std::string status_line(const std::map<std::string, int>& by) {
  auto n = [&](const char* s) {
    const auto it = by.find(s);
    return it == by.end() ? 0 : it->second;
  };
  int total = 0;
  for (const auto& [s, k] : by) total += k;
  std::string line = std::to_string(total) + " runs: " + std::to_string(n("done")) + " done, " +
                     std::to_string(n("failed")) + " failed, " + std::to_string(n("running")) + " running, " +
                     std::to_string(n("pending")) + " pending";
  if (n("interrupted")) line += ", " + std::to_string(n("interrupted")) + " interrupted";
  return line;
}

int default_grid(const std::vector<SweepGrid>& grids) {
  for (std::size_t g = 0; g < grids.size(); ++g)
    for (const auto& p : grids[g].view.panels)
      for (const auto& c : p.cells)
        if (std::isfinite(c.value)) return static_cast<int>(g);
  return grids.empty() ? -1 : 0;
}

int find_grid(const std::vector<SweepGrid>& grids, const std::string& name) {
  for (std::size_t g = 0; g < grids.size(); ++g)
    if (grids[g].view.name == name || grids[g].label == name) return static_cast<int>(g);
  return -1;
}

bool row_in_cell(const SweepGrid& g, int panel, int row, int col, const sw::RunRow& r) {
  const sw::GridView& v = g.view;
  if (panel < 0 || panel >= static_cast<int>(v.panels.size()) || row < 0 || row >= static_cast<int>(v.rows.size()) ||
      col < 0 || col >= static_cast<int>(v.cols.size()))
    return false;
  const std::string& title = v.panels[static_cast<std::size_t>(panel)].title;
  const std::string& col_label = v.cols[static_cast<std::size_t>(col)];
  if (!text_is(r, "attention", v.rows[static_cast<std::size_t>(row)])) return false;
  if (g.kind == SweepGridKind::flip) {
    if (!text_is(r, "task", "classification")) return false;
    if (const auto vocab = r.num("vocab"); vocab && v.name != "flip_vocab" + fmt(*vocab)) return false;
    const int mlp = static_cast<int>(r.num("mlp").value_or(1)), ln = static_cast<int>(r.num("layernorm").value_or(1));
    if (title != std::string(mlp ? "MLP" : "no MLP") + ", " + (ln ? "LN" : "no LN")) return false;
    const auto comma = col_label.find(',');
    return comma != std::string::npos && num_is(r, "layers", col_label.substr(0, comma)) &&
           num_is(r, "heads", col_label.substr(comma + 1));
  }
  if (!text_is(r, "task", "induction")) return false;
  const std::string prefix = g.kind == SweepGridKind::sink ? "sink_lambda" : "accuracy_lambda";
  if (const auto lam = r.num("aux_weight"); lam && v.name != prefix + fmt(*lam)) return false;
  if (const std::string pos = r.str("positional"); !pos.empty() && title != "positional: " + pos) return false;
  return num_is(r, "heads", col_label);
}

std::vector<const sw::RunRow*> cell_rows(const SweepData& d, const SweepGrid& g, int panel, int row, int col) {
  std::vector<const sw::RunRow*> out;
  const sw::GridView& v = g.view;
  if (panel < 0 || panel >= static_cast<int>(v.panels.size()) || row < 0 || row >= static_cast<int>(v.rows.size()) ||
      col < 0 || col >= static_cast<int>(v.cols.size()))
    return out;
  for (const std::string& id : v.cell(panel, row, col).run_ids)
    if (const sw::RunRow* r = d.find(id)) out.push_back(r);
  for (const sw::RunRow& r : d.rows)
    if (r.str("status") != "done" && row_in_cell(g, panel, row, col, r)) out.push_back(&r);
  return out;
}

std::vector<std::string> varying_params(const std::vector<const sw::RunRow*>& rows) {
  std::map<std::string, std::set<std::string>> values;
  for (const sw::RunRow* r : rows) {
    const auto j = nlohmann::json::parse(r->str("params"), nullptr, false);
    if (!j.is_object()) continue;
    for (const auto& [k, val] : j.items()) values[k].insert(val.dump());
  }
  std::vector<std::string> out;
  for (const auto& [k, s] : values)
    if (s.size() > 1) out.push_back(k);
  return out;
}

std::string params_text(const sw::RunRow& r, const std::vector<std::string>& names) {
  const auto j = nlohmann::json::parse(r.str("params"), nullptr, false);
  std::string out;
  for (const std::string& k : names) {
    if (!out.empty()) out += ' ';
    out += k + '=';
    if (!j.is_object() || !j.contains(k)) out += '?';
    else out += j[k].is_string() ? j[k].get<std::string>() : j[k].dump();
  }
  return out;
}

CellRef parse_cell_ref(const std::string& spec, const std::vector<SweepGrid>& grids) {
  // VIEW up to the first colon, ROW and COL after the last two; PANEL between may hold colons ("positional: add").
  std::vector<std::string> parts;
  const auto first = spec.find(':'), last = spec.rfind(':');
  const auto second_last = last == std::string::npos || last == 0 ? std::string::npos : spec.rfind(':', last - 1);
  if (first != std::string::npos && second_last != std::string::npos && first < second_last)
    parts = {spec.substr(0, first), spec.substr(first + 1, second_last - first - 1),
             spec.substr(second_last + 1, last - second_last - 1), spec.substr(last + 1)};
  if (parts.size() != 4)
    throw ConfigError("--sweep-cell", "expected VIEW:PANEL:ROW:COL (e.g. accuracy_lambda0.2:0:softmax:2), got '" +
                                          spec + "'");
  CellRef c;
  c.grid = find_grid(grids, parts[0]);
  if (c.grid < 0)
    if (const auto i = as_index(parts[0]); i && *i < static_cast<int>(grids.size())) c.grid = *i;
  if (c.grid < 0) {
    std::string names;
    for (const auto& g : grids) names += (names.empty() ? "" : ", ") + g.view.name;
    throw ConfigError("--sweep-cell", "no view '" + parts[0] + "' in this sweep (views: " +
                                          (names.empty() ? "none, no finished runs" : names) + ")");
  }
  const sw::GridView& v = grids[static_cast<std::size_t>(c.grid)].view;
  auto pick = [&](const std::string& part, const std::vector<std::string>& labels, const char* what) {
    for (std::size_t k = 0; k < labels.size(); ++k)
      if (labels[k] == part) return static_cast<int>(k);
    if (const auto i = as_index(part); i && *i < static_cast<int>(labels.size())) return *i;
    throw ConfigError("--sweep-cell", std::string("view ") + v.name + " has no " + what + " '" + part + "'");
  };
  std::vector<std::string> titles;
  for (const auto& p : v.panels) titles.push_back(p.title);
  c.panel = pick(parts[1], titles, "panel");
  c.row = pick(parts[2], v.rows, "row");
  c.col = pick(parts[3], v.cols, "column");
  return c;
}

std::shared_ptr<const SweepData> load_sweep(const std::string& path) {
  const double t0 = monotonic_seconds();
  const SweepPaths p = resolve_sweep_path(path);
  std::error_code ec;
  if (!fs::exists(p.db, ec)) {
    if (fs::exists(p.dir + "/plan.json", ec))
      throw ConfigError("sweep", "no results database in " + p.dir + " yet: press Collect (polarlab-cli sweep "
                                 "collect " + p.dir + ")");
    throw ConfigError("sweep", p.dir + " is not a sweep folder (no results.sqlite, no plan.json); make one with "
                               "'polarlab-cli sweep plan SPEC --out DIR'");
  }
  auto d = std::make_shared<SweepData>();
  d->source = trim(path);
  d->dir = p.dir;
  d->db = p.db;
  d->name = fs::path(p.dir).filename().string();
  if (const auto plan = read_text_file(p.dir + "/plan.json")) {
    const auto j = nlohmann::json::parse(*plan, nullptr, false);
    if (j.is_object() && j.contains("name") && j["name"].is_string()) d->name = j["name"].get<std::string>();
  }
  try {
    d->rows = sw::read_rows(p.db);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("cannot read ") + p.db + ": " + e.what());
  }
  for (const auto& r : d->rows) ++d->by_status[r.str("status")];
  d->grids = build_grids(d->rows);
  d->index_rows();
  d->seconds = monotonic_seconds() - t0;
  d->loaded_at = now_hms();
  return d;
}

std::shared_ptr<const SweepData> collect_and_load(const std::string& path) {
  const SweepPaths p = resolve_sweep_path(path);
  std::error_code ec;
  if (!fs::exists(p.dir + "/plan.json", ec))
    throw ConfigError("collect", "no plan.json in " + p.dir + ": Collect needs the sweep folder made by "
                                 "'polarlab-cli sweep plan' (Open reads a results.sqlite alone)");
  sw::collect(sw::read_plan(p.dir));
  return load_sweep(path);
}

std::shared_ptr<const RunDetail> load_run(const SweepData& d, const std::string& id) {
  const sw::RunRow* row = d.find(id);
  if (!row) throw ConfigError("run", "no run '" + id + "' in " + d.db);
  auto r = std::make_shared<RunDetail>();
  r->id = id;
  r->dir = d.dir + "/" + (row->str("run_dir").empty() ? "runs/" + id : row->str("run_dir"));
  r->status = row->str("status");
  r->error = row->str("error");
  // The task and token layout: config.json as the trainer resolved it (core's reader), else the database's
  // parameters applied to a TrainConfig through the field table; the defaults are TrainConfig's, nothing guessed.
  std::optional<transformer::TrainConfig> cfg;
  try {
    cfg = transformer::read_run_config(r->dir);
  } catch (const std::exception& e) {
    r->config_error = e.what();
  }
  if (!cfg) {
    transformer::TrainConfig c;
    for (const sw::ParamDef& p : sw::parameter_defs()) {
      try {
        if (p.kind == sw::ParamKind::text) {
          if (const std::string v = row->str(p.name.c_str()); !v.empty()) transformer::set_field(*p.field, c, v);
        } else if (const auto v = row->num(p.name.c_str())) {
          if (p.kind == sw::ParamKind::boolean) transformer::set_field(*p.field, c, *v != 0);
          else if (p.kind == sw::ParamKind::real) transformer::set_field(*p.field, c, *v);
          else transformer::set_field(*p.field, c, static_cast<long long>(*v));
        }
      } catch (const std::exception&) {
        // a value the config refuses: the field keeps its default
      }
    }
    if (row->str("positional").empty() && c.task == transformer::TaskKind::classification)
      c.positional = transformer::Positional::none;  // as `polarlab-cli train` defaults it
    const int threads = c.threads;
    cfg = transformer::resolve_defaults(c);
    cfg->threads = threads;
  }
  r->config = *cfg;
  r->induction = cfg->task == transformer::TaskKind::induction;
  r->vocab = cfg->vocab;
  r->labels = cfg->labels;
  r->causal = cfg->is_causal();
  {
    std::string t = row->str("attention");
    if (r->induction && !row->str("positional").empty()) t += ", " + row->str("positional");
    if (auto l = row->num("layers"), h = row->num("heads"); l && h) t += ", " + fmt(*l) + " layers × " + fmt(*h) + " heads";
    if (auto lam = row->num("aux_weight"); r->induction && lam) t += ", λ " + fmt(*lam);
    if (!r->induction) t += ", |V| " + std::to_string(r->vocab);
    if (auto lr = row->num("lr")) t += ", lr " + fmt(*lr);
    if (auto s = row->num("seed")) t += ", seed " + fmt(*s);
    r->title = t;
  }
  const bool finished = r->status == "done";
  const std::string why = finished ? "" : " (the run is " + (r->status.empty() ? std::string("pending") : r->status) + ")";
  if (const auto text = read_text_file(r->dir + "/attention.json")) {
    try {
      r->maps = parse_attention_json(*text);
      if (r->maps.empty()) r->maps_error = "attention.json holds no maps (config attention_samples is empty)";
    } catch (const std::exception& e) {
      r->maps_error = std::string(e.what()) + " in " + r->dir;
    }
  } else {
    r->maps_error = "no attention.json in " + r->dir + why;
  }
  if (const auto text = read_text_file(r->dir + "/metrics.csv")) {
    std::istringstream in(*text);
    try {
      r->metrics = transformer::read_metrics_csv(in);
    } catch (const std::exception& e) {
      r->metrics_error = std::string(e.what()) + " in " + r->dir;
    }
  } else {
    r->metrics_error = "no metrics.csv in " + r->dir + why;
  }
  if (const int s = r->metrics.column("step"); s >= 0 && r->metrics.size())
    r->step = static_cast<long long>(r->metrics.values[static_cast<std::size_t>(s)].back());
  // Head scores for the maps' titles: the final sink scores of the database, else the last logged row.
  if (r->induction) r->scores = scores_from_json(row->str("sink_scores"));
  if (r->scores.empty() && r->metrics.size() && !r->maps.empty()) {
    const char* kind = r->induction ? "sink" : "concentration";
    const auto& m = r->maps.front();
    for (int l = 0; l < m.layers; ++l) {
      r->scores.emplace_back();
      for (int h = 0; h < m.heads; ++h) {
        const int c = r->metrics.column(std::string(kind) + "_l" + std::to_string(l) + "_h" + std::to_string(h));
        r->scores.back().push_back(c < 0 ? std::nan("") : r->metrics.values[static_cast<std::size_t>(c)].back());
      }
    }
  }
  return r;
}

}  // namespace polarlab::gui
#endif
