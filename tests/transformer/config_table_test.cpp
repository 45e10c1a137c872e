// The transformer configuration described once (issue 15.4): config.json, the train flags, the sweep parameters and
// the resume check all come from one field table; a run's files are read next to their writer. Torch-free.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <fstream>
#include <set>
#include <sstream>

#include "core/transformer/config_table.hpp"
#include "core/transformer/run_files.hpp"
#include "core/types.hpp"

namespace tf = polarlab::transformer;
namespace fs = std::filesystem;

namespace {

tf::TrainConfig non_default() {
  tf::TrainConfig c;
  c.task = tf::TaskKind::classification;
  c.attention = tf::AttentionKind::mlp_unnorm;
  c.positional = tf::Positional::none;
  c.heads = 2, c.layers = 3, c.d_model = 64, c.d_ff = 96, c.vocab = 81, c.labels = 8, c.content_length = 7;
  c.shift_query = true, c.aux_weight = 0.5, c.lr = 0.003, c.weight_decay = 0.1, c.batch_size = 32, c.epochs = 3;
  c.steps = 12345678901LL, c.seed = 7, c.train_size = 99, c.eval_size = 17, c.use_mlp = false, c.use_layernorm = false;
  c.causal = false, c.device = "cpu", c.threads = 3, c.log_every = 4, c.checkpoint_every = 9, c.flip_pairs = 11;
  c.attention_samples = {1, 5};
  c.record_cls_attention = false;
  return c;
}

}  // namespace

// config.json as it was written before the table (a run of `polarlab-cli train` with --steps 6 --heads 2 --layers 1
// --train-size 64 --eval-size 16 --batch-size 16 --log-every 2 --checkpoint-every 0 --threads 1 --device cpu): the
// same keys and values, byte for byte (device_used and torch_version are added by the trainer).
TEST(ConfigTable, ConfigJsonIsUnchanged) {
  tf::TrainConfig c;
  c.steps = 6, c.heads = 2, c.layers = 1, c.train_size = 64, c.eval_size = 16, c.batch_size = 16, c.log_every = 2;
  c.checkpoint_every = 0, c.threads = 1, c.device = "cpu";
  c = tf::resolve_defaults(c);
  const std::string want = R"({
  "attention": "softmax",
  "attention_samples": [
    0
  ],
  "aux_weight": 0.2,
  "batch_size": 16,
  "causal": true,
  "checkpoint_every": 0,
  "content_length": 10,
  "d_ff": 512,
  "d_model": 128,
  "device": "cpu",
  "epochs": 10,
  "eval_size": 16,
  "flip_pairs": 500,
  "heads": 2,
  "labels": 4,
  "layers": 1,
  "log_every": 2,
  "lr": 0.001,
  "positional": "concat",
  "record_cls_attention": true,
  "seed": 0,
  "shift_query": false,
  "steps": 6,
  "task": "induction",
  "threads": 1,
  "total_steps": 6,
  "train_size": 64,
  "use_layernorm": true,
  "use_mlp": true,
  "vocab": 50,
  "weight_decay": 0.01
})";
  EXPECT_EQ(tf::to_json(c).dump(2), want);
  // An unset causal is left out; total_steps is derived.
  EXPECT_FALSE(tf::to_json(tf::TrainConfig{}).contains("causal"));
}

TEST(ConfigTable, EveryFieldRoundTrips) {
  const tf::TrainConfig c = non_default();
  const nlohmann::json j = tf::to_json(c);
  for (const auto& f : tf::config_fields()) EXPECT_TRUE(j.contains(f.key)) << f.key;
  EXPECT_EQ(j.size(), tf::config_fields().size() + 1) << "the table's keys and total_steps";
  const tf::TrainConfig back = tf::train_config_from_json(j);
  EXPECT_EQ(tf::to_json(back), j);
  // Each field differs from its default in non_default(), so a field the table reads or writes wrongly shows.
  for (const auto& f : tf::config_fields())
    EXPECT_NE(tf::field_value(f, tf::TrainConfig{}), tf::field_value(f, c)) << f.key << " is not exercised";
  // Keys are unique.
  std::set<std::string> keys;
  for (const auto& f : tf::config_fields()) EXPECT_TRUE(keys.insert(f.key).second) << f.key;
}

TEST(ConfigTable, ReadingErrorsNameTheConfig) {
  EXPECT_THROW(tf::train_config_from_json(nlohmann::json::array()), polarlab::ConfigError);
  EXPECT_THROW(tf::train_config_from_json({{"heads", "four"}}), polarlab::ConfigError);
  try {
    tf::train_config_from_json({{"attention", "softmaxx"}});
    FAIL();
  } catch (const polarlab::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown attention 'softmaxx'"), std::string::npos) << e.what();
  }
  // Positional spellings: the config and the sweep accept the same ones.
  EXPECT_EQ(tf::train_config_from_json({{"positional", "none"}}).positional, tf::Positional::none);
  EXPECT_EQ(tf::train_config_from_json({{"positional", "additive"}}).positional, tf::Positional::add);
  EXPECT_EQ(tf::canonical_text(*tf::field_by_key("positional"), "none"), "no");
}

TEST(ConfigTable, ResumeKeysAreTheFormerList) {
  const std::vector<std::string> keys = tf::resume_keys();
  const std::set<std::string> got(keys.begin(), keys.end());
  const std::set<std::string> want = {"task", "attention", "positional", "heads", "layers", "d_model", "d_ff",
                                      "vocab", "labels", "content_length", "shift_query", "aux_weight", "lr",
                                      "weight_decay", "batch_size", "seed", "train_size", "eval_size", "use_mlp",
                                      "use_layernorm", "causal"};
  EXPECT_EQ(got, want);
  const nlohmann::json a = tf::to_json(tf::resolve_defaults({}));
  EXPECT_NO_THROW(tf::check_resume_compatible(a, a, "d"));
  nlohmann::json b = a;
  b["steps"] = 99;  // the budget may change
  b["threads"] = 7;  // and the machine
  EXPECT_NO_THROW(tf::check_resume_compatible(a, b, "d"));
  b["lr"] = 0.5;
  try {
    tf::check_resume_compatible(a, b, "d");
    FAIL();
  } catch (const polarlab::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "resume: the run in 'd' has a different 'lr'; resume with the same settings or "
                                     "use another --out");
  }
}

TEST(ConfigTable, SweepNamesAndFlags) {
  // The sweep's canonical names and the config.json keys differ only for the two block switches.
  EXPECT_EQ(tf::field_by_sweep_name("mlp")->key, "use_mlp");
  EXPECT_EQ(tf::field_by_sweep_name("use_mlp")->key, "use_mlp");
  EXPECT_EQ(tf::field_by_sweep_name("layernorm")->key, "use_layernorm");
  EXPECT_EQ(tf::field_by_sweep_name("n_heads")->key, "heads");
  EXPECT_EQ(tf::field_by_sweep_name("d_model"), nullptr) << "not swept";
  std::set<std::string> flags, names;
  for (const auto& f : tf::config_fields()) {
    if (!f.sweep.empty()) {
      EXPECT_TRUE(names.insert(f.sweep).second) << f.sweep;
      for (const auto& a : f.sweep_aliases) EXPECT_TRUE(names.insert(a).second) << a;
      for (const auto& a : f.sweep_negations) EXPECT_TRUE(names.insert(a).second) << a;
      // A swept value reaches the trainer through a flag.
      if (f.type == tf::FieldType::boolean) EXPECT_FALSE(f.flag.empty() && f.negated_flag.empty()) << f.key;
      else EXPECT_FALSE(f.flag.empty()) << f.key;
    }
    for (const auto* fl : {&f.flag, &f.negated_flag})
      if (!fl->empty()) EXPECT_TRUE(flags.insert(*fl).second) << *fl;
  }
  // The attention names: one list (config.hpp), also the flag's help and the field's choices.
  EXPECT_EQ(tf::field_by_key("attention")->choices, tf::attention_names());
  EXPECT_EQ(tf::attention_names().size(), 12u);
}

TEST(RunFiles, CsvTableAndMetrics) {
  tf::TrainConfig c;
  c.heads = 2, c.layers = 1;
  EXPECT_EQ(tf::CsvTable::line(tf::metrics_columns(c)),
            "step,epoch,train_loss,eval_loss,eval_accuracy,seconds,sink_l0_h0,sink_l0_h1");
  c.task = tf::TaskKind::classification;
  EXPECT_EQ(tf::metrics_columns(c).back(), "concentration_l0_h1");
  c.content_length = 3;
  EXPECT_EQ(tf::CsvTable::line(tf::cls_attention_header(c)), "step,label,sample,layer,head,w0,w1,w2,w3");
  tf::MetricsRow r;
  r.step = 10, r.epoch = 1, r.train_loss = std::nan(""), r.eval_loss = 0.5, r.eval_accuracy = 1.0 / 3, r.seconds = 2;
  r.head_scores = {{0.25, INFINITY}};
  EXPECT_EQ(tf::CsvTable::line(tf::metrics_cells(r)), "10,1,nan,0.5,0.333333333,2,0.25,inf");
  tf::CsvTable t;
  t.header = tf::metrics_columns(c);
  t.rows.push_back(tf::metrics_cells(r));
  std::stringstream ss;
  t.write(ss);
  const tf::CsvTable back = tf::CsvTable::read(ss, "metrics.csv");
  EXPECT_EQ(back.header, t.header);
  EXPECT_EQ(back.rows, t.rows);
  EXPECT_EQ(back.column("seconds"), 5);
  ss.clear();
  ss.seekg(0);
  const tf::MetricsTable m = tf::read_metrics_csv(ss);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_TRUE(std::isnan(m.values[2][0]));
  EXPECT_DOUBLE_EQ(m.values[m.column("concentration_l0_h0")][0], 0.25);
  std::istringstream bad("step,eval_accuracy\n10,x\n");
  try {
    tf::read_metrics_csv(bad);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2: 'x' is not a number"), std::string::npos) << e.what();
  }
}

TEST(RunFiles, AttentionJsonRoundTrips) {
  tf::AttentionMap m;
  m.sample = 4, m.tokens = {0, 7, 9}, m.layers = 1, m.heads = 2, m.T = 3;
  for (int i = 0; i < 18; ++i) m.weights.push_back(static_cast<float>(i) / 17.0f);
  const auto back = tf::parse_attention_json(tf::attention_maps_json({m}).dump());
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].sample, 4);
  EXPECT_EQ(back[0].tokens, m.tokens);
  EXPECT_EQ(back[0].weights, m.weights);
  EXPECT_THROW(tf::parse_attention_json("[{"), std::runtime_error);
}

TEST(RunFiles, RunConfigReader) {
  const fs::path dir = fs::path(testing::TempDir()) / "polarlab_run_config_reader";
  fs::remove_all(dir);
  fs::create_directories(dir);
  EXPECT_FALSE(tf::read_run_config(dir.string()).has_value());
  // A hand-made config: what it lacks is TrainConfig's default, resolved for the task (no guesses in the reader).
  std::ofstream(dir / "config.json") << R"({"task": "classification", "labels": 4, "use_mlp": false})";
  const auto c = tf::read_run_config(dir.string());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->task, tf::TaskKind::classification);
  EXPECT_EQ(c->vocab, 41);
  EXPECT_FALSE(c->is_causal());
  EXPECT_FALSE(c->use_mlp);
  EXPECT_EQ(c->threads, 0) << "not this machine's default";
  std::ofstream(dir / "config.json") << "{\"task\": ";
  EXPECT_THROW(tf::read_run_config(dir.string()), polarlab::ConfigError);
  EXPECT_FALSE(tf::read_summary(dir.string()).has_value());
  std::ofstream(dir / "summary.json") << R"({"eval_accuracy": 0.5})";
  EXPECT_EQ(tf::read_summary(dir.string())->value("eval_accuracy", 0.0), 0.5);
  fs::remove_all(dir);
}

// The table's ranges (issue 25): one check for the train flags, the Python keywords, the sweep values and the GUI's
// fields (which run validate() as values are typed). Every number finite; no wrap; the defaults in range.
TEST(ConfigTable, RangesRefuseNonFiniteOverflowingAndOutOfRangeValues) {
  const tf::TrainConfig defaults = tf::resolve_defaults(tf::TrainConfig{});
  for (const auto& f : tf::config_fields()) {
    if (f.type != tf::FieldType::integer && f.type != tf::FieldType::real && f.type != tf::FieldType::integers)
      continue;
    EXPECT_TRUE(std::isfinite(f.min) && std::isfinite(f.max) && f.min < f.max) << f.key << " has no range";
    const nlohmann::json d = tf::field_value(f, defaults);
    EXPECT_TRUE(tf::value_refusal(f, d).empty() || (f.zero_is_default && d == 0)) << f.key << " default " << d;
    for (const std::string bad : {"nan", "inf", "-inf", "1e400", "99999999999999999999", "abc", ""})
      EXPECT_FALSE(tf::text_refusal(f, bad).empty()) << f.key << " took '" << bad << "'";
  }
  const tf::ConfigField& lr = *tf::field_by_key("lr");
  EXPECT_EQ(tf::text_refusal(lr, "inf"), "'inf' is not a finite number; give a finite number in (0, 10]");
  EXPECT_EQ(tf::text_refusal(lr, "0"), "0 is out of range; give a finite number in (0, 10]");
  EXPECT_EQ(tf::text_refusal(lr, "0.001"), "");
  EXPECT_EQ(tf::value_refusal(lr, std::numeric_limits<double>::infinity()),
            tf::text_refusal(lr, "inf")) << "a keyword and a flag get the same words";
  EXPECT_NE(tf::text_refusal(*tf::field_by_key("seed"), "4294967295"), "") << "a 32-bit wrap";
  EXPECT_NE(tf::text_refusal(*tf::field_by_key("threads"), "-1"), "");
  EXPECT_EQ(tf::text_refusal(*tf::field_by_key("threads"), "0"), "") << "0: the default threads";
  EXPECT_NE(tf::value_refusal(*tf::field_by_key("heads"), 1.5), "");
  EXPECT_EQ(tf::value_refusal(*tf::field_by_key("steps"), 1e6), "") << "Python's steps=1e6";

  // What the GUI's draft runs as values are typed: each refused, naming the field.
  auto refused_field = [](tf::TrainConfig c) -> std::string {
    try {
      tf::validate(c);
    } catch (const polarlab::ConfigError& e) {
      return e.field;
    }
    return "";
  };
  tf::TrainConfig c = defaults;
  EXPECT_EQ(refused_field(c), "");
  c.lr = std::numeric_limits<double>::infinity();
  EXPECT_EQ(refused_field(c), "lr");
  c = defaults, c.lr = -1;
  EXPECT_EQ(refused_field(c), "lr");
  c = defaults, c.batch_size = 0;
  EXPECT_EQ(refused_field(c), "batch_size");
  c = defaults, c.aux_weight = std::nan("");
  EXPECT_EQ(refused_field(c), "aux_weight");
  c = defaults, c.seed = -1;
  EXPECT_EQ(refused_field(c), "seed");
  c = defaults, c.weight_decay = std::numeric_limits<double>::infinity();
  EXPECT_EQ(refused_field(c), "weight_decay");
}

// Values given together: a field given twice, steps with epochs, a value for the other task: refused naming them.
TEST(ConfigTable, GivenValuesThatContradictOrDoNotApplyAreRefused) {
  auto refusal = [](const std::vector<tf::GivenValue>& v) -> std::string {
    try {
      tf::train_config_from_values(v);
    } catch (const polarlab::ConfigError& e) {
      return e.what();
    }
    return "";
  };
  const tf::ConfigField* causal = tf::field_by_key("causal");
  EXPECT_EQ(refusal({{causal, true, "--causal"}, {causal, false, "--non-causal"}}).rfind("--causal and --non-causal: ", 0),
            0u);
  const tf::ConfigField* steps = tf::field_by_key("steps");
  const tf::ConfigField* epochs = tf::field_by_key("epochs");
  EXPECT_EQ(refusal({{steps, 1, "steps"}, {epochs, 1, "epochs"}}).rfind("steps and epochs: ", 0), 0u);
  const tf::ConfigField* task = tf::field_by_key("task");
  EXPECT_EQ(refusal({{task, "classification", "task"}, {tf::field_by_key("aux_weight"), 0.5, "aux_weight"}})
                .rfind("aux_weight: applies to task induction only", 0),
            0u);
  EXPECT_EQ(refusal({{tf::field_by_key("lr"), std::numeric_limits<double>::quiet_NaN(), "lr"}}).rfind("lr: ", 0), 0u);
  EXPECT_EQ(refusal({{task, "classification", "task"}, {tf::field_by_key("labels"), 4, "labels"}}), "");
}
