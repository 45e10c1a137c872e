// Sweep specs: the wandb grid format, name aliases, clear errors, grid sizes of the paper, stable ids.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "core/sweep/plan.hpp"
#include "core/sweep/spec.hpp"
#include "core/types.hpp"

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

TEST(SweepSpec, IdsAreStableAndOrderFree) {
  // The documented rule, by hand: FNV-1a 64 of "heads=2;lr=0.001;seed=3".
  sw::Params p{{"seed", 3}, {"lr", 0.001}, {"heads", 2}};
  EXPECT_EQ(sw::canonical_string(p), "heads=2;lr=0.001;seed=3");
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : std::string("heads=2;lr=0.001;seed=3")) h = (h ^ c) * 1099511628211ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  EXPECT_EQ(sw::run_id(p), std::string(buf, 12));
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
  for (const auto& r : alias) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"d34edb730c4b", "2a0412e32291", "74f83773d59e", "8fe87578a530"}));
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
