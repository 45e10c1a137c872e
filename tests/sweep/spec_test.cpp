// Sweep specs: the wandb grid format, name aliases, clear errors, grid sizes of the paper, stable ids.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "core/sweep/plan.hpp"
#include "core/sweep/spec.hpp"
#include "core/types.hpp"
#include "tests/temp_dir.hpp"

namespace sw = polarlab::sweep;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    sw::parse_spec(yaml, "t.yaml");
  } catch (const polarlab::ConfigError& e) {
    return e.what();
  }
  return "";
}

const std::string kAssets = POLARLAB_ASSETS_DIR "/sweeps/";

}  // namespace

TEST(SweepSpec, ParsesValuesConstantsAndAliases) {
  const auto s = sw::parse_spec(R"(
method: grid
parameters:
  attention_type: {values: [softmax, sigmoid_norm]}
  n_heads:
    values: [1, 2, 4]
  learning_rate: {values: [1e-2, 0.001]}
  use_mlp: {value: false}
  positional_encoding: {value: none}
  shift_query_token: {values: [false, true]}
)");
  ASSERT_EQ(s.parameters.size(), 6u);
  EXPECT_EQ(s.parameters[0].name, "attention");
  EXPECT_EQ(s.parameters[1].name, "heads");
  EXPECT_EQ(s.parameters[1].values[2], 4);
  EXPECT_EQ(s.parameters[2].name, "lr");
  EXPECT_DOUBLE_EQ(s.parameters[2].values[0].get<double>(), 0.01);
  EXPECT_EQ(s.parameters[3].name, "mlp");
  EXPECT_EQ(s.parameters[3].values[0], false);
  EXPECT_EQ(s.parameters[4].values[0], "no");  // none is our "no"
  EXPECT_EQ(s.size(), 2 * 3 * 2 * 1 * 1 * 2);
  EXPECT_EQ(sw::expand(s).size(), 24u);
}

TEST(SweepSpec, NegatedNamesAndTrainArguments) {
  const auto s = sw::parse_spec(R"(
method: grid
parameters:
  no_mlp: {value: true}
  no_layernorm: {value: false}
  aux_loss_weight: {value: 0.2}
  shift_query: {value: true}
  batch_size: {value: 32}
)");
  const auto runs = sw::expand(s);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].params.at("mlp"), false);
  EXPECT_EQ(runs[0].params.at("layernorm"), true);
  const std::vector<std::string> want = {"--aux-weight", "0.2", "--batch-size", "32", "--no-mlp", "--shift-query"};
  EXPECT_EQ(sw::train_arguments(runs[0].params), want);
}

TEST(SweepSpec, ClearErrors) {
  EXPECT_NE(error_of("method: grid\nparameters: {heads: {values: [1, 2}\n").find("not valid YAML"), std::string::npos);
  const std::string unknown = error_of("method: grid\nparameters:\n  n_hedas: {values: [1]}\n");
  EXPECT_NE(unknown.find("unknown parameter 'n_hedas'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("n_heads"), std::string::npos) << "the message lists the known names";
  EXPECT_NE(unknown.find("attention_type"), std::string::npos);
  EXPECT_NE(error_of("method: random\nparameters:\n  seed: {values: [1]}\n").find("only 'method: grid'"), std::string::npos);
  EXPECT_NE(error_of("parameters:\n  seed: {values: [1]}\n").find("missing 'method: grid'"), std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  heads: {values: [two]}\n").find("'two' is not an integer"),
            std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  attention: {values: [softmaxx]}\n").find("is not one of"),
            std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  lr: {min: 0.1, max: 1}\n").find("random/bayes"), std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  heads: {values: []}\n").find("non-empty list"), std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  heads: {values: [1]}\n  n_heads: {value: 2}\n").find("second time"),
            std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  seed: {values: [1, 1]}\n").find("twice"), std::string::npos);
  EXPECT_NE(error_of("method: grid\nparams:\n  seed: {values: [1]}\n").find("unknown top-level key 'params'"),
            std::string::npos);
  EXPECT_NE(error_of("method: grid\nparameters:\n  heads: {values: [0]}\n").find("positive"), std::string::npos);
}

// Grids the reference parser (libyaml, PyYAML's) rejects are rejected as FILE:LINE, before yaml-cpp reads them:
// yaml-cpp takes an unclosed quote to the end of the file (a wrong name, or the parameters swallowed).
TEST(SweepSpec, FilesLibyamlRejectsAreRejectedWithTheirLine) {
  auto expect_yaml_error = [](const std::string& yaml, int line, const std::string& part) {
    const std::string e = error_of(yaml);
    EXPECT_EQ(e.rfind("t.yaml:" + std::to_string(line) + ": not valid YAML", 0), 0u) << e;
    EXPECT_NE(e.find(part), std::string::npos) << "'" << part << "' not in: " << e;
  };
  // yaml-cpp: a grid named "tiny" (no error at all).
  expect_yaml_error("method: grid\nparameters:\n  seed: {values: [0, 1]}\nname: \"tiny\n", 4, "never closed");
  // yaml-cpp: "'parameters:' must be a non-empty map", about a key that is there.
  expect_yaml_error("method: grid\nname: 'tiny\nparameters:\n  seed: {values: [0, 1]}\n", 2, "never closed");
  expect_yaml_error("method: grid\nparameters:\n\theads: {values: [1, 2]}\n", 3, "not allow tabs");
  expect_yaml_error("method: grid\nparameters:\n  heads: {values: [1, 2]}\n  seed: {values: [0, 1]\n", 4,
                    "bracket opened on line 4 is never closed");
  expect_yaml_error("method: grid\nname: caf\xe9\nparameters:\n  seed: {values: [0, 1]}\n", 2, "UTF-8");
  // Through a file, as `polarlab-cli sweep plan` reads it: the path, then the line.
  polarlab::test::TempDir dir("sweep-strict");
  const std::string path = (dir.path / "grid.yaml").string();
  std::ofstream(path) << "method: grid\nname: \"tiny\nparameters:\n  seed: {values: [0, 1]}\n";
  try {
    sw::load_spec(path);
    ADD_FAILURE() << "a grid with an unclosed quote was read";
  } catch (const polarlab::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ":2: not valid YAML: ", 0), 0u) << e.what();
  }
}

// Every grid shipped in assets/sweeps passes the strict check and plans.
TEST(SweepSpec, EveryShippedGridParses) {
  int n = 0;
  for (const auto& f : std::filesystem::directory_iterator(kAssets)) {
    if (f.path().extension() != ".yaml") continue;
    ++n;
    EXPECT_NO_THROW(sw::expand(sw::load_spec(f.path().string()))) << f.path();
  }
  EXPECT_GE(n, 5);
}

TEST(SweepSpec, PaperGridSizes) {
  const auto ind = sw::load_spec(kAssets + "induction.yaml");
  EXPECT_EQ(ind.size(), 8640);
  const auto ind_runs = sw::expand(ind);
  EXPECT_EQ(ind_runs.size(), 8640u);
  const auto cls = sw::load_spec(kAssets + "classification.yaml");
  EXPECT_EQ(cls.size(), 12960);
  const auto cls_runs = sw::expand(cls);
  EXPECT_EQ(cls_runs.size(), 12960u);
  std::set<std::string> ids;
  for (const auto& r : ind_runs) ids.insert(r.id);
  for (const auto& r : cls_runs) ids.insert(r.id);
  EXPECT_EQ(ids.size(), 8640u + 12960u) << "ids are unique across both grids";
  // Every attention type of Table 1, every value of the spec.
  std::set<std::string> attn;
  for (const auto& r : cls_runs) attn.insert(r.params.at("attention").get<std::string>());
  EXPECT_EQ(attn.size(), 12u);
  for (const char* f : {"ci-tiny.yaml", "induction-reduced.yaml", "classification-reduced.yaml"}) {
    const auto s = sw::load_spec(kAssets + f);
    EXPECT_GE(s.size(), 4) << f;
    EXPECT_LE(s.size(), 64) << f;
  }
  EXPECT_LE(sw::load_spec(kAssets + "ci-tiny.yaml").size(), 8);
}

// The standard FNV-1a 64 (http://www.isthe.com/chongo/tech/comp/fnv/, the published test vectors), not a copy
// of the implementation's constants.
TEST(SweepSpec, RunIdsAreStandardFnv1a64) {
  EXPECT_EQ(sw::fnv1a_64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(sw::fnv1a_64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(sw::fnv1a_64("foobar"), 0x85944171f73967e8ull);
  // The documented rule (spec.hpp, README): the first 12 hex digits of FNV-1a 64 over "name=value" sorted by
  // name and joined by ';'. 82484c94d4cba4ce computed outside polarlab (Python, the constants above).
  sw::Params p{{"seed", 3}, {"lr", 0.001}, {"heads", 2}};
  EXPECT_EQ(sw::canonical_string(p), "heads=2;lr=0.001;seed=3");
  EXPECT_EQ(sw::run_id(p), "82484c94d4cb");
  EXPECT_EQ(sw::run_id(p, 2), "82484c94d4cb");
  EXPECT_EQ(sw::kIdScheme, 2);
  // Scheme 1 (plans from before "id_scheme") kept its ids: offset basis 1469598103934665603.
  EXPECT_EQ(sw::run_id(p, 1), "548b480de9ff");
  EXPECT_THROW((void)sw::run_id(p, 3), std::invalid_argument);
}

TEST(SweepSpec, IdsAreStableAndOrderFree) {
  // Same grid in another order and with other names: same set of ids.
  const auto a = sw::expand(sw::parse_spec("method: grid\nparameters:\n  heads: {values: [1, 2]}\n  lr: {values: [0.01, 0.001]}\n"));
  const auto b = sw::expand(sw::parse_spec("method: grid\nparameters:\n  learning_rate: {values: [1e-3, 1e-2]}\n  n_heads: {values: [2, 1]}\n"));
  std::set<std::string> ia, ib;
  for (const auto& r : a) ia.insert(r.id);
  for (const auto& r : b) ib.insert(r.id);
  EXPECT_EQ(ia, ib);
  EXPECT_EQ(ia.size(), 4u);
}

TEST(SweepPlan, PlanningTwiceGivesTheSameIds) {
  const std::string dir = testing::TempDir() + "/polarlab_sweep_plan_twice";
  std::filesystem::remove_all(dir);
  const auto p1 = sw::write_plan(kAssets + "induction.yaml", dir);
  const auto p2 = sw::write_plan(kAssets + "induction.yaml", dir);
  const auto p3 = sw::read_plan(dir);
  ASSERT_EQ(p1.runs.size(), 8640u);
  ASSERT_EQ(p3.runs.size(), p1.runs.size());
  for (std::size_t i = 0; i < p1.runs.size(); ++i) {
    ASSERT_EQ(p1.runs[i].id, p2.runs[i].id);
    ASSERT_EQ(p1.runs[i].id, p3.runs[i].id);
    ASSERT_EQ(sw::run_id(p3.runs[i].params), p3.runs[i].id) << "plan.json round-trips the parameters exactly";
  }
  EXPECT_TRUE(std::filesystem::exists(dir + "/runs.tsv"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/spec.yaml"));
  std::filesystem::remove_all(dir);
}

// The parameters come from the transformer's field table (issue 15.4): the spec names of assets/sweeps keep working
// and the run ids are those planned before the table (ci-tiny's, and a grid of aliases and negations).
TEST(SweepSpec, IdsAndNamesUnchangedByTheFieldTable) {
  const auto tiny = sw::expand(sw::load_spec(kAssets + "ci-tiny.yaml"));
  std::vector<std::string> ids;
  for (const auto& r : tiny) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"dce579d08667", "83e14385358f", "7da2d1ca35ca", "343f50bbbec8"}));
  // Scheme 1: the ids planned before the table (and before the standard FNV constant), still reproducible.
  ids.clear();
  for (const auto& r : sw::expand(sw::load_spec(kAssets + "ci-tiny.yaml"), 1)) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"950740e8a271", "4ba6e6071d0a", "4d47dc391f30", "506719758fc7"}));
  const auto alias = sw::expand(sw::parse_spec(R"(
method: grid
parameters:
  task: {value: classification}
  attn_type: {values: [softmax, mlp_unnorm]}
  no_mlp: {values: [true, false]}
  use_layer_norm: {value: 0}
  non-causal: {value: true}
  pos_type: {value: none}
  lambda: {value: 0.5}
  num_classes: {value: 4}
  vocab_size: {value: 41}
  max_steps: {value: 1e3}
  shift_query_token: {value: yes}
  device: {value: cpu}
  threads: {value: 1}
  flip_pairs: {value: 10}
  checkpoint_every: {value: 0}
  n_epochs: {value: 2}
)"));
  ids.clear();
  for (const auto& r : alias) ids.push_back(sw::run_id(r.params, 1));
  EXPECT_EQ(ids, (std::vector<std::string>{"d34edb730c4b", "2a0412e32291", "74f83773d59e", "8fe87578a530"}));
  for (const auto& r : alias) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(sw::fnv1a_64(sw::canonical_string(r.params))));
    EXPECT_EQ(r.id, std::string(buf, 12));
  }
  EXPECT_EQ(sw::train_arguments(alias[0].params),
            (std::vector<std::string>{"--attention", "softmax", "--aux-weight", "0.5", "--non-causal",
                                      "--checkpoint-every", "0", "--device", "cpu", "--epochs", "2", "--flip-pairs",
                                      "10", "--labels", "4", "--no-layernorm", "--no-mlp", "--positional", "no",
                                      "--shift-query", "--steps", "1000", "--task", "classification", "--threads",
                                      "1", "--vocab", "41"}));
  EXPECT_EQ(sw::train_arguments({{"causal", true}, {"mlp", true}, {"layernorm", true}, {"shift_query", false}}),
            (std::vector<std::string>{"--causal"}));
  // 'mlp' and 'use_mlp' name one parameter (the results column 'mlp', config.json's 'use_mlp').
  EXPECT_EQ(&sw::parameter_def("mlp"), &sw::parameter_def("use_mlp"));
  EXPECT_EQ(sw::parameter_def("mlp").field->key, "use_mlp");
  EXPECT_EQ(&sw::attention_types(), &polarlab::transformer::attention_names());
  // The database's columns keep their order.
  std::vector<std::string> names;
  for (const auto& d : sw::parameter_defs()) names.push_back(d.name);
  EXPECT_EQ(names, (std::vector<std::string>{"task", "attention", "positional", "heads", "layers", "lr", "aux_weight",
                                             "seed", "shift_query", "vocab", "labels", "mlp", "layernorm", "causal",
                                             "steps", "epochs", "batch_size", "train_size", "eval_size", "log_every",
                                             "checkpoint_every", "flip_pairs", "threads", "device"}));
}

// A grid with runs that train would refuse is refused at plan time: the field, the value, the reason and the number
// of runs, and nothing is written.
TEST(SweepPlan, RefusesGridsThatCannotRun) {
  const polarlab::test::TempDir tmp("sweep_refuse");
  const std::string spec = (tmp.path / "bad.yaml").string();
  std::ofstream(spec) << "method: grid\nparameters:\n  n_heads: {values: [1, 3, 4]}\n  seed: {values: [0, 1]}\n";
  const std::string dir = (tmp.path / "sweep").string();
  std::string msg;
  try {
    sw::write_plan(spec, dir);
  } catch (const polarlab::ConfigError& e) {
    msg = e.what();
  }
  EXPECT_NE(msg.find("2 of 6 planned runs cannot run"), std::string::npos) << msg;
  EXPECT_NE(msg.find("heads = 3: must divide d_model (128) (2 runs"), std::string::npos) << msg;
  EXPECT_NE(msg.find(spec), std::string::npos) << "names the spec: " << msg;
  EXPECT_FALSE(std::filesystem::exists(dir)) << "no plan written";
  // A value that conflicts with train's default of a field the spec does not set names that default.
  std::ofstream(spec) << "method: grid\nparameters:\n  task: {value: classification}\n  labels: {values: [4, 3]}\n";
  msg.clear();
  try {
    sw::write_plan(spec, dir);
  } catch (const polarlab::ConfigError& e) {
    msg = e.what();
  }
  EXPECT_NE(msg.find("1 of 2 planned runs"), std::string::npos) << msg;
  EXPECT_NE(msg.find("vocab = 41 (train's default; not in the spec)"), std::string::npos) << msg;
  EXPECT_FALSE(std::filesystem::exists(dir));
  // Every shipped grid is valid.
  for (const char* f : {"ci-tiny.yaml", "induction-reduced.yaml", "classification-reduced.yaml", "induction.yaml",
                        "classification.yaml"})
    EXPECT_NO_THROW(sw::validate_runs(sw::expand(sw::load_spec(kAssets + f)), f)) << f;
  // train_config_of is train's config: the classification model has no positions unless the spec says so.
  EXPECT_EQ(sw::train_config_of({{"task", "classification"}}).positional, polarlab::transformer::Positional::none);
  EXPECT_EQ(sw::train_config_of({{"task", "induction"}}).positional, polarlab::transformer::Positional::concat);
}

// A folder planned with id scheme 1 (before plan.json recorded "id_scheme"): read as it is, its ids are never
// recomputed, and planning again into it keeps scheme 1 and so its finished runs.
TEST(SweepPlan, OldPlansKeepTheirIds) {
  const polarlab::test::TempDir tmp("sweep_old_plan");
  const std::string dir = (tmp.path / "sweep").string();
  sw::write_plan(kAssets + "ci-tiny.yaml", dir);
  // Rewrite it as the previous program wrote it: scheme-1 ids, no "id_scheme".
  nlohmann::json j = nlohmann::json::parse(std::ifstream(dir + "/plan.json"));
  j.erase("id_scheme");
  const std::vector<std::string> old_ids = {"950740e8a271", "4ba6e6071d0a", "4d47dc391f30", "506719758fc7"};
  for (std::size_t i = 0; i < old_ids.size(); ++i) j["runs"][i]["id"] = old_ids[i];
  std::ofstream(dir + "/plan.json") << j.dump(1);
  const sw::Plan p = sw::read_plan(dir);
  EXPECT_EQ(p.id_scheme, 1);
  ASSERT_EQ(p.runs.size(), 4u);
  for (std::size_t i = 0; i < old_ids.size(); ++i) EXPECT_EQ(p.runs[i].id, old_ids[i]);
  const sw::Plan again = sw::write_plan(kAssets + "ci-tiny.yaml", dir);
  EXPECT_EQ(again.id_scheme, 1);
  for (std::size_t i = 0; i < old_ids.size(); ++i) EXPECT_EQ(again.runs[i].id, old_ids[i]);
  EXPECT_EQ(nlohmann::json::parse(std::ifstream(dir + "/plan.json")).value("id_scheme", 0), 1);
  // A plan from a newer program (an unknown scheme) is refused, not misread.
  j["id_scheme"] = 7;
  std::ofstream(dir + "/plan.json") << j.dump(1);
  EXPECT_THROW((void)sw::read_plan(dir), polarlab::ConfigError);
  EXPECT_THROW((void)sw::write_plan(kAssets + "ci-tiny.yaml", dir), polarlab::ConfigError);
  // A new folder gets the current scheme.
  EXPECT_EQ(sw::write_plan(kAssets + "ci-tiny.yaml", (tmp.path / "new").string()).id_scheme, sw::kIdScheme);
}
