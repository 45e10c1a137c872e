#include "core/lecture/script.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

#include "core/experiment/config.hpp"
#include "core/experiment/fields.hpp"
#include "core/experiment/presets.hpp"
#include "core/types.hpp"
#include "core/util/yaml_check.hpp"

namespace polarlab::lecture {

namespace {

using nlohmann::json;

const std::vector<std::string> kTopKeys = {"title", "scenes"};
const std::vector<std::string> kWorkspaces = {"dynamics", "transformer"};
const std::vector<std::string> kMethods = {"", "gd", "flow", "both"};
const std::vector<std::string> kAnnotationKeys = {"t", "text"};
const std::vector<std::string> kParameterKeys = {"key", "label", "min", "max", "step"};
const std::vector<std::string> kTrainKeys = {"steps", "task", "attention", "tiny"};
const std::vector<std::string> kTasks = {"induction", "classification"};
// A transformer scene trains a network; the replay keys of the dynamics scenes mean nothing there.
const std::vector<std::string> kTransformerKeys = {"workspace", "title", "subtitle", "train"};

std::string join(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + (n.empty() ? std::string("\"\"") : n);
  return s;
}

std::string allowed(const std::vector<std::string>& names) { return " (allowed: " + join(names) + ")"; }

bool contains(const std::vector<std::string>& names, const std::string& s) {
  return std::find(names.begin(), names.end(), s) != names.end();
}

std::string fmt(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Levenshtein distance, for "did you mean" on typos of keys and names.
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = 3;  // farther than 2 edits is a different word, not a typo
  for (const auto& n : names) {
    const std::size_t d = distance(word, n);
    if (!n.empty() && d < best_d) best_d = d, best = n;
  }
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// A YAML number: from_chars plus YAML's leading '+' and its .inf/.nan spellings (so they are named as such).
bool parse_double(const std::string& text, double& v) {
  std::string s = text;
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  std::string lower = s;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == ".inf" || lower == "-.inf" || lower == ".nan") {
    v = lower == ".nan" ? std::nan("") : lower == ".inf" ? HUGE_VAL : -HUGE_VAL;
    return true;
  }
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  return !s.empty() && r.ec == std::errc() && r.ptr == end;
}

std::string kind_of(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + n.Scalar() + "'";
    default: return "nothing";
  }
}

std::string child(const std::string& where, const std::string& key) { return where.empty() ? key : where + "." + key; }
std::string item(const std::string& where, std::size_t i) { return where + "[" + std::to_string(i + 1) + "]"; }

// A mapping's entries by key, with the key nodes kept for their lines.
struct Entry {
  YAML::Node key, value;
};
using Entries = std::map<std::string, Entry>;

class Reader {
 public:
  Reader(std::string file, const Vocabulary& vocab) : file_(std::move(file)), vocab_(vocab) {}

  Script read(const std::string& text);

 private:
  [[noreturn]] void fail(int line, const std::string& key, const std::string& msg) const {
    throw ScriptError(file_, line, key, msg);
  }
  // yaml-cpp marks are 0-based (-1 when unknown); the file's lines are 1-based.
  static int line_of(const YAML::Node& n, int fallback = 0) {
    const int l = n.Mark().line;
    return l >= 0 ? l + 1 : fallback;
  }
  [[noreturn]] void fail(const YAML::Node& at, const std::string& key, const std::string& msg) const {
    fail(line_of(at), key, msg);
  }

  Entries entries(const YAML::Node& map, const std::string& where, const std::vector<std::string>& keys) const;
  std::string text(const YAML::Node& n, const std::string& key) const;
  double number(const YAML::Node& n, const std::string& key) const;
  double positive(const YAML::Node& n, const std::string& key) const;
  long long integer(const YAML::Node& n, const std::string& key) const;
  bool boolean(const YAML::Node& n, const std::string& key) const;
  std::string choice(const YAML::Node& n, const std::string& key, const std::vector<std::string>& names) const;
  json scalar_json(const YAML::Node& n, const std::string& key) const;

  Scene scene(const YAML::Node& node, const std::string& where) const;
  void dynamics(Scene& s, const Entries& e, const std::string& where) const;
  void transformer(Scene& s, const Entries& e, const std::string& where) const;

  std::string file_;
  const Vocabulary& vocab_;
};

Entries Reader::entries(const YAML::Node& map, const std::string& where, const std::vector<std::string>& keys) const {
  Entries out;
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) fail(kv.first, where, "a key must be a word, got " + kind_of(kv.first) + allowed(keys));
    const std::string k = kv.first.Scalar();
    if (!keys.empty() && !contains(keys, k))
      fail(kv.first, child(where, k), "unknown key" + allowed(keys) + did_you_mean(k, keys));
    if (out.count(k))
      fail(kv.first, child(where, k),
           "set twice (first on line " + std::to_string(line_of(out[k].key)) + "); keep one");
    out[k] = Entry{kv.first, kv.second};
  }
  return out;
}

std::string Reader::text(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar()) fail(n, key, "expected text, got " + kind_of(n));
  return n.Scalar();
}

double Reader::number(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar()) fail(n, key, "expected a number, got " + kind_of(n));
  double v = 0;
  if (!parse_double(n.Scalar(), v)) fail(n, key, "expected a number, got " + kind_of(n));
  if (!std::isfinite(v)) fail(n, key, "must be a finite number, got " + kind_of(n));
  return v;
}

double Reader::positive(const YAML::Node& n, const std::string& key) const {
  const double v = number(n, key);
  if (!(v > 0)) fail(n, key, "must be > 0, got " + fmt(v));
  return v;
}

long long Reader::integer(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar()) fail(n, key, "expected a whole number, got " + kind_of(n));
  const std::string& s = n.Scalar();
  long long v = 0;
  const char* end = s.data() + s.size();
  const auto r = std::from_chars(s.data(), end, v);
  if (r.ec == std::errc() && r.ptr == end && !s.empty()) return v;
  const double x = number(n, key);  // 1e3 written for 1000: fine when whole
  if (x != std::floor(x) || std::fabs(x) > 9e15) fail(n, key, "expected a whole number, got " + kind_of(n));
  return static_cast<long long>(x);
}

bool Reader::boolean(const YAML::Node& n, const std::string& key) const {
  bool b = false;
  if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b))
    fail(n, key, "expected true or false, got " + kind_of(n));
  return b;
}

std::string Reader::choice(const YAML::Node& n, const std::string& key, const std::vector<std::string>& names) const {
  const std::string s = text(n, key);
  if (!contains(names, s)) fail(n, key, "unknown value '" + s + "'" + allowed(names) + did_you_mean(s, names));
  return s;
}

// Plain scalars are typed the YAML way (true, 3, 0.5); quoted ones are strings, so "5" reaches the config as
// text and the config says it wants a number.
json Reader::scalar_json(const YAML::Node& n, const std::string& key) const {
  if (!n.IsScalar())
    fail(n, key, "expected a single value (a number, a word or true/false), got " + kind_of(n));
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* end = s.data() + s.size();
  long long i = 0;
  if (auto r = std::from_chars(s.data(), end, i); r.ec == std::errc() && r.ptr == end && !s.empty()) return i;
  if (double d = 0; parse_double(s, d)) {
    if (!std::isfinite(d)) fail(n, key, "must be a finite number, got " + kind_of(n));
    return d;
  }
  return s;
}

Scene Reader::scene(const YAML::Node& node, const std::string& where) const {
  if (!node.IsMap())
    fail(node, where, "expected a mapping of scene keys, got " + kind_of(node) + allowed(scene_keys()));
  Scene s;
  s.line = line_of(node);
  const Entries e = entries(node, where, scene_keys());
  if (auto it = e.find("workspace"); it != e.end())
    s.workspace = choice(it->second.value, child(where, "workspace"), kWorkspaces);
  if (auto it = e.find("title"); it != e.end()) s.title = text(it->second.value, child(where, "title"));
  if (auto it = e.find("subtitle"); it != e.end()) s.subtitle = text(it->second.value, child(where, "subtitle"));
  if (s.workspace == "transformer") transformer(s, e, where);
  else dynamics(s, e, where);
  return s;
}

void Reader::transformer(Scene& s, const Entries& e, const std::string& where) const {
  const Entries::value_type* misplaced = nullptr;  // the first in the file, not in key order
  for (const auto& kv : e) {
    if (contains(kTransformerKeys, kv.first)) continue;
    if (!misplaced || line_of(kv.second.key) < line_of(misplaced->second.key)) misplaced = &kv;
  }
  if (misplaced)
    fail(misplaced->second.key, child(where, misplaced->first),
         "applies to dynamics scenes only, not to 'workspace: transformer'" + allowed(kTransformerKeys));
  auto it = e.find("train");
  if (it == e.end()) return;  // the defaults: 300 tiny softmax steps on induction
  const std::string tw = child(where, "train");
  const YAML::Node& train = it->second.value;
  if (!train.IsMap()) fail(train, tw, "expected a mapping, got " + kind_of(train) + allowed(kTrainKeys));
  const Entries t = entries(train, tw, kTrainKeys);
  if (auto f = t.find("steps"); f != t.end()) {
    s.train_steps = integer(f->second.value, child(tw, "steps"));
    if (s.train_steps <= 0)
      fail(f->second.value, child(tw, "steps"), "must be > 0, got " + std::to_string(s.train_steps));
  }
  if (auto f = t.find("task"); f != t.end()) s.train_task = choice(f->second.value, child(tw, "task"), kTasks);
  if (auto f = t.find("attention"); f != t.end()) {
    const std::string key = child(tw, "attention");
    if (!vocab_.attentions.empty()) {
      s.train_attention = choice(f->second.value, key, vocab_.attentions);
    } else {
      s.train_attention = text(f->second.value, key);
      if (s.train_attention.empty()) fail(f->second.value, key, "must not be empty");
    }
  }
  if (auto f = t.find("tiny"); f != t.end()) s.train_tiny = boolean(f->second.value, child(tw, "tiny"));
}

void Reader::dynamics(Scene& s, const Entries& e, const std::string& where) const {
  if (auto it = e.find("train"); it != e.end())
    fail(it->second.key, child(where, "train"), "applies to transformer scenes only; add 'workspace: transformer'");

  // preset
  auto pit = e.find("preset");
  if (pit == e.end())
    fail(s.line, child(where, "preset"),
         "missing: a dynamics scene needs a preset" + (vocab_.presets.empty() ? "" : allowed(vocab_.presets)));
  const YAML::Node& preset_node = pit->second.value;
  if (vocab_.presets.empty()) s.preset = text(preset_node, child(where, "preset"));
  else s.preset = choice(preset_node, child(where, "preset"), vocab_.presets);

  // overrides
  const std::string ow = child(where, "overrides");
  const bool has_overrides = e.count("overrides") > 0;
  Entries override_entries;
  if (has_overrides) {
    const YAML::Node& node = e.at("overrides").value;
    if (!node.IsMap())
      fail(node, ow, "expected a mapping of config keys to values (e.g. {kappa: 5}), got " + kind_of(node));
    override_entries = entries(node, ow, {});
    for (const auto& [k, entry] : override_entries) s.overrides[k] = scalar_json(entry.value, child(ow, k));
  }

  // method
  YAML::Node method_node;
  if (auto it = e.find("method"); it != e.end()) {
    method_node = it->second.value;
    s.method = method_node.IsNull() ? "" : choice(method_node, child(where, "method"), kMethods);
    if (!s.method.empty() && s.overrides.contains("method"))
      fail(method_node, child(where, "method"), "also set in overrides.method; keep one");
  }

  // The preset with its overrides, checked for real: the config's own message names the field.
  ExperimentConfig cfg;
  try {
    cfg = resolve_preset(s.preset, s.overrides);
  } catch (const ConfigError& ex) {
    // The line of the override the config names (its field "kappa" or "init.recipe[0]"), else of "overrides:".
    if (!has_overrides) fail(preset_node, child(where, "preset"), ex.what());
    const std::string field = ex.field.substr(0, ex.field.find_first_of(".["));
    const auto named = override_entries.find(field);
    fail(named != override_entries.end() ? named->second.key : e.at("overrides").key, ow, ex.what());
  } catch (const std::exception& ex) {
    fail(has_overrides ? e.at("overrides").key : preset_node, has_overrides ? ow : child(where, "preset"), ex.what());
  }

  // The simulated time the run reaches: replay ranges and annotations must lie inside it.
  double run_end = cfg.end_time();
  std::string run_end_why;
  auto describe = [](const ExperimentConfig& c) {
    return c.method == Method::gd ? "lr · steps = " + fmt(c.end_time()) : "t_end = " + fmt(c.end_time());
  };
  run_end_why = describe(cfg);
  if (!s.method.empty() && !s.overrides.contains("method")) {
    const std::vector<std::string> methods =
        s.method == "both" ? std::vector<std::string>{"gd", "flow"} : std::vector<std::string>{s.method};
    bool first = true;
    for (const auto& m : methods) {
      json o = s.overrides;
      o["method"] = m;
      ExperimentConfig c;
      try {
        c = resolve_preset(s.preset, o);
      } catch (const std::exception& ex) {
        fail(method_node, child(where, "method"), "with method " + m + ": " + ex.what());
      }
      if (first || c.end_time() < run_end) run_end = c.end_time(), run_end_why = m + ": " + describe(c);
      first = false;
    }
  }
  // An override that changes nothing in this scene's run (kappa on fig2, t_end under GD) is refused, as the CLI
  // refuses its flag: the audience would be told about a parameter the plots do not depend on. With method
  // "both", a method-specific key applies when either run uses it.
  for (const auto& [k, v] : s.overrides.items()) {
    const ExperimentField* f = experiment_field(k);
    if (!f) continue;
    std::string why = why_not_applicable(*f, cfg);
    if (!why.empty() && f->applies.method && s.method == "both") why.clear();
    if (!why.empty() && f->applies.method && !s.method.empty() && s.method != "both" &&
        (*f->applies.method == Method::gd) == (s.method == "gd"))
      why.clear();
    if (why.empty()) continue;
    const auto at = why.find("(add --method ");
    if (at != std::string::npos) why.replace(at, why.size() - at, "(set the scene's method)");
    fail(override_entries.at(k).key, child(ow, k), why);
  }
  const std::string end_hint = "; the run ends at t = " + fmt(run_end) + " (" + run_end_why + ")";

  if (auto it = e.find("panels"); it != e.end()) {
    const std::string pw = child(where, "panels");
    const YAML::Node& panels = it->second.value;
    if (!panels.IsSequence())
      fail(panels, pw, "expected a list of panel keys, got " + kind_of(panels) +
                           (vocab_.panels.empty() ? "" : allowed(vocab_.panels)));
    for (std::size_t i = 0; i < panels.size(); ++i) {
      const std::string key = item(pw, i);
      const std::string p = vocab_.panels.empty() ? text(panels[i], key) : choice(panels[i], key, vocab_.panels);
      if (contains(s.panels, p)) fail(panels[i], key, "panel '" + p + "' is listed twice");
      s.panels.push_back(p);
    }
  }

  if (auto it = e.find("pace"); it != e.end()) s.pace = positive(it->second.value, child(where, "pace"));

  YAML::Node start_node, end_node;
  if (auto it = e.find("start_t"); it != e.end()) {
    start_node = it->second.value;
    s.start_t = positive(start_node, child(where, "start_t"));
    if (*s.start_t >= run_end) fail(start_node, child(where, "start_t"), "must be before the run's end" + end_hint);
  }
  if (auto it = e.find("end_t"); it != e.end()) {
    end_node = it->second.value;
    s.end_t = positive(end_node, child(where, "end_t"));
    if (*s.end_t > run_end * (1 + 1e-9))
      fail(end_node, child(where, "end_t"),
           "is past the run's end" + end_hint + "; lower it, or raise steps (GD) or t_end (flow) in overrides");
    if (s.start_t && *s.start_t >= *s.end_t)
      fail(end_node, child(where, "end_t"), "must be > start_t (" + fmt(*s.start_t) + ")");
  }
  const double shown_until = s.end_t ? *s.end_t : run_end;

  if (auto it = e.find("annotations"); it != e.end()) {
    const std::string aw = child(where, "annotations");
    const YAML::Node& list = it->second.value;
    if (!list.IsSequence()) fail(list, aw, "expected a list of {t: number, text: ...}, got " + kind_of(list));
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string iw = item(aw, i);
      const YAML::Node& a = list[i];
      if (!a.IsMap()) fail(a, iw, "expected {t: number, text: ...}, got " + kind_of(a));
      const Entries ae = entries(a, iw, kAnnotationKeys);
      Annotation ann;
      for (const auto& k : kAnnotationKeys)
        if (!ae.count(k)) fail(a, child(iw, k), "missing: an annotation needs t and text");
      ann.t = positive(ae.at("t").value, child(iw, "t"));
      if (ann.t > shown_until * (1 + 1e-9))
        fail(ae.at("t").value, child(iw, "t"),
             "is never shown: " + (s.end_t ? "the replay stops at end_t = " + fmt(shown_until) : end_hint.substr(2)));
      ann.text = text(ae.at("text").value, child(iw, "text"));
      if (ann.text.empty()) fail(ae.at("text").value, child(iw, "text"), "must not be empty");
      s.annotations.push_back(std::move(ann));
    }
    std::stable_sort(s.annotations.begin(), s.annotations.end(),
                     [](const Annotation& a, const Annotation& b) { return a.t < b.t; });
  }

  if (auto it = e.find("parameter"); it != e.end()) {
    const std::string pw = child(where, "parameter");
    const YAML::Node& pn = it->second.value;
    if (!pn.IsMap()) fail(pn, pw, "expected a mapping, got " + kind_of(pn) + allowed(kParameterKeys));
    const Entries pe = entries(pn, pw, kParameterKeys);
    if (!pe.count("key")) fail(pn, child(pw, "key"), "missing: which config key ↑/↓ change (e.g. kappa)");
    Parameter p;
    const YAML::Node& key_node = pe.at("key").value;
    p.key = text(key_node, child(pw, "key"));
    p.label = p.key;
    if (auto f = pe.find("label"); f != pe.end()) p.label = text(f->second.value, child(pw, "label"));
    if (auto f = pe.find("min"); f != pe.end()) p.min = number(f->second.value, child(pw, "min"));
    if (auto f = pe.find("max"); f != pe.end()) p.max = number(f->second.value, child(pw, "max"));
    if (auto f = pe.find("step"); f != pe.end()) p.step = positive(f->second.value, child(pw, "step"));
    // The key must be a numeric field of the config, and both ends of the range must be valid configs.
    const json full = config_to_json(cfg);
    std::vector<std::string> numeric;
    for (const auto& [k, v] : full.items())
      if (v.is_number() && k != "version") numeric.push_back(k);  // version: the file format's, not a knob
    if (!contains(numeric, p.key))
      fail(key_node, child(pw, "key"),
           "'" + p.key + "' is not a numeric config key" + allowed(numeric) + did_you_mean(p.key, numeric));
    if (!(p.min < p.max)) {
      const YAML::Node at = pe.count("max") ? pe.at("max").value : pn;
      fail(at, child(pw, "max"), "must be > min (min " + fmt(p.min) + ", max " + fmt(p.max) + ")");
    }
    const bool whole = full[p.key].is_number_integer();
    for (const char* end : {"min", "max", "step"}) {
      const double v = std::string(end) == "min" ? p.min : std::string(end) == "max" ? p.max : p.step;
      const YAML::Node at = pe.count(end) ? pe.at(end).value : pn;
      if (whole && v != std::floor(v)) fail(at, child(pw, end), "'" + p.key + "' is a whole number; got " + fmt(v));
      if (std::string(end) == "step") continue;
      json o = s.overrides;
      if (whole) o[p.key] = static_cast<long long>(v);
      else o[p.key] = v;
      try {
        (void)resolve_preset(s.preset, o);
      } catch (const std::exception& ex) {
        fail(at, child(pw, end), std::string("the config rejects ") + end + " = " + fmt(v) + ": " + ex.what());
      }
    }
    s.parameter = std::move(p);
  }
}

Script Reader::read(const std::string& source) {
  // libyaml first: yaml-cpp accepts some broken files (an unclosed quote swallows the scenes after it).
  if (const auto problem = strict_yaml_problem(source))
    fail(problem->line, "", "YAML syntax error: " + problem->message);
  YAML::Node root;
  try {
    root = YAML::Load(source);
  } catch (const YAML::Exception& ex) {
    fail(ex.mark.line >= 0 ? ex.mark.line + 1 : 1, "", "YAML syntax error: " + ex.msg);
  }
  Script script;
  script.path = file_;
  const std::string shape = "expected a list of scenes or a mapping {title: ..., scenes: [...]}";
  if (!root || root.IsNull()) fail(1, "", "the script is empty: " + shape);
  YAML::Node scenes = root;
  if (root.IsMap()) {
    const Entries e = entries(root, "", kTopKeys);
    if (auto it = e.find("title"); it != e.end()) script.title = text(it->second.value, "title");
    auto it = e.find("scenes");
    if (it == e.end()) fail(root, "scenes", "missing: the list of scenes");
    scenes = it->second.value;
    if (!scenes.IsSequence()) fail(scenes, "scenes", "expected a list of scenes, got " + kind_of(scenes));
  } else if (!root.IsSequence()) {
    fail(root, "", shape + ", got " + kind_of(root));
  }
  if (scenes.size() == 0) fail(line_of(scenes, 1), "scenes", "no scenes: a lecture needs at least one");
  for (std::size_t i = 0; i < scenes.size(); ++i) script.scenes.push_back(scene(scenes[i], item("scenes", i)));
  return script;
}

}  // namespace

ScriptError::ScriptError(std::string file_, int line_, std::string key_, const std::string& message)
    : std::runtime_error(file_ + (line_ > 0 ? ":" + std::to_string(line_) : "") + ": " +
                         (key_.empty() ? "" : key_ + ": ") + message),
      file(std::move(file_)),
      line(line_),
      key(std::move(key_)) {}

const std::vector<std::string>& scene_keys() {
  static const std::vector<std::string> keys = {"preset",  "overrides", "method",      "title",     "subtitle",
                                                "panels",  "pace",      "start_t",     "end_t",     "annotations",
                                                "parameter", "workspace", "train"};
  return keys;
}

Script parse_script(const std::string& text, const std::string& source_name, const Vocabulary& vocab) {
  return Reader(source_name, vocab).read(text);
}

Script read_script(const std::string& path, const Vocabulary& vocab) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw ScriptError(path, 0, "", "cannot read: is a folder, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScriptError(path, 0, "", std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw ScriptError(path, 0, "", std::string("cannot read: ") + std::strerror(errno));
  return parse_script(ss.str(), path, vocab);
}

}  // namespace polarlab::lecture
