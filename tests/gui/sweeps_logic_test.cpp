// Pure logic of the Sweeps workspace (no GL, no libtorch): view names, the status line, which runs belong to a grid
// cell (every finished run in exactly the cell that counted it, unfinished runs of the same set-up after them), the
// parameters that vary, scripted cell references, metrics.csv and attention.json parsing, a run's files with parts
// missing, and opening real sweep folders (planned and collected by core/sweep) on the loader thread.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/gui/sweeps/model.hpp"
#include "app/gui/sweeps/worker.hpp"
#include "tests/gui/executor.hpp"
#include "tests/poll.hpp"
#include "core/sweep/plan.hpp"
#include "core/sweep/results_store.hpp"
#include "tests/temp_dir.hpp"

namespace polarlab::gui {
namespace {

namespace fs = std::filesystem;
using sweep::RunRow;

// A database row as read_rows gives it: numbers also carry their text, NULLs are nullopt in both maps.
struct Row {
  RunRow r;
  Row& text(const std::string& k, const std::string& v) {
    r.text[k] = v;
    r.number[k] = std::nullopt;
    return *this;
  }
  Row& num(const std::string& k, double v) {
    r.number[k] = v;
    std::ostringstream s;
    s << v;
    r.text[k] = s.str();
    return *this;
  }
  Row& null(const std::string& k) {
    r.text[k] = std::nullopt;
    r.number[k] = std::nullopt;
    return *this;
  }
};

RunRow induction(const std::string& id, const std::string& status, const std::string& attention, int heads,
                 const std::string& positional, double lam, double lr, double accuracy, int sinks_l2) {
  Row x;
  x.text("id", id).text("status", status).text("task", "induction").text("attention", attention);
  x.num("heads", heads).num("layers", 2).text("positional", positional).num("aux_weight", lam).num("lr", lr);
  nlohmann::json params = {{"attention", attention}, {"heads", heads}, {"positional", positional},
                           {"aux_weight", lam},      {"lr", lr},       {"task", "induction"}};
  x.text("params", params.dump());
  if (status == "done") {
    x.num("eval_accuracy", accuracy).num("sink_heads_l2", sinks_l2);
    nlohmann::json l2 = nlohmann::json::array();
    for (int h = 0; h < heads; ++h) l2.push_back(h < sinks_l2 ? 0.95 : 0.2);
    x.text("sink_layer2", l2.dump());
  } else {
    x.null("eval_accuracy").null("sink_heads_l2").null("sink_layer2");
  }
  if (status == "failed") x.text("error", "train exited with status 3: loss is NaN at step 12");
  return x.r;
}

// Two λ, two positional types, two attention types, heads 1 and 2; two learning rates per set-up, plus runs that
// did not finish.
SweepData sample_sweep() {
  SweepData d;
  int n = 0;
  auto id = [&] { return "r" + std::to_string(n++); };
  for (double lam : {0.0, 0.2})
    for (const char* pos : {"concat", "add"})
      for (const char* att : {"softmax", "linear"})
        for (int heads : {1, 2})
          for (double lr : {1e-3, 3e-3}) {
            const bool ok = std::string(att) == "softmax";
            d.rows.push_back(induction(id(), "done", att, heads, pos, lam, lr, ok ? 0.99 : 0.4, ok ? heads : 0));
          }
  d.rows.push_back(induction("failed1", "failed", "softmax", 2, "add", 0.2, 1e-2, 0, 0));
  d.rows.push_back(induction("pending1", "pending", "linear", 1, "concat", 0.0, 1e-2, 0, 0));
  // A pending run whose positional type is not in the database yet (NULL): it may belong to either panel.
  RunRow p2 = induction("pending2", "pending", "softmax", 1, "concat", 0.0, 1e-2, 0, 0);
  p2.text["positional"] = std::nullopt;
  d.rows.push_back(p2);
  for (const auto& r : d.rows) ++d.by_status[r.str("status")];
  d.grids = build_grids(d.rows);
  d.index_rows();
  return d;
}

TEST(SweepGrids, LabelsNameTheViewAndItsParameter) {
  sweep::GridView v;
  v.name = "sink_lambda0.2";
  EXPECT_EQ(grid_label(v), "sink λ=0.2");
  v.name = "accuracy_lambda0";
  EXPECT_EQ(grid_label(v), "accuracy λ=0");
  v.name = "flip_vocab41";
  EXPECT_EQ(grid_label(v), "flip vocab=41");
  v.name = "other";
  EXPECT_EQ(grid_label(v), "other");

  const SweepData d = sample_sweep();
  std::vector<std::string> labels;
  for (const auto& g : d.grids) labels.push_back(g.label);
  EXPECT_EQ(labels, (std::vector<std::string>{"sink λ=0", "sink λ=0.2", "accuracy λ=0", "accuracy λ=0.2"}));
  EXPECT_EQ(find_grid(d.grids, "accuracy_lambda0.2"), 3);
  EXPECT_EQ(find_grid(d.grids, "sink λ=0.2"), 1);
  EXPECT_EQ(find_grid(d.grids, "flip_vocab41"), -1);
}

TEST(SweepGrids, StatusLineCountsEveryState) {
  EXPECT_EQ(status_line({{"done", 5}, {"failed", 1}, {"running", 2}, {"pending", 3}}),
            "11 runs: 5 done, 1 failed, 2 running, 3 pending");
  EXPECT_EQ(status_line({{"done", 1}, {"interrupted", 2}}), "3 runs: 1 done, 0 failed, 0 running, 0 pending, 2 interrupted");
  EXPECT_EQ(status_line({}), "0 runs: 0 done, 0 failed, 0 running, 0 pending");
}

TEST(SweepGrids, DefaultViewIsTheFirstWithAValueToColour) {
  SweepData d = sample_sweep();
  EXPECT_EQ(default_grid(d.grids), 0);  // softmax runs succeed: the sink view has values
  // Nothing succeeds: every sink cell is × (NaN), so the accuracy view comes first.
  for (auto& r : d.rows)
    if (r.str("status") == "done") r.number["eval_accuracy"] = 0.1;
  const auto grids = build_grids(d.rows);
  ASSERT_EQ(grids.size(), 4u);
  EXPECT_EQ(default_grid(grids), 2);
  EXPECT_EQ(grids[2].kind, SweepGridKind::accuracy);
  EXPECT_EQ(default_grid({}), -1);
}

TEST(SweepCells, EveryFinishedRunIsInExactlyTheCellThatCountedIt) {
  const SweepData d = sample_sweep();
  for (const SweepGrid& g : d.grids) {
    const auto& v = g.view;
    int total = 0;
    for (const RunRow& r : d.rows) {
      if (r.str("status") != "done") continue;
      int in_ids = 0, matched = 0;
      for (int p = 0; p < static_cast<int>(v.panels.size()); ++p)
        for (int i = 0; i < static_cast<int>(v.rows.size()); ++i)
          for (int c = 0; c < static_cast<int>(v.cols.size()); ++c) {
            const auto& ids = v.cell(p, i, c).run_ids;
            const bool listed = std::find(ids.begin(), ids.end(), r.str("id")) != ids.end();
            in_ids += listed;
            matched += row_in_cell(g, p, i, c, r);
            EXPECT_EQ(listed, row_in_cell(g, p, i, c, r)) << v.name << " " << r.str("id") << " cell " << p << i << c;
          }
      // In the view of its own λ: exactly one cell; in the other λ's view: none.
      const bool own = v.name.substr(v.name.find("lambda") + 6) == (r.num("aux_weight") == 0.0 ? "0" : "0.2");
      EXPECT_EQ(in_ids, own ? 1 : 0) << v.name << " " << r.str("id");
      EXPECT_EQ(matched, in_ids);
      total += in_ids;
    }
    EXPECT_EQ(total, 16) << v.name;  // 2 positional × 2 attention × 2 heads × 2 learning rates
    for (const auto& p : v.panels)
      for (const auto& c : p.cells) EXPECT_EQ(static_cast<int>(c.run_ids.size()), c.runs);
  }
}

TEST(SweepCells, ListFinishedRunsThenUnfinishedOnesOfTheSameSetUp) {
  const SweepData d = sample_sweep();
  const SweepGrid& acc = d.grids[static_cast<std::size_t>(find_grid(d.grids, "accuracy_lambda0.2"))];
  // Panel "positional: add" (concat comes first), row softmax, 2 heads: two learning rates, then the failed run.
  ASSERT_EQ(acc.view.panels[1].title, "positional: add");
  const int softmax = 0, two_heads = 1;
  ASSERT_EQ(acc.view.rows[softmax], "softmax");
  ASSERT_EQ(acc.view.cols[two_heads], "2");
  const auto rows = cell_rows(d, acc, 1, softmax, two_heads);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]->str("status"), "done");
  EXPECT_EQ(rows[1]->str("status"), "done");
  EXPECT_EQ(rows[2]->str("id"), "failed1");
  EXPECT_EQ(acc.view.cell(1, softmax, two_heads).runs, 2);
  EXPECT_NEAR(acc.view.cell(1, softmax, two_heads).value, 0.99, 1e-12);
  // What varies among them: the learning rate only (attention, heads, positional, λ are the cell).
  const auto vary = varying_params(rows);
  EXPECT_EQ(vary, (std::vector<std::string>{"lr"}));
  EXPECT_EQ(params_text(*rows[2], vary), "lr=0.01");
  // λ = 0, concat, linear, 1 head: the pending run is listed after the two finished ones.
  const SweepGrid& acc0 = d.grids[static_cast<std::size_t>(find_grid(d.grids, "accuracy_lambda0"))];
  const auto lin = cell_rows(d, acc0, 0, 1, 0);
  ASSERT_EQ(lin.size(), 3u);
  EXPECT_EQ(lin[2]->str("id"), "pending1");
  // A pending run without a positional value yet belongs to the softmax/1-head cell of both panels.
  for (int panel : {0, 1}) {
    const auto s = cell_rows(d, acc0, panel, 0, 0);
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s.back()->str("id"), "pending2") << panel;
  }
  // Out of range: nothing.
  EXPECT_TRUE(cell_rows(d, acc0, 5, 0, 0).empty());
  EXPECT_TRUE(cell_rows(d, acc0, 0, 0, 9).empty());
}

TEST(SweepCells, FlipCellsMatchVocabMlpLayerNormLayersAndHeads) {
  std::vector<RunRow> rows;
  auto cls = [&](const std::string& id, const std::string& status, int mlp, int ln, int layers, int heads) {
    Row x;
    x.text("id", id).text("status", status).text("task", "classification").text("attention", "softmax");
    x.num("vocab", 41).num("mlp", mlp).num("layernorm", ln).num("layers", layers).num("heads", heads);
    if (status == "done") x.num("eval_accuracy", 0.99).num("flip_rate", 0.5);
    else x.null("eval_accuracy").null("flip_rate");
    rows.push_back(x.r);
  };
  cls("a", "done", 1, 1, 1, 2);
  cls("b", "done", 0, 1, 2, 2);
  cls("c", "failed", 0, 1, 2, 2);
  cls("d", "failed", 1, 1, 2, 2);
  SweepData d;
  d.rows = rows;
  d.grids = build_grids(d.rows);
  d.index_rows();
  ASSERT_EQ(d.grids.size(), 1u);
  const SweepGrid& g = d.grids[0];
  EXPECT_EQ(g.kind, SweepGridKind::flip);
  EXPECT_EQ(g.label, "flip vocab=41");
  ASSERT_EQ(g.view.cols, (std::vector<std::string>{"1,2", "2,2"}));
  ASSERT_EQ(g.view.panels.size(), 2u);
  EXPECT_EQ(g.view.panels[1].title, "no MLP, LN");
  const auto r = cell_rows(d, g, 1, 0, 1);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0]->str("id"), "b");
  EXPECT_EQ(r[1]->str("id"), "c");
  const auto mlp = cell_rows(d, g, 0, 0, 1);  // MLP, LN, 2 layers: only the failed run d
  ASSERT_EQ(mlp.size(), 1u);
  EXPECT_EQ(mlp[0]->str("id"), "d");
}

TEST(SweepCells, CellReferenceParts) {
  const SweepData d = sample_sweep();
  const CellRef a = parse_cell_ref("accuracy_lambda0.2:1:softmax:2", d.grids);
  EXPECT_EQ(a.grid, 3);
  EXPECT_EQ(a.panel, 1);
  EXPECT_EQ(a.row, 0);
  EXPECT_EQ(a.col, 1);  // the column labelled "2" (heads), not index 2
  const CellRef b = parse_cell_ref("0:0:1:0", d.grids);
  EXPECT_EQ(b.grid, 0);
  EXPECT_EQ(b.row, 1);
  EXPECT_EQ(b.col, 0);
  // A panel title with a colon of its own: VIEW is up to the first colon, ROW and COL after the last two.
  const CellRef t = parse_cell_ref("accuracy_lambda0.2:positional: add:softmax:2", d.grids);
  EXPECT_EQ(t.grid, 3);
  EXPECT_EQ(t.panel, 1);
  EXPECT_EQ(t.row, 0);
  EXPECT_EQ(t.col, 1);
  const CellRef e = parse_cell_ref("sink λ=0.2:0:linear:1", d.grids);
  EXPECT_EQ(e.grid, 1);
  EXPECT_EQ(e.row, 1);
  EXPECT_EQ(e.col, 0);
  auto message = [&](const std::string& spec) {
    try {
      parse_cell_ref(spec, d.grids);
    } catch (const std::exception& ex) {
      return std::string(ex.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("flip_vocab41:0:0:0").find("no view 'flip_vocab41'"), std::string::npos);
  EXPECT_NE(message("flip_vocab41:0:0:0").find("accuracy_lambda0.2"), std::string::npos);  // lists the views
  EXPECT_NE(message("accuracy_lambda0:0:relu:0").find("no row 'relu'"), std::string::npos);
  EXPECT_NE(message("accuracy_lambda0:0:0:7").find("no column '7'"), std::string::npos);
  EXPECT_NE(message("accuracy_lambda0:0:0").find("VIEW:PANEL:ROW:COL"), std::string::npos);
}

TEST(SweepFiles, MetricsCsvColumnsAndBadLines) {
  std::istringstream in("step,epoch,train_loss,eval_accuracy,sink_l0_h0\n10,0,4.5,0.1,0.3\n20,1,nan,0.5,0.91\n");
  const MetricsTable t = polarlab::transformer::read_metrics_csv(in);
  ASSERT_EQ(t.columns.size(), 5u);
  EXPECT_EQ(t.size(), 2u);
  EXPECT_EQ(t.column("eval_accuracy"), 3);
  EXPECT_EQ(t.column("missing"), -1);
  EXPECT_DOUBLE_EQ(t.values[0][1], 20.0);
  EXPECT_TRUE(std::isnan(t.values[2][1]));
  EXPECT_DOUBLE_EQ(t.values[4][1], 0.91);
  std::istringstream bad("step,eval_accuracy\n10,0.1\n20\n");
  try {
    polarlab::transformer::read_metrics_csv(bad);
    FAIL() << "a short line was accepted";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
  }
  std::istringstream empty("");
  EXPECT_THROW(polarlab::transformer::read_metrics_csv(empty), std::runtime_error);
}

// attention.json as core's attention_maps_json (run_files.cpp) writes it: weights[layer][head][query][key].
nlohmann::json maps_json(int L, int H, int T) {
  nlohmann::json j;
  j["sample"] = 3;
  for (int t = 0; t < T; ++t) j["tokens"].push_back(t == 0 ? 0 : 10 + t);
  for (int l = 0; l < L; ++l) {
    nlohmann::json heads = nlohmann::json::array();
    for (int h = 0; h < H; ++h) {
      nlohmann::json rows = nlohmann::json::array();
      for (int q = 0; q < T; ++q) {
        nlohmann::json row = nlohmann::json::array();
        for (int k = 0; k < T; ++k) row.push_back(1000 * l + 100 * h + 10 * q + k);
        rows.push_back(row);
      }
      heads.push_back(rows);
    }
    j["weights"].push_back(heads);
  }
  return nlohmann::json::array({j});
}

TEST(SweepFiles, AttentionJsonRoundTripsIntoAttentionMaps) {
  const auto maps = parse_attention_json(maps_json(2, 3, 4).dump());
  ASSERT_EQ(maps.size(), 1u);
  const auto& m = maps[0];
  EXPECT_EQ(m.sample, 3);
  EXPECT_EQ(m.layers, 2);
  EXPECT_EQ(m.heads, 3);
  EXPECT_EQ(m.T, 4);
  EXPECT_EQ(m.tokens, (std::vector<std::int64_t>{0, 11, 12, 13}));
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 3; ++h)
      for (int q = 0; q < 4; ++q)
        for (int k = 0; k < 4; ++k) EXPECT_EQ(m.at(l, h, q, k), 1000 * l + 100 * h + 10 * q + k);
}

TEST(SweepFiles, AttentionJsonWithTheWrongShapeIsRefusedWithWhere) {
  auto j = maps_json(2, 2, 3);
  j[0]["weights"][1].erase(1);  // layer 1 has one head
  auto what = [](const std::string& text) {
    try {
      parse_attention_json(text);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(what(j.dump()).find("layer 1"), std::string::npos) << what(j.dump());
  auto k = maps_json(1, 1, 3);
  k[0]["weights"][0][0][2].erase(0);  // a short row
  EXPECT_NE(what(k.dump()).find("wrong length"), std::string::npos);
  EXPECT_NE(what("[{\"tokens\": [1, 2]").find("not valid JSON"), std::string::npos);
  EXPECT_NE(what("{}").find("list of maps"), std::string::npos);
}

using polarlab::test::TempDir;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

TEST(SweepFiles, RunWithMissingFilesNamesWhatIsMissing) {
  TempDir tmp("sweeps");
  SweepData d;
  d.dir = tmp.path.string();
  d.db = (tmp.path / "results.sqlite").string();
  Row x;
  x.text("id", "abc").text("status", "done").text("task", "classification").text("attention", "softmax");
  x.text("run_dir", "runs/abc").num("vocab", 41).num("labels", 4).num("layers", 1).num("heads", 2).num("lr", 0.001);
  Row y;
  y.text("id", "gone").text("status", "failed").text("task", "induction").text("error", "killed by signal 9");
  y.null("run_dir");
  d.rows = {x.r, y.r};
  d.index_rows();
  // Classification config without "causal": bidirectional, as TrainConfig::is_causal defaults.
  write(tmp.path / "runs/abc/config.json", R"({"task": "classification", "vocab": 41, "labels": 4})");
  write(tmp.path / "runs/abc/metrics.csv",
        "step,epoch,train_loss,eval_loss,eval_accuracy,seconds,concentration_l0_h0,concentration_l0_h1\n"
        "50,1,1.2,1.3,0.6,2.0,0.4,0.7\n");
  auto r = load_run(d, "abc");
  EXPECT_FALSE(r->induction);
  EXPECT_FALSE(r->causal);
  EXPECT_EQ(r->vocab, 41);
  EXPECT_EQ(r->step, 50);
  EXPECT_TRUE(r->maps.empty());
  EXPECT_NE(r->maps_error.find("no attention.json"), std::string::npos) << r->maps_error;
  EXPECT_TRUE(r->metrics_error.empty());
  EXPECT_NE(r->title.find("1 layers × 2 heads"), std::string::npos) << r->title;
  // With the maps, the heads' scores come from the last metrics row (classification: CLS concentration).
  write(tmp.path / "runs/abc/attention.json", maps_json(1, 2, 3).dump());
  r = load_run(d, "abc");
  ASSERT_EQ(r->maps.size(), 1u);
  ASSERT_EQ(r->scores.size(), 1u);
  EXPECT_EQ(r->scores[0], (std::vector<double>{0.4, 0.7}));
  // A torn attention.json: named, the curves still load.
  write(tmp.path / "runs/abc/attention.json", "[{\"sample\": 0, ");
  r = load_run(d, "abc");
  EXPECT_NE(r->maps_error.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(r->metrics.size(), 1u);
  // A failed run without files: its error and status, both files named as missing.
  r = load_run(d, "gone");
  EXPECT_EQ(r->status, "failed");
  EXPECT_EQ(r->error, "killed by signal 9");
  EXPECT_NE(r->maps_error.find("the run is failed"), std::string::npos) << r->maps_error;
  EXPECT_NE(r->metrics_error.find("no metrics.csv"), std::string::npos);
  EXPECT_THROW(load_run(d, "nope"), std::runtime_error);
}

// A run's set-up comes from core's reader of its config.json, else from the database's parameters set on a
// TrainConfig through the field table: the defaults are TrainConfig's (classification: V = 41, bidirectional), not
// guessed by the GUI.
TEST(SweepFiles, RunConfigFromCoreNotGuessed) {
  TempDir tmp("sweeps");
  SweepData d;
  d.dir = tmp.path.string();
  d.db = (tmp.path / "results.sqlite").string();
  Row x;
  x.text("id", "cls").text("status", "pending").text("task", "classification").text("attention", "softmax");
  x.text("run_dir", "runs/cls").num("mlp", 0);
  Row y;
  y.text("id", "ind").text("status", "done").text("task", "classification").text("attention", "softmax");
  y.text("run_dir", "runs/ind");
  d.rows = {x.r, y.r};
  d.index_rows();
  auto r = load_run(d, "cls");  // no config.json yet: the database's parameters
  EXPECT_FALSE(r->induction);
  EXPECT_EQ(r->vocab, 41);
  EXPECT_EQ(r->labels, 4);
  EXPECT_FALSE(r->causal);
  EXPECT_FALSE(r->config.use_mlp) << "the results column 'mlp' is config.json's 'use_mlp'";
  EXPECT_TRUE(r->config_error.empty());
  // config.json wins over the database (the trainer's resolved config), read by core with its key names.
  write(tmp.path / "runs/ind/config.json",
        R"({"task": "induction", "vocab": 30, "shift_query": true, "use_mlp": false, "causal": false})");
  r = load_run(d, "ind");
  EXPECT_TRUE(r->induction);
  EXPECT_EQ(r->vocab, 30);
  EXPECT_FALSE(r->causal);
  EXPECT_TRUE(r->config.shift_query);
  EXPECT_FALSE(r->config.use_mlp);
  // A torn config.json is named; the database's parameters stand in.
  write(tmp.path / "runs/ind/config.json", "{\"task\": ");
  r = load_run(d, "ind");
  EXPECT_NE(r->config_error.find("not valid JSON"), std::string::npos) << r->config_error;
  EXPECT_FALSE(r->induction);
  EXPECT_EQ(r->vocab, 41);
}

TEST(SweepOpen, PathsAndMessages) {
  TempDir tmp("sweeps");
  auto what = [](const std::string& p) {
    try {
      load_sweep(p);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(what("").find("give a sweep folder"), std::string::npos);
  EXPECT_NE(what((tmp.path / "nowhere").string()).find("does not exist"), std::string::npos);
  EXPECT_NE(what(tmp.path.string()).find("not a sweep folder"), std::string::npos);
  write(tmp.path / "plan.json", "{}");
  EXPECT_NE(what(tmp.path.string()).find("press Collect"), std::string::npos);
  write(tmp.path / "junk/results.sqlite", "this is not a database");
  EXPECT_NE(what((tmp.path / "junk/results.sqlite").string()).find("cannot read"), std::string::npos);
  const SweepPaths p = resolve_sweep_path((tmp.path / "junk/results.sqlite").string());
  EXPECT_EQ(p.dir, fs::weakly_canonical(tmp.path / "junk").string());
}

// A real planned sweep (core/sweep: plan.json, collect into SQLite), nothing run yet: every row pending, no grid.
TEST(SweepOpen, CollectsAndReadsARealPlannedSweepOnTheLoaderThread) {
  TempDir tmp("sweeps");
  const std::string dir = (tmp.path / "sweep").string();
  sweep::write_plan(std::string(POLARLAB_ASSETS_DIR) + "/sweeps/ci-tiny.yaml", dir);
  // The loader on the thread executor, or inline (POLARLAB_EXECUTOR=inline: this thread runs its slices).
  JobHost host(polarlab::test::executor_from_env());
  SweepsWorker w(host);
  auto wait = [&](unsigned long after) {
    std::shared_ptr<const SweepsSnapshot> s;
    polarlab::test::poll_until([&] { s = w.snapshot(); return s->seq > after && s->busy.empty(); }, 30.0, [&] {
      if (host.run_slices(0.01) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    });
    return s;
  };
  // Open before collect: the message says what to do, the app has nothing to show.
  w.open(dir, false);
  auto s = wait(0);
  EXPECT_EQ(w.job().state(), JobState::running);  // a failed request is the snapshot's, not the loader job's
  EXPECT_EQ(w.job().error(), "");
  EXPECT_EQ(s->sweep, nullptr);
  EXPECT_NE(s->sweep_error.find("press Collect"), std::string::npos) << s->sweep_error;
  w.open(dir, true);
  s = wait(s->seq);
  ASSERT_NE(s->sweep, nullptr) << s->sweep_error;
  EXPECT_TRUE(s->sweep_error.empty());
  const auto data = s->sweep;  // the snapshot is replaced below; the data stays alive with this pointer
  const SweepData& d = *data;
  EXPECT_EQ(d.name, "ci-tiny");
  EXPECT_EQ(d.rows.size(), 4u);
  EXPECT_EQ(status_line(d.by_status), "4 runs: 0 done, 0 failed, 0 running, 4 pending");
  EXPECT_TRUE(d.grids.empty());
  EXPECT_EQ(default_grid(d.grids), -1);
  ASSERT_NE(d.find(d.rows[2].str("id")), nullptr);
  EXPECT_EQ(d.find(d.rows[2].str("id"))->str("id"), d.rows[2].str("id"));
  // The results.sqlite file opens the same sweep.
  w.open(dir + "/results.sqlite", false);
  s = wait(s->seq);
  ASSERT_NE(s->sweep, nullptr);
  EXPECT_EQ(s->sweep->dir, fs::weakly_canonical(dir).string());
  // A pending run's files: all missing, each named.
  w.open_run(s->sweep, d.rows[0].str("id"));
  s = wait(s->seq);
  ASSERT_NE(s->run, nullptr) << s->run_error;
  EXPECT_NE(s->run->maps_error.find("the run is pending"), std::string::npos) << s->run->maps_error;
  // Another folder that fails to open clears the sweep shown (it is not that folder's).
  w.open((tmp.path / "missing").string(), false);
  s = wait(s->seq);
  EXPECT_EQ(s->sweep, nullptr);
  EXPECT_NE(s->sweep_error.find("does not exist"), std::string::npos);
}

}  // namespace
}  // namespace polarlab::gui
