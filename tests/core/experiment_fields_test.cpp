// The experiment field table (issue 25.1, 25.6): values checked as given, flags that do not apply refused with
// the reason, ensembles' options checked before any member runs, and a prediction only where Theorem 3.3 applies.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/experiment/fields.hpp"
#include "core/experiment/presets.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"
#include "tests/slurp.hpp"

namespace fs = std::filesystem;
using polarlab::ConfigError;
using polarlab::experiment_field;
using polarlab::test::TempDir;

namespace {

polarlab::test::CliResult cli(const std::string& args) { return polarlab::test::run_cli(POLARLAB_CLI, args); }

using polarlab::test::slurp;

// The message of the ConfigError that f throws, or "" when it throws none.
template <class F>
std::string refusal(F f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(ExperimentFields, TextValuesAreCheckedWithoutWrapOrSilentDefaults) {
  const auto& lr = *experiment_field("lr");
  const auto& seed = *experiment_field("seed");
  const auto& steps = *experiment_field("steps");
  EXPECT_EQ(polarlab::parse_field_text(lr, "0.25", "--lr"), 0.25);
  for (const char* bad : {"nan", "inf", "-inf", "1e400", "0", "-1", "abc", "", "0.1x", " 0.1"})
    EXPECT_NE(refusal([&] { polarlab::parse_field_text(lr, bad, "--lr"); }).find("--lr: "), std::string::npos) << bad;
  EXPECT_EQ(polarlab::parse_field_text(seed, "4294967295", "--seed"), 4294967295LL);
  EXPECT_EQ(refusal([&] { polarlab::parse_field_text(seed, "4294967296", "--seed"); }),
            "--seed: 4294967296 is out of range; give an integer in [0, 4294967295]");
  EXPECT_NE(refusal([&] { polarlab::parse_field_text(steps, "99999999999999999999", "--steps"); }), "");
  EXPECT_NE(refusal([&] { polarlab::parse_field_text(steps, "1.5", "--steps"); }).find("'1.5' is not an integer"),
            std::string::npos);
}

TEST(ExperimentFields, JsonValuesOfTheWrongTypeOrNotFiniteAreRefused) {
  const auto& kappa = *experiment_field("kappa");
  EXPECT_EQ(refusal([&] { polarlab::check_field_value(kappa, std::nan(""), "kappa"); }),
            "kappa: 'nan' is not a finite number; give a finite number in [1, 1e12]");
  EXPECT_NE(refusal([&] { polarlab::check_field_value(kappa, "5", "kappa"); }).find("is not a finite number"),
            std::string::npos);
  EXPECT_NE(refusal([&] { polarlab::check_field_value(kappa, true, "kappa"); }), "");
  EXPECT_EQ(polarlab::check_field_value(kappa, 5, "kappa"), 5.0);
}

// validate() holds every field to the table's range, whoever set it (the GUI sets fields directly).
TEST(ExperimentFields, ValidateRefusesWhatTheGuiCouldType) {
  polarlab::ExperimentConfig c = polarlab::resolve_preset("fig2");
  c.lr = std::nan("");
  EXPECT_NE(refusal([&] { polarlab::validate(c); }).find("lr: 'nan' is not a finite number"), std::string::npos);
  c = polarlab::resolve_preset("fig2");
  c.atol = 5;  // the flow's absolute tolerance is in (0, 1]
  EXPECT_NE(refusal([&] { polarlab::validate(c); }).find("atol: 5 is out of range; give a finite number in (0, 1]"), std::string::npos);
  c = polarlab::resolve_preset("fig2");
  c.lr = 1e300;  // t = lr · steps would overflow
  EXPECT_NE(refusal([&] { polarlab::validate(c); }).find("lr: 1e300 is out of range; give a finite number in (0, 1000000]"), std::string::npos);
  c = polarlab::resolve_preset("fig2");
  c.seed = 7, c.records = 1;  // below the grid's minimum of 2
  EXPECT_NE(refusal([&] { polarlab::validate(c); }).find("records: 1 is out of range; give an integer in [2, 1000000]"), std::string::npos);
}

TEST(ExperimentFields, AFlagThatDoesNotApplyIsRefusedWithTheReason) {
  TempDir tmp("fields-apply");
  struct Case {
    std::string args, message;
  };
  const Case cases[] = {
      {"simulate --preset fig2 --kappa 5",
       "--kappa: applies to model regression (presets: fig3); preset fig2's model is value_softmax"},
      {"simulate --preset fig2 --t-end 50", "--t-end: applies to method flow; preset fig2 uses method gd"},
      {"simulate --preset fig2 --method flow --lr 0.5", "--lr: applies to method gd"},
      {"simulate --preset fig2 --lr 0.1 --lr 0.2", "--lr"},
      {"animate --preset fig2 --kappa 3", "--kappa: applies to model regression"},
      {"ensemble --preset fig2 --lr 0.1", "--lr: applies to method gd; preset fig2 uses method flow"},
      {"ensemble --preset fig2 --kappa-range 1:2:2", "--kappa-range: κ is the condition number"},
      {"ensemble --preset fig2 --threshold 2", "--threshold: must be a number in (0, 1)"},
      {"ensemble --preset fig2 --threshold -1", "--threshold"},
      {"ensemble --preset fig2 --threshold nan", "--threshold"},
      {"ensemble --preset fig2 --first-seed 4294967295 --count 3", "pass 4294967295"},
      {"ensemble --preset fig2 --threads -3", "--threads"},
      {"animate --preset fig2 --threads -1", "--threads"},
  };
  int k = 0;
  for (const Case& c : cases) {
    const fs::path out = tmp.sub("out" + std::to_string(k++));
    const std::string target = c.args.rfind("animate", 0) == 0 ? (out / "a.mp4").string() : out.string();
    const auto r = cli(c.args + " --out " + target);
    EXPECT_EQ(r.code, 2) << c.args << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << "\n" << r.output;
    EXPECT_FALSE(fs::exists(out)) << c.args << " wrote " << out;
  }
}

// Theorem 3.3 covers the logistic loss: fig3 (regression) gets no predicted winner in the CLI's line or in
// summary.json, only the reason; fig2 keeps its prediction; argmax u(0) stays a recorded fact in both.
TEST(ExperimentFields, APredictionOnlyWhereTheTheoremApplies) {
  TempDir tmp("fields-prediction");
  const auto fig3 = cli("simulate --preset fig3 --steps 2000 --out " + tmp.sub("fig3").string());
  ASSERT_EQ(fig3.code, 0) << fig3.output;
  EXPECT_EQ(fig3.output.find("(predicted"), std::string::npos) << fig3.output;
  EXPECT_NE(fig3.output.find("(no prediction: Theorem 3.3 does not apply: regression"), std::string::npos)
      << fig3.output;
  const auto s3 = nlohmann::json::parse(slurp(tmp.sub("fig3") / "summary.json"));
  EXPECT_TRUE(s3.at("predicted_winner").is_null()) << s3.dump();
  EXPECT_NE(s3.value("prediction_reason", "").find("does not apply"), std::string::npos);
  EXPECT_TRUE(s3.at("argmax_u0").is_number_integer());

  const auto fig2 = cli("simulate --preset fig2 --steps 2000 --out " + tmp.sub("fig2").string());
  ASSERT_EQ(fig2.code, 0) << fig2.output;
  const auto s2 = nlohmann::json::parse(slurp(tmp.sub("fig2") / "summary.json"));
  ASSERT_TRUE(s2.at("predicted_winner").is_number_integer()) << s2.dump();
  EXPECT_EQ(s2["predicted_winner"], s2["argmax_u0"]);
  EXPECT_FALSE(s2.contains("prediction_reason"));
  EXPECT_NE(fig2.output.find("(predicted " + std::to_string(s2["predicted_winner"].get<int>()) + ")"),
            std::string::npos)
      << fig2.output;
  // A figure drawn from the fig3 folder still reads argmax u(0) (the null prediction is not a crash).
  const auto fig = cli("figure --run " + tmp.sub("fig3").string() + " --out " + (tmp.path / "f.png").string());
  EXPECT_EQ(fig.code, 0) << fig.output;
}
