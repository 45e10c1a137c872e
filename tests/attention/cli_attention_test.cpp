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
#include "tests/slurp.hpp"

namespace fs = std::filesystem;
using polarlab::test::DType;

namespace {

using Result = polarlab::test::CliResult;
Result cli(const std::string& args) { return polarlab::test::run_cli(POLARLAB_CLI, args); }

using polarlab::test::slurp;

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
  EXPECT_EQ(header, "model,layer,head,sparsity,sink,entropy,argmax_sink_share,rows,sink_rows,sink_samples");
  auto cells = [](const std::string& line) {
    std::vector<std::string> c;
    std::istringstream in(line);
    for (std::string x; std::getline(in, x, ',');) c.push_back(x);
    return c;
  };
  // The sink score is .875 / (1 + 1e-9) per sample (one row each); default rows for these files: all (0:0).
  const auto sm = cells(softmax), sg = cells(sigmoid);
  ASSERT_EQ(sm.size(), 10u);
  ASSERT_EQ(sg.size(), 10u);
  EXPECT_EQ(std::vector<std::string>(sm.begin(), sm.begin() + 4), (std::vector<std::string>{"softmax", "0", "0", "0.875"}));
  EXPECT_NEAR(std::stod(sm[4]), 0.875 / (1 + 1e-9), 1e-9);
  EXPECT_NEAR(std::stod(sm[5]), 0.3767701613, 1e-7);
  EXPECT_EQ(std::vector<std::string>(sm.begin() + 6, sm.end()), (std::vector<std::string>{"1", "3", "0:0", "3"}));
  EXPECT_EQ(std::vector<std::string>(sg.begin(), sg.begin() + 4), (std::vector<std::string>{"sigmoid", "0", "0", "0.5"}));
  EXPECT_NEAR(std::stod(sg[4]), 0.5 / (1 + 1e-9), 1e-9);
  EXPECT_NEAR(std::stod(sg[5]), 0.6931471806, 1e-7);
  EXPECT_EQ(std::vector<std::string>(sg.begin() + 6, sg.end()), (std::vector<std::string>{"1", "3", "0:0", "3"}));
  EXPECT_FALSE(std::getline(csv, extra));
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  EXPECT_EQ(summary["models"][0]["files"].size(), 2u);
  EXPECT_EQ(summary["models"][0]["shape"]["samples"], 3);
  EXPECT_EQ(summary["models"][1]["model"], "sigmoid");
  EXPECT_EQ(summary["sink_rows"], "auto");
  EXPECT_EQ(summary["models"][1]["sink_rows"]["rows"], "all");
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

// Every flag is checked before the input is read: nothing is written, exit 2, the flag named.
TEST(CliAttention, BadFlagsWriteNothingAndExitTwoNamingTheFlag) {
  const polarlab::test::TempDir tmp("cli-att-flags");
  const fs::path good = tmp.path / "good.npy";
  polarlab::test::write_bytes(good.string(), model({0.5, 0.5}, 1));
  const std::string out = tmp.sub("o").string();
  const std::pair<const char*, const char*> bad[] = {
      {"--dpi nan", "--dpi"},        {"--dpi inf", "--dpi"},       {"--dpi 5", "--dpi"},
      {"--rows bad", "--rows"},      {"--rows 3:1", "--rows"},     {"--rows -1:2", "--rows"},
      {"--rows 1:", "--rows"},       {"--sink-key -1", "--sink-key"},
  };
  for (const auto& [flags, name] : bad) {
    const Result r = cli("attention stats " + good.string() + " " + flags + " --out " + out);
    EXPECT_EQ(r.code, 2) << flags << ": " << r.output;
    EXPECT_NE(r.output.find(name), std::string::npos) << flags << ": " << r.output;
    EXPECT_FALSE(fs::exists(out)) << flags;
  }
  // --out under a file cannot be created: refused before the input is read, naming --out.
  const Result r = cli("attention stats " + good.string() + " --out " + (good / "sub").string());
  EXPECT_EQ(r.code, 2) << r.output;
  EXPECT_NE(r.output.find("--out"), std::string::npos) << r.output;
  // Rows that do not fit the file's queries (one query here): exit 2 naming --rows and the file, nothing written.
  for (const char* rows : {"paper", "0:1"}) {
    const Result q = cli("attention stats " + good.string() + " --rows " + rows + " --out " + out);
    EXPECT_EQ(q.code, 2) << q.output;
    EXPECT_NE(q.output.find("--rows"), std::string::npos) << q.output;
    EXPECT_NE(q.output.find(good.string()), std::string::npos) << q.output;
    EXPECT_FALSE(fs::exists(fs::path(out) / "heads.csv"));
  }
}

// --rows A:B picks the query rows, and heads.csv and summary.json name them.
TEST(CliAttention, RowsChooseTheQueryRowsOfTheSinkScoreAndAreNamed) {
  const polarlab::test::TempDir tmp("cli-att-rows");
  const fs::path f = tmp.path / "m.npy";
  // One sample, three queries of two keys: weight on key 0 is 1, .5, .25 (rows sum to 1).
  polarlab::test::write_bytes(f.string(), polarlab::test::npy_of({1, 0, .5, .5, .25, .75}, DType::f32, {1, 1, 1, 3, 2}));
  const fs::path out = tmp.sub("o");
  const Result r = cli("attention stats " + f.string() + " --rows 1:2 --out " + out.string());
  ASSERT_EQ(r.code, 0) << r.output;
  std::istringstream csv(slurp(out / "heads.csv"));
  std::string header, row;
  std::getline(csv, header), std::getline(csv, row);
  EXPECT_EQ(row.substr(0, 11), "m,0,0,0.75,");  // sparsity (1 + .5 + .75) / 3; sink (.5 + .25) / 2 = .375
  EXPECT_NEAR(std::stod(row.substr(11)), 0.375, 1e-8);
  EXPECT_EQ(row.substr(row.size() - 6), ",1:2,1");
  const auto summary = nlohmann::json::parse(slurp(out / "summary.json"));
  EXPECT_EQ(summary["sink_rows"], "1:2");
  EXPECT_EQ(summary["models"][0]["sink_rows"]["first"], 1);
  EXPECT_EQ(summary["models"][0]["sink_rows"]["last"], 2);
  EXPECT_NE(summary["sink_formula"].get<std::string>().find("1e-9"), std::string::npos);
}

}  // namespace
