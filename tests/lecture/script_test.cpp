// Lecture scripts: every key read into the structs, every problem reported as FILE:LINE: KEY with the allowed
// values, overrides checked against the real presets, and the shipped lecture valid with the real vocabulary.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/experiment/presets.hpp"
#include "core/lecture/script.hpp"
#include "tests/temp_dir.hpp"
#ifdef HAVE_POLARLAB_TRANSFORMER_CONFIG
#include "core/transformer/config.hpp"
#endif

namespace pl = polarlab::lecture;

namespace {

const std::vector<std::string> kPanels = {"scores", "gamma",    "bound",      "projections", "logits",
                                          "loss",   "singular", "potentials", "attention"};

pl::Vocabulary vocab() {
  pl::Vocabulary v;
  v.presets = polarlab::preset_names();
  v.panels = kPanels;
  v.attentions = {"softmax", "sigmoid", "linear"};
  return v;
}

pl::Script parse(const std::string& yaml) { return pl::parse_script(yaml, "name.yaml", vocab()); }

// The error of a script that must fail ("" when it parses, so the EXPECTs below show what happened).
pl::ScriptError error_of(const std::string& yaml, const pl::Vocabulary& v = vocab()) {
  try {
    pl::parse_script(yaml, "name.yaml", v);
  } catch (const pl::ScriptError& e) {
    return e;
  }
  return pl::ScriptError("", -1, "", "parsed without an error");
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Checks file:line and key (through what() too) and that each `parts` is mentioned.
void expect_error(const std::string& yaml, int line, const std::string& key, const std::vector<std::string>& parts) {
  const pl::ScriptError e = error_of(yaml);
  const std::string what = e.what();
  EXPECT_EQ(e.file, "name.yaml") << what;
  EXPECT_EQ(e.line, line) << what;
  EXPECT_EQ(e.key, key) << what;
  EXPECT_TRUE(starts_with(what, "name.yaml:" + std::to_string(line) + ": " + (key.empty() ? "" : key + ": ")))
      << what;
  for (const auto& p : parts) EXPECT_TRUE(has(what, p)) << "'" << p << "' not in: " << what;
}

// Unicode code points, for the projector's length limits.
std::vector<std::uint32_t> code_points(const std::string& s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

// The glyph ranges the GUI loads (app/gui/shell/app.cpp load_fonts): a character outside draws as '?'.
bool drawable(std::uint32_t c) {
  const std::uint32_t ranges[][2] = {{0x20, 0xFF},     {0x370, 0x3FF},   {0x2000, 0x206F}, {0x2070, 0x209F},
                                     {0x2190, 0x21FF}, {0x2200, 0x22FF}, {0x2600, 0x26FF}, {0x1D00, 0x1DBF}};
  for (const auto& r : ranges)
    if (c >= r[0] && c <= r[1]) return true;
  return false;
}

}  // namespace

// ------------------------------------------------------------------------------------------------ reading

TEST(LectureScript, EveryKeyRoundTrips) {
  const pl::Script s = parse(R"(title: A lecture
scenes:
  - preset: fig3
    overrides: {kappa: 3, seed: 7, lr: 0.002, causal: false, loss: "square"}
    method: gd
    title: Ill-conditioned
    subtitle: "κ = 3: slow fit"
    panels: [logits, scores, gamma]
    pace: 0.5
    start_t: 1
    end_t: 200
    annotations:
      - {t: 100, text: later}
      - {t: 2.5, text: "first"}
    parameter: {key: kappa, label: "κ", min: 1, max: 10, step: 0.5}
  - workspace: transformer
    title: Tiny
    subtitle: sinks
    train: {steps: 1e3, task: classification, attention: sigmoid, tiny: false}
)");
  EXPECT_EQ(s.path, "name.yaml");
  EXPECT_EQ(s.title, "A lecture");
  ASSERT_EQ(s.scenes.size(), 2u);
  const pl::Scene& a = s.scenes[0];
  EXPECT_EQ(a.line, 3);
  EXPECT_EQ(a.workspace, "dynamics");
  EXPECT_EQ(a.preset, "fig3");
  EXPECT_EQ(a.overrides, nlohmann::json::parse(R"({"kappa": 3, "seed": 7, "lr": 0.002, "causal": false,
                                                   "loss": "square"})"));
  EXPECT_TRUE(a.overrides["kappa"].is_number_integer());
  EXPECT_EQ(a.method, "gd");
  EXPECT_EQ(a.title, "Ill-conditioned");
  EXPECT_EQ(a.subtitle, "κ = 3: slow fit");
  EXPECT_EQ(a.panels, (std::vector<std::string>{"logits", "scores", "gamma"}));
  EXPECT_DOUBLE_EQ(a.pace, 0.5);
  ASSERT_TRUE(a.start_t && a.end_t);
  EXPECT_DOUBLE_EQ(*a.start_t, 1.0);
  EXPECT_DOUBLE_EQ(*a.end_t, 200.0);
  ASSERT_EQ(a.annotations.size(), 2u);  // sorted by t
  EXPECT_DOUBLE_EQ(a.annotations[0].t, 2.5);
  EXPECT_EQ(a.annotations[0].text, "first");
  EXPECT_DOUBLE_EQ(a.annotations[1].t, 100.0);
  EXPECT_EQ(a.annotations[1].text, "later");
  ASSERT_TRUE(a.parameter.has_value());
  EXPECT_EQ(a.parameter->key, "kappa");
  EXPECT_EQ(a.parameter->label, "κ");
  EXPECT_DOUBLE_EQ(a.parameter->min, 1.0);
  EXPECT_DOUBLE_EQ(a.parameter->max, 10.0);
  EXPECT_DOUBLE_EQ(a.parameter->step, 0.5);

  const pl::Scene& b = s.scenes[1];
  EXPECT_EQ(b.line, 16);
  EXPECT_EQ(b.workspace, "transformer");
  EXPECT_EQ(b.title, "Tiny");
  EXPECT_EQ(b.subtitle, "sinks");
  EXPECT_EQ(b.train_steps, 1000);
  EXPECT_EQ(b.train_task, "classification");
  EXPECT_EQ(b.train_attention, "sigmoid");
  EXPECT_FALSE(b.train_tiny);
}

TEST(LectureScript, SequenceFormAndDefaults) {
  const pl::Script s = parse(R"(# comment first
- preset: fig2
- {preset: sink, parameter: {key: lr, min: 0.1, max: 1}}
- workspace: transformer
)");
  EXPECT_EQ(s.title, "");
  ASSERT_EQ(s.scenes.size(), 3u);
  const pl::Scene& a = s.scenes[0];
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.preset, "fig2");
  EXPECT_EQ(a.overrides, nlohmann::json::object());
  EXPECT_EQ(a.method, "");
  EXPECT_TRUE(a.panels.empty());
  EXPECT_DOUBLE_EQ(a.pace, 0.25);
  EXPECT_FALSE(a.start_t || a.end_t || a.parameter);
  EXPECT_TRUE(a.annotations.empty());
  ASSERT_TRUE(s.scenes[1].parameter.has_value());
  EXPECT_EQ(s.scenes[1].parameter->label, "lr");  // label defaults to the key
  EXPECT_DOUBLE_EQ(s.scenes[1].parameter->step, 1.0);
  const pl::Scene& c = s.scenes[2];
  EXPECT_EQ(c.line, 4);
  EXPECT_EQ(c.train_steps, 300);
  EXPECT_EQ(c.train_task, "induction");
  EXPECT_EQ(c.train_attention, "softmax");
  EXPECT_TRUE(c.train_tiny);
}

TEST(LectureScript, MethodBothAndFlowAreChecked) {
  const pl::Script s =
      parse("- {preset: fig2, method: both, end_t: 1e5}\n- {preset: fig2, method: flow, end_t: 1e6}\n");
  EXPECT_EQ(s.scenes[0].method, "both");
  EXPECT_EQ(s.scenes[1].method, "flow");
  // both: the range must lie inside the shorter of the two runs (GD ends at lr · steps = 1e5).
  expect_error("- {preset: fig2, method: both, end_t: 1e6}\n", 1, "scenes[1].end_t",
               {"past the run's end", "t = 100000"});
  expect_error("- preset: fig2\n  overrides: {method: gd}\n  method: flow\n", 3, "scenes[1].method",
               {"overrides.method"});
}

TEST(LectureScript, ReadsFilesAndNamesUnreadableOnes) {
  polarlab::test::TempDir dir("lecture");
  const std::string path = (dir.path / "talk.yaml").string();
  std::ofstream(path) << "- preset: fig2\n  panels: [scores, nope]\n";
  try {
    pl::read_script(path, vocab());
    ADD_FAILURE() << "no error";
  } catch (const pl::ScriptError& e) {
    EXPECT_TRUE(starts_with(e.what(), path + ":2: scenes[1].panels[2]: ")) << e.what();
  }
  std::ofstream(path) << "- preset: fig2\n";
  EXPECT_EQ(pl::read_script(path, vocab()).path, path);

  const std::string missing = (dir.path / "missing.yaml").string();
  try {
    pl::read_script(missing, vocab());
    ADD_FAILURE() << "no error";
  } catch (const pl::ScriptError& e) {
    EXPECT_EQ(e.line, 0);
    EXPECT_EQ(e.file, missing);
    EXPECT_TRUE(starts_with(e.what(), missing + ": cannot read: ")) << e.what();
  }
  try {
    pl::read_script(dir.path.string(), vocab());
    ADD_FAILURE() << "no error";
  } catch (const pl::ScriptError& e) {
    EXPECT_TRUE(starts_with(e.what(), dir.path.string() + ": cannot read: ")) << e.what();
  }
}

TEST(LectureScript, SceneKeysListsEveryKey) {
  EXPECT_EQ(pl::scene_keys(), (std::vector<std::string>{"preset", "overrides", "method", "title", "subtitle", "panels",
                                                         "pace", "start_t", "end_t", "annotations", "parameter",
                                                         "workspace", "train"}));
}

// ------------------------------------------------------------------------------------------------ errors

TEST(LectureScriptErrors, UnknownKeysEverywhereListTheAllowedOnes) {
  const pl::ScriptError e = error_of(R"(title: Talk
scenes:
  - preset: fig2
    prezet: fig3
)");
  const std::string what = e.what();
  EXPECT_TRUE(starts_with(what, "name.yaml:4: scenes[1].prezet")) << what;
  EXPECT_TRUE(has(what, "allowed: preset, overrides, method")) << what;
  EXPECT_TRUE(has(what, "did you mean 'preset'?")) << what;

  expect_error("titel: x\nscenes: [{preset: fig2}]\n", 1, "titel", {"unknown key", "allowed: title, scenes"});
  expect_error("- preset: fig2\n  annotations:\n    - {t: 1, txt: a}\n", 3, "scenes[1].annotations[1].txt",
               {"allowed: t, text"});
  expect_error("- preset: fig3\n  parameter:\n    key: kappa\n    maximum: 3\n", 4, "scenes[1].parameter.maximum",
               {"allowed: key, label, min, max, step"});
  expect_error("- workspace: transformer\n  train: {steps: 3, heads: 2}\n", 2, "scenes[1].train.heads",
               {"allowed: steps, task, attention, tiny"});
  expect_error("- preset: fig2\n  title: a\n  title: b\n", 3, "scenes[1].title", {"set twice", "line 2"});
}

TEST(LectureScriptErrors, PresetsPanelsAndChoicesListTheirValues) {
  expect_error("- preset: fig2\n- preset: fig99\n", 2, "scenes[2].preset",
               {"unknown value 'fig99'", "allowed: fig2, fig3, fig10, fig11, fig13, sink"});
  expect_error("- preset: fig2\n- preset: fig3\n  panels: [logits, scorez]\n", 3, "scenes[2].panels[2]",
               {"'scorez'", "allowed: scores, gamma, bound, projections, logits, loss, singular, potentials, attention",
                "did you mean 'scores'?"});
  expect_error("- {preset: fig2, panels: [loss, loss]}\n", 1, "scenes[1].panels[2]", {"twice"});
  expect_error("- preset: fig2\n  workspace: lab\n", 2, "scenes[1].workspace", {"allowed: dynamics, transformer"});
  expect_error("- preset: fig2\n  method: euler\n", 2, "scenes[1].method", {"allowed: \"\", gd, flow, both"});
  expect_error("- workspace: transformer\n  train:\n    task: copying\n", 3, "scenes[1].train.task",
               {"allowed: induction, classification"});
  expect_error("- workspace: transformer\n  train: {attention: relu}\n", 2, "scenes[1].train.attention",
               {"allowed: softmax, sigmoid, linear"});
  // Without a list of attentions anything non-empty goes.
  pl::Vocabulary open = vocab();
  open.attentions.clear();
  const pl::Script s = pl::parse_script("- {workspace: transformer, train: {attention: relu}}", "x", open);
  EXPECT_EQ(s.scenes[0].train_attention, "relu");
}

TEST(LectureScriptErrors, MissingPresetAndMisplacedKeys) {
  expect_error("- preset: fig2\n- title: no preset\n", 2, "scenes[2].preset", {"missing", "allowed: fig2"});
  expect_error("- preset: fig2\n  train: {steps: 3}\n", 2, "scenes[1].train", {"workspace: transformer"});
  expect_error("- workspace: transformer\n  preset: fig2\n  pace: 1\n", 2, "scenes[1].preset",
               {"dynamics scenes only", "allowed: workspace, title, subtitle, train"});
}

TEST(LectureScriptErrors, OverridesAreResolvedAgainstThePreset) {
  expect_error(R"(- preset: fig2
- preset: fig3
  title: bad kappa
  overrides: {kappa: -1}
)",
               4, "scenes[2].overrides", {"kappa", ">= 1"});
  // The line is the override's own when the config names it, else the line of "overrides:".
  expect_error("- preset: fig3\n  overrides:\n    seed: 1\n    kapa: 3\n", 4, "scenes[1].overrides",
               {"kapa", "unknown key"});
  expect_error("- preset: fig3\n  overrides:\n    seed: 1\n    loss: logistic\n", 4, "scenes[1].overrides",
               {"square loss"});
  expect_error("- preset: fig2\n  overrides:\n    seed: 1\n    model: regression\n", 2, "scenes[1].overrides",
               {"loss", "square loss"});
  expect_error("- preset: fig13\n  overrides: {map: tanh}\n", 2, "scenes[1].overrides", {"unknown map 'tanh'"});
  // Quoted stays text: the config says it wants a number.
  expect_error("- preset: fig3\n  overrides: {kappa: \"5\"}\n", 2, "scenes[1].overrides", {"expected a number"});
  expect_error("- preset: fig3\n  overrides:\n    kappa: [1, 2]\n", 3, "scenes[1].overrides.kappa",
               {"single value"});
  expect_error("- preset: fig3\n  overrides: [kappa, 5]\n", 2, "scenes[1].overrides", {"expected a mapping"});
}

// An override without effect on the scene's run is refused as the CLI refuses the flag (issue 25): the audience
// would be told about a parameter the plots do not depend on. A method-specific key needs that method.
TEST(LectureScriptErrors, OverridesThatDoNotApplyAreRefused) {
  expect_error("- preset: fig2\n  overrides:\n    seed: 1\n    kappa: 5\n", 4, "scenes[1].overrides.kappa",
               {"applies to model regression", "value_softmax"});
  expect_error("- preset: fig2\n  overrides: {t_end: 50}\n", 2, "scenes[1].overrides.t_end",
               {"applies to method flow", "set the scene's method"});
  // With the scene's method (or "both") the same key applies.
  EXPECT_EQ(parse("- preset: fig2\n  method: flow\n  overrides: {t_end: 50}\n").scenes.size(), 1u);
  EXPECT_EQ(parse("- preset: fig2\n  method: both\n  overrides: {t_end: 50, steps: 500}\n").scenes.size(), 1u);
}

TEST(LectureScriptErrors, WrongTypesNameTheExpectedType) {
  expect_error("- preset: fig2\n  pace: fast\n", 2, "scenes[1].pace", {"expected a number", "'fast'"});
  expect_error("- preset: fig2\n  panels: {scores: 1}\n", 2, "scenes[1].panels", {"expected a list", "a mapping"});
  expect_error("- preset: fig2\n  panels: scores\n", 2, "scenes[1].panels", {"expected a list"});
  expect_error("- preset: fig2\n  title: [a, b]\n", 2, "scenes[1].title", {"expected text", "a list"});
  expect_error("- preset: fig2\n  annotations: {t: 1, text: a}\n", 2, "scenes[1].annotations", {"expected a list"});
  expect_error("- preset: fig2\n  annotations:\n    - {t: soon, text: a}\n", 3, "scenes[1].annotations[1].t",
               {"expected a number"});
  expect_error("- preset: fig2\n  annotations: [hello]\n", 2, "scenes[1].annotations[1]", {"expected {t: number"});
  expect_error("- workspace: transformer\n  train: {steps: 2.5}\n", 2, "scenes[1].train.steps",
               {"expected a whole number"});
  expect_error("- workspace: transformer\n  train: {tiny: maybe}\n", 2, "scenes[1].train.tiny",
               {"expected true or false"});
  expect_error("- workspace: transformer\n  train: [300]\n", 2, "scenes[1].train", {"expected a mapping"});
  expect_error("- preset: fig2\n- fig3\n", 2, "scenes[2]", {"expected a mapping of scene keys", "'fig3'"});
  expect_error("title: x\nscenes: {preset: fig2}\n", 2, "scenes", {"expected a list of scenes"});
}

TEST(LectureScriptErrors, RangesAreChecked) {
  expect_error("- preset: fig2\n  pace: 0\n", 2, "scenes[1].pace", {"must be > 0"});
  expect_error("- preset: fig2\n  pace: .inf\n", 2, "scenes[1].pace", {"finite"});
  expect_error("- preset: fig2\n  pace: +.5\n  start_t: -.nan\n", 3, "scenes[1].start_t", {"expected a number"});
  expect_error("- preset: fig2\n  end_t: .NaN\n", 2, "scenes[1].end_t", {"finite"});
  expect_error("- preset: fig2\n  start_t: -1\n", 2, "scenes[1].start_t", {"must be > 0"});
  expect_error("- preset: fig2\n  start_t: 10\n  end_t: 5\n", 3, "scenes[1].end_t", {"must be > start_t"});
  // fig2 runs GD to lr · steps = 1e5; fig3 to 300.
  expect_error("- preset: fig2\n  end_t: 1e6\n", 2, "scenes[1].end_t", {"past the run's end", "lr · steps"});
  expect_error("- preset: fig3\n  start_t: 500\n", 2, "scenes[1].start_t", {"t = 300"});
  EXPECT_NO_THROW(parse("- {preset: fig3, overrides: {steps: 600000}, start_t: 500}\n"));
  expect_error("- preset: fig2\n  annotations:\n    - {t: 0, text: a}\n", 3, "scenes[1].annotations[1].t",
               {"must be > 0"});
  expect_error("- preset: fig2\n  end_t: 100\n  annotations:\n    - {t: 200, text: a}\n", 4,
               "scenes[1].annotations[1].t", {"never shown", "end_t"});
  expect_error("- preset: fig2\n  annotations:\n    - {t: 1, text: \"\"}\n", 3, "scenes[1].annotations[1].text",
               {"must not be empty"});
  expect_error("- preset: fig2\n  annotations:\n    - {t: 1}\n", 3, "scenes[1].annotations[1].text", {"missing"});
  expect_error("- workspace: transformer\n  train: {steps: 0}\n", 2, "scenes[1].train.steps", {"must be > 0"});
}

TEST(LectureScriptErrors, ParameterIsCheckedAgainstTheConfig) {
  expect_error("- preset: fig3\n  parameter: {key: kappa, min: 5, max: 2}\n", 2, "scenes[1].parameter.max",
               {"must be > min"});
  expect_error("- preset: fig3\n  parameter: {key: kappa, min: 1, max: 5, step: 0}\n", 2,
               "scenes[1].parameter.step", {"must be > 0"});
  expect_error("- preset: fig3\n  parameter: {key: kapa, min: 1, max: 5}\n", 2, "scenes[1].parameter.key",
               {"not a numeric config key", "kappa", "did you mean 'kappa'?"});
  expect_error("- preset: fig3\n  parameter: {key: map, min: 1, max: 5}\n", 2, "scenes[1].parameter.key",
               {"not a numeric config key"});
  // κ < 1 is no design matrix: the config rejects the slider's lower end.
  expect_error("- preset: fig3\n  parameter:\n    key: kappa\n    min: 0.5\n    max: 5\n", 4,
               "scenes[1].parameter.min", {"kappa", ">= 1"});
  expect_error("- preset: fig3\n  parameter: {key: d, min: 2, max: 20, step: 0.5}\n", 2, "scenes[1].parameter.step",
               {"whole number"});
  expect_error("- preset: fig3\n  parameter: {label: x}\n", 2, "scenes[1].parameter.key", {"missing"});
}

TEST(LectureScriptErrors, SyntaxErrorsAndEmptyScripts) {
  // An unclosed flow sequence: yaml-cpp reports it where it gave up.
  const pl::ScriptError e = error_of("- preset: fig2\n- preset: fig3\n  panels: [scores, logits\n");
  EXPECT_TRUE(starts_with(e.what(), "name.yaml:")) << e.what();
  EXPECT_TRUE(has(e.what(), "YAML syntax error")) << e.what();
  EXPECT_GE(e.line, 3) << e.what();
  // A tab-free bad indentation on line 3 is reported on line 3.
  expect_error("- preset: fig2\n  title: a\n bad: x\n", 3, "", {"YAML syntax error"});
  expect_error("", 1, "", {"empty", "list of scenes"});
  expect_error("# only a comment\n", 1, "", {"empty"});
  expect_error("title: x\nscenes: []\n", 2, "scenes", {"at least one"});
  expect_error("[]\n", 1, "scenes", {"at least one"});
  expect_error("title: x\n", 1, "scenes", {"missing"});
  expect_error("just words\n", 1, "", {"expected a list of scenes"});
}

// Files the reference parser (libyaml, PyYAML's) rejects are rejected, with the line to fix, even where yaml-cpp
// alone would read them (the first four) into something other than what was written.
TEST(LectureScriptErrors, FilesLibyamlRejectsAreRejected) {
  // yaml-cpp reads this as one scene titled "unterminated - preset: fig3": the second scene vanishes.
  expect_error("- preset: fig2\n  title: \"unterminated\n- preset: fig3\n", 2, "",
               {"YAML syntax error", "quoted scalar", "quote opened on line 2 is never closed"});
  expect_error("- preset: fig2\n  title: 'unterminated\n- preset: fig3\n", 2, "",
               {"YAML syntax error", "never closed"});
  // The same in the mapping form, the finding's file: the scenes key is swallowed into the title.
  expect_error("title: \"unterminated\nscenes:\n  - preset: fig3\n", 1, "", {"YAML syntax error", "never closed"});
  // A block scalar's text must be indented more than its key: yaml-cpp gives title "" and a key 'x'.
  expect_error("- preset: fig2\n  title: |\n  x\n", 3, "", {"YAML syntax error", "could not find expected ':'"});
  // Not UTF-8 (a Latin-1 'é'): yaml-cpp passes the byte through to the screen.
  expect_error("- preset: fig2\n  title: caf\xe9\n", 2, "", {"YAML syntax error", "UTF-8"});
  // Tabs in the indentation, on the line of the tab.
  expect_error("- preset: fig2\n  title: a\n\tsubtitle: b\n", 3, "", {"YAML syntax error", "not allow tabs"});
  expect_error("scenes:\n\t- preset: fig3\n", 2, "", {"YAML syntax error", "not allow tabs"});
  expect_error("- preset: fig2\n  title: *nope\n", 2, "", {"YAML syntax error", "undefined alias 'nope'"});
  // Through a file, as `polarlab --lecture-script` reads it: FILE:LINE with the file's path.
  polarlab::test::TempDir dir("lecture-strict");
  const std::string path = (dir.path / "broken.yaml").string();
  std::ofstream(path) << "title: Polarization\nscenes:\n  - preset: fig2\n    title: \"open\n  - preset: fig3\n";
  try {
    pl::read_script(path, vocab());
    ADD_FAILURE() << "a file with an unclosed quote was read";
  } catch (const pl::ScriptError& e) {
    EXPECT_TRUE(starts_with(e.what(), path + ":4: YAML syntax error: ")) << e.what();
  }
  // What libyaml accepts still reads: anchors and aliases, tabs inside text, quoted text over two lines.
  const pl::Script s = parse("- preset: fig2\n  title: &t \"two\n    lines\"\n- preset: fig3\n  title: *t\n"
                             "  subtitle: \"a\ttab\"\n");
  ASSERT_EQ(s.scenes.size(), 2u);
  EXPECT_EQ(s.scenes[0].title, "two lines");
  EXPECT_EQ(s.scenes[1].title, "two lines");
  EXPECT_EQ(s.scenes[1].subtitle, "a\ttab");
}

// ------------------------------------------------------------------------------------------------ shipped lecture

TEST(LectureScript, ShippedLectureIsValid) {
  pl::Vocabulary v;
  v.presets = polarlab::preset_names();
  v.panels = kPanels;
#ifdef HAVE_POLARLAB_TRANSFORMER_CONFIG
  v.attentions = polarlab::transformer::attention_names();
#endif
  const pl::Script s = pl::read_script(polarlab::assets_dir() + "/lectures/polarization.yaml", v);
  EXPECT_FALSE(s.title.empty());
  ASSERT_GE(s.scenes.size(), 6u);
  bool has_transformer = false;
  for (const pl::Scene& sc : s.scenes) {
    SCOPED_TRACE("scene on line " + std::to_string(sc.line) + ": " + sc.title);
    EXPECT_FALSE(sc.title.empty());
    EXPECT_LE(code_points(sc.title).size(), 50u);
    EXPECT_LE(code_points(sc.subtitle).size(), 90u);
    std::string shown = sc.title + sc.subtitle;
    for (const auto& a : sc.annotations) shown += a.text;
    for (std::uint32_t c : code_points(shown)) EXPECT_TRUE(drawable(c)) << "U+" << std::hex << c;
    if (sc.workspace == "transformer") {
      has_transformer = true;
      continue;
    }
    EXPECT_NO_THROW(polarlab::resolve_preset(sc.preset, sc.overrides));
  }
  EXPECT_TRUE(has_transformer);
  // The story's order: fig2 first, fig3 at κ = 1 then 5 with the κ parameter, the sink, the transformer last.
  EXPECT_EQ(s.scenes.front().preset, "fig2");
  EXPECT_EQ(s.scenes.front().panels, (std::vector<std::string>{"scores", "projections", "loss", "bound"}));
  EXPECT_FALSE(s.scenes.front().annotations.empty());
  EXPECT_EQ(s.scenes[2].preset, "fig3");
  EXPECT_EQ(s.scenes[2].overrides["kappa"], 1);
  ASSERT_TRUE(s.scenes[2].parameter.has_value());
  EXPECT_EQ(s.scenes[2].parameter->key, "kappa");
  EXPECT_EQ(s.scenes[3].overrides["kappa"], 5);
  const pl::Scene& last = s.scenes.back();
  EXPECT_EQ(last.workspace, "transformer");
  EXPECT_GE(last.train_steps, 1000) << "the tiny model needs ~1,000 steps before its layer-2 heads become sinks";
  EXPECT_EQ(last.train_task, "induction");
  EXPECT_EQ(last.train_attention, "softmax");
  EXPECT_TRUE(last.train_tiny);
}

// Every lecture shipped in assets/lectures passes the strict (libyaml) check and the reader.
TEST(LectureScript, EveryShippedLectureReads) {
  pl::Vocabulary v;
  v.presets = polarlab::preset_names();
  v.panels = kPanels;
  int n = 0;
  for (const auto& f : std::filesystem::directory_iterator(polarlab::assets_dir() + "/lectures")) {
    if (f.path().extension() != ".yaml") continue;
    ++n;
    EXPECT_NO_THROW(pl::read_script(f.path().string(), v)) << f.path();
  }
  EXPECT_GE(n, 1);
}
