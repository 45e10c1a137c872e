// The report's grids on synthetic finished runs, against proportions computed by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/sweep/report.hpp"
#include "sweep_test_util.hpp"

namespace sw = polarlab::sweep;

namespace {

nlohmann::json induction(double acc, std::vector<double> layer2) {
  nlohmann::json s;
  s["eval_accuracy"] = acc;
  nlohmann::json l1 = nlohmann::json::array(), b1 = nlohmann::json::array(), b2 = nlohmann::json::array();
  for (double v : layer2) l1.push_back(0.0), b1.push_back(false), b2.push_back(v > 0.9);
  s["sink_scores"] = {l1, layer2};
  s["sink_heads"] = {b1, b2};
  return s;
}

const sw::PlannedRun& run_with(const sw::Plan& p, const std::string& attention, int heads, int seed,
                               const std::string& positional = "concat") {
  for (const auto& r : p.runs)
    if (r.params.at("attention") == attention && r.params.at("heads") == heads && r.params.at("seed") == seed &&
        r.params.at("positional") == positional)
      return r;
  throw std::runtime_error("no such run");
}

}  // namespace

TEST(SweepReport, SinkProportionsAndAccuracyByHand) {
  const sw::Plan plan = sweep_test::plan_from_yaml("report_induction", R"(
method: grid
parameters:
  task: {value: induction}
  attention: {values: [softmax, sigmoid_norm]}
  heads: {values: [1, 2]}
  positional: {values: [concat, no]}
  seed: {values: [0, 1, 2]}
  aux_weight: {value: 0.2}
)");
  // softmax, 2 heads, concat: two successes with 1 and 2 sink heads, one failure with 2 sinks (ignored): 3/4.
  sweep_test::finish_run(plan, run_with(plan, "softmax", 2, 0), induction(0.99, {0.95, 0.5}));
  sweep_test::finish_run(plan, run_with(plan, "softmax", 2, 1), induction(0.97, {0.99, 0.97}));
  sweep_test::finish_run(plan, run_with(plan, "softmax", 2, 2), induction(0.50, {0.99, 0.99}));
  // softmax, 1 head, concat: one success without a sink (0.9 is not > 0.9), one still pending: 0/1.
  sweep_test::finish_run(plan, run_with(plan, "softmax", 1, 0), induction(0.96, {0.9}));
  // sigmoid_norm, 2 heads, concat: every run failed: marked, accuracy still averaged.
  sweep_test::finish_run(plan, run_with(plan, "sigmoid_norm", 2, 0), induction(0.30, {0.1, 0.1}));
  sweep_test::finish_run(plan, run_with(plan, "sigmoid_norm", 2, 1), induction(0.20, {0.1, 0.1}));
  // sigmoid_norm, 1 head, no positions: a failed run (status failed) is not data.
  sweep_test::finish_run(plan, run_with(plan, "sigmoid_norm", 1, 0, "no"), {}, sw::TaskState::failed, "boom");
  // softmax, 1 head, no positions: 1 of 1.
  sweep_test::finish_run(plan, run_with(plan, "softmax", 1, 2, "no"), induction(1.0, {0.93}));
  sw::collect(plan);
  const auto rows = sw::read_rows(sw::results_path(plan.dir));

  const auto sinks = sw::sink_views(rows);
  ASSERT_EQ(sinks.size(), 1u);
  const sw::GridView& v = sinks[0];
  EXPECT_EQ(v.name, "sink_lambda0.2");
  ASSERT_EQ(v.rows, (std::vector<std::string>{"softmax", "sigmoid_norm"}));
  ASSERT_EQ(v.cols, (std::vector<std::string>{"1", "2"}));
  ASSERT_EQ(v.panels.size(), 2u);
  EXPECT_EQ(v.panels[0].title, "positional: concat");
  EXPECT_DOUBLE_EQ(v.cell(0, 0, 1).value, 0.75);
  EXPECT_EQ(v.cell(0, 0, 1).runs, 3);
  EXPECT_EQ(v.cell(0, 0, 1).successes, 2);
  EXPECT_DOUBLE_EQ(v.cell(0, 0, 0).value, 0.0);
  EXPECT_TRUE(std::isnan(v.cell(0, 1, 1).value));
  EXPECT_EQ(v.cell(0, 1, 1).runs, 2);
  EXPECT_EQ(v.cell(0, 1, 1).successes, 0);
  EXPECT_EQ(v.cell(0, 1, 0).runs, 0);
  EXPECT_DOUBLE_EQ(v.cell(1, 0, 0).value, 1.0);
  EXPECT_EQ(v.cell(1, 1, 0).runs, 0) << "a failed run is not a finished run";

  const auto acc = sw::accuracy_views(rows);
  ASSERT_EQ(acc.size(), 1u);
  EXPECT_NEAR(acc[0].cell(0, 0, 1).value, (0.99 + 0.97 + 0.50) / 3, 1e-12);
  EXPECT_NEAR(acc[0].cell(0, 1, 1).value, 0.25, 1e-12);
  EXPECT_EQ(acc[0].cell(0, 1, 1).successes, 0);
  EXPECT_TRUE(sw::flip_views(rows).empty());

  const std::string out = plan.dir + "/report";
  const auto res = sw::write_report(plan.dir, out);
  ASSERT_EQ(res.notes.size(), 1u);
  EXPECT_NE(res.notes[0].find("flip rate"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(out + "/report.md"));
  EXPECT_TRUE(std::filesystem::exists(out + "/sink_lambda0.2.csv"));
  std::ifstream csv(out + "/sink_lambda0.2.csv");
  std::string all((std::istreambuf_iterator<char>(csv)), std::istreambuf_iterator<char>());
  EXPECT_NE(all.find("\"positional: concat\",softmax,\"2\",3,2,0.75"), std::string::npos) << all;
  for (const auto& f : res.files)
    if (f.size() > 4 && f.substr(f.size() - 4) == ".png") {
      std::ifstream png(out + "/" + f, std::ios::binary);
      char sig[8] = {0};
      png.read(sig, 8);
      EXPECT_EQ(std::string(sig + 1, 3), "PNG") << f;
    }
  std::filesystem::remove_all(plan.dir);
}

TEST(SweepReport, FlipRatesByHand) {
  const sw::Plan plan = sweep_test::plan_from_yaml("report_flip", R"(
method: grid
parameters:
  task: {value: classification}
  attention: {values: [softmax, linear]}
  vocab: {value: 41}
  layers: {values: [1, 2]}
  heads: {value: 1}
  use_mlp: {values: [true, false]}
  seed: {values: [0, 1]}
)");
  auto fin = [&](const std::string& attn, int layers, bool mlp, int seed, double acc, double flip) {
    for (const auto& r : plan.runs)
      if (r.params.at("attention") == attn && r.params.at("layers") == layers && r.params.at("mlp") == mlp &&
          r.params.at("seed") == seed) {
        nlohmann::json s{{"eval_accuracy", acc}, {"flip_rate", flip}};
        sweep_test::finish_run(plan, r, s);
      }
  };
  fin("softmax", 1, true, 0, 1.0, 0.8);
  fin("softmax", 1, true, 1, 0.99, 0.6);
  fin("softmax", 2, false, 0, 0.5, 0.9);  // unsuccessful: not averaged
  fin("linear", 1, true, 0, 1.0, 0.1);
  sw::collect(plan);
  const auto views = sw::flip_views(sw::read_rows(sw::results_path(plan.dir)));
  ASSERT_EQ(views.size(), 1u);
  const auto& v = views[0];
  EXPECT_EQ(v.name, "flip_vocab41");
  EXPECT_EQ(v.cols, (std::vector<std::string>{"1,1", "2,1"}));  // layers,heads
  ASSERT_EQ(v.panels.size(), 2u);  // MLP/LN and no MLP/LN
  EXPECT_EQ(v.panels[0].title, "MLP, LN");
  EXPECT_NEAR(v.cell(0, 0, 0).value, 0.7, 1e-12);
  EXPECT_NEAR(v.cell(0, 1, 0).value, 0.1, 1e-12);
  EXPECT_EQ(v.panels[1].title, "no MLP, LN");
  EXPECT_TRUE(std::isnan(v.cell(1, 0, 1).value));
  EXPECT_EQ(v.cell(1, 0, 1).runs, 1);
  EXPECT_TRUE(sw::sink_views(sw::read_rows(sw::results_path(plan.dir))).empty());
  std::filesystem::remove_all(plan.dir);
}
