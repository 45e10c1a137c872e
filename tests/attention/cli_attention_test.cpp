// 'polarlab-cli attention stats': the files it writes, and exit 2 with file, field and expectation on bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/attention/attention_files.hpp"
#include "tests/cli_runner.hpp"
#include "tests/temp_dir.hpp"

namespace fs = std::filesystem;
using polarlab::test::DType;

namespace {

using Result = polarlab::test::CliResult;
Result cli(const std::string& args) { return polarlab::test::run_cli(POLARLAB_CLI, args); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// One layer, one head, `samples` samples of one query over two keys: every row is `row`.
std::string model(const std::vector<double>& row, std::uint64_t samples) {
  std::vector<double> v;
  for (std::uint64_t s = 0; s < samples; ++s) v.insert(v.end(), row.begin(), row.end());
  return polarlab::test::npy_of(v, DType::f32, {1, 1, samples, 1, 2});
}

TEST(CliAttention, StatsWritesHeadsSummaryAndFigure7) {
  const polarlab::test::TempDir tmp("cli-att");
  const fs::path sharp0 = tmp.path / "sharp0.npy", sharp1 = tmp.path / "sharp1.npy", flat = tmp.path / "flat.npy";
  polarlab::test::write_bytes(sharp0.string(), model({0.875, 0.125}, 2));
  polarlab::test::write_bytes(sharp1.string(), model({0.875, 0.125}, 1));
  polarlab::test::write_bytes(flat.string(), model({0.5, 0.5}, 3));
  const fs::path out = tmp.sub("out");
  const Result r = cli("attention stats " + sharp0.string() + " " + sharp1.string() + " " + flat.string() +
                       " --label softmax --label softmax --label sigmoid --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  // Entropy -(7/8 ln 7/8 + 1/8 ln 1/8) = 0.3767701613 and ln 2 (to float precision); the tie goes to key 0.
  std::istringstream csv(slurp(out / "heads.csv"));
  std::string header, softmax, sigmoid, extra;
  std::getline(csv, header), std::getline(csv, softmax), std::getline(csv, sigmoid);
  EXPECT_EQ(header, "model,layer,head,sparsity,sink,entropy,argmax_sink_share,rows");
  EXPECT_EQ(softmax.substr(0, 26), "softmax,0,0,0.875,0.875,0.");
  EXPECT_NEAR(std::stod(softmax.substr(24)), 0.3767701613, 1e-7);
  EXPECT_EQ(softmax.substr(softmax.size() - 4), ",1,3");
  EXPECT_EQ(sigmoid.substr(0, 20), "sigmoid,0,0,0.5,0.5,");
  EXPECT_NEAR(std::stod(sigmoid.substr(20)), 0.6931471806, 1e-7);
  EXPECT_EQ(sigmoid.substr(sigmoid.size() - 4), ",1,3");
  EXPECT_FALSE(std::getline(csv, extra));
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  EXPECT_EQ(summary["models"][0]["files"].size(), 2u);
  EXPECT_EQ(summary["models"][0]["shape"]["samples"], 3);
  EXPECT_EQ(summary["models"][1]["model"], "sigmoid");
#ifdef HAVE_POLARLAB_ATTENTION_FIGURE
  EXPECT_EQ(slurp(out / "fig7.png").substr(1, 3), "PNG");
  EXPECT_NE(slurp(out / "fig7.svg").find("<svg"), std::string::npos);
  EXPECT_EQ(slurp(out / "fig7.pdf").substr(0, 5), "%PDF-");
  EXPECT_TRUE(fs::exists(out / "fig7.csv"));
#endif
  for (const auto& e : fs::directory_iterator(out))  // atomic writes leave no temporary behind
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(CliAttention, BadInputExitsTwoWithFileFieldAndExpectation) {
  const polarlab::test::TempDir tmp("cli-att-bad");
  const fs::path bad = tmp.path / "rank3.npy", good = tmp.path / "good.npy";
  polarlab::test::write_bytes(bad.string(), polarlab::test::npy_of({0.5, 0.5}, DType::f32, {1, 1, 2}));
  polarlab::test::write_bytes(good.string(), model({0.5, 0.5}, 1));
  Result r = cli("attention stats " + bad.string() + " --out " + tmp.sub("o").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find(bad.string()), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("shape: expected rank 5"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(tmp.sub("o") / "heads.csv"));
  r = cli("attention stats " + good.string() + " --layout head,layer --out " + tmp.sub("o").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--layout"), std::string::npos) << r.output;
  r = cli("attention stats " + good.string() + " --sink-key 5 --out " + tmp.sub("o").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--sink-key: expected a key index below the 2 keys"), std::string::npos) << r.output;
  r = cli("attention stats " + good.string() + " " + good.string() + " --label a --label b --label c --out " +
          tmp.sub("o").string());
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.output.find("--label"), std::string::npos) << r.output;
}

}  // namespace
