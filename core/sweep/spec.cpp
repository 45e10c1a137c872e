#include "core/sweep/spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <variant>
#include <set>
#include <sstream>

#include "core/types.hpp"
#include "core/util/yaml_check.hpp"

namespace polarlab::sweep {

const std::vector<std::string>& attention_types() { return transformer::attention_names(); }

const std::vector<ParamDef>& parameter_defs() {
  static const std::vector<ParamDef> defs = [] {
    std::vector<ParamDef> d;
    for (const transformer::ConfigField& f : transformer::config_fields()) {
      if (f.sweep.empty()) continue;
      ParamKind kind = ParamKind::text;
      switch (f.type) {
        case transformer::FieldType::integer: kind = ParamKind::integer; break;
        case transformer::FieldType::real: kind = ParamKind::real; break;
        case transformer::FieldType::boolean: kind = ParamKind::boolean; break;
        case transformer::FieldType::text: kind = ParamKind::text; break;
        case transformer::FieldType::integers: continue;  // lists are not grid values
      }
      d.push_back({f.sweep, kind, f.sweep_aliases, f.choices, f.help, &f});
    }
    return d;
  }();
  return defs;
}

namespace {

// Names whose value is the negation of a canonical boolean (sorted, as the error message lists them).
const std::map<std::string, std::string>& negated_names() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> n;
    for (const ParamDef& d : parameter_defs())
      for (const std::string& neg : d.field->sweep_negations) n[neg] = d.name;
    return n;
  }();
  return m;
}

std::string normalize(std::string s) {
  for (char& c : s)
    if (c == '-') c = '_';
  return s;
}

std::string known_names() {
  std::string s;
  for (const ParamDef& d : parameter_defs()) {
    s += "\n  " + d.name;
    for (const std::string& a : d.aliases) s += ", " + a;
  }
  for (const auto& [neg, pos] : negated_names()) s += "\n  " + neg + " (= not " + pos + ")";
  return s;
}

}  // namespace

const ParamDef& parameter_def(const std::string& raw) {
  const std::string name = normalize(raw);
  for (const ParamDef& d : parameter_defs()) {
    if (d.name == name) return d;
    for (const std::string& a : d.aliases)
      if (a == name) return d;
  }
  throw ConfigError("parameters", "unknown parameter '" + raw + "'; known names (canonical first, then aliases):" +
                                      known_names());
}

std::string format_value(const nlohmann::json& v) {
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<long long>());
  if (v.is_number()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v.get<double>());
    return std::string(buf, r.ptr);
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

namespace {

nlohmann::json parse_value(const ParamDef& d, const YAML::Node& node, bool negate, const std::string& where) {
  if (!node.IsScalar())
    throw ConfigError(where, "expected a single value (a number, a word or true/false), got a list or a map");
  const std::string text = node.Scalar();
  auto bad = [&](const std::string& want) {
    return ConfigError(where, "'" + text + "' is not " + want);
  };
  switch (d.kind) {
    case ParamKind::integer: {
      long long v = 0;
      const char* end = text.data() + text.size();
      auto r = std::from_chars(text.data(), end, v);
      if (r.ec != std::errc() || r.ptr != end) {
        // 1e3 or 2.0 written for an integer: accept when exact.
        double x = 0;
        auto rr = std::from_chars(text.data(), end, x);
        if (rr.ec != std::errc() || rr.ptr != end || x != static_cast<double>(static_cast<long long>(x)))
          throw bad("an integer");
        v = static_cast<long long>(x);
      }
      if (v < 0 || (d.field->sweep_positive && v < 1))
        throw ConfigError(where, "'" + text + "' must be positive");
      return v;
    }
    case ParamKind::real: {
      double x = 0;
      const char* end = text.data() + text.size();
      auto r = std::from_chars(text.data(), end, x);
      if (r.ec != std::errc() || r.ptr != end || !std::isfinite(x)) throw bad("a number");
      return x;
    }
    case ParamKind::boolean: {
      bool b = false;
      if (!YAML::convert<bool>::decode(node, b)) {
        if (text == "0") b = false;
        else if (text == "1") b = true;
        else throw bad("true or false");
      }
      return negate ? !b : b;
    }
    case ParamKind::text: {
      const std::string s = transformer::canonical_text(*d.field, text);  // "none" → "no"
      if (!d.choices.empty() && std::find(d.choices.begin(), d.choices.end(), s) == d.choices.end()) {
        std::string allowed;
        for (const auto& c : d.choices) allowed += (allowed.empty() ? "" : ", ") + c;
        throw ConfigError(where, "'" + text + "' is not one of: " + allowed);
      }
      return s;
    }
  }
  return nullptr;
}

}  // namespace

long long SweepSpec::size() const {
  long long n = 1;
  for (const auto& p : parameters) n *= static_cast<long long>(p.values.size());
  return n;
}

SweepSpec parse_spec(const std::string& yaml_text, const std::string& source) {
  // libyaml first: yaml-cpp accepts some broken files (an unclosed quote swallows the lines after it).
  // Syntax errors name FILE:LINE.
  if (const auto problem = strict_yaml_problem(yaml_text))
    throw ConfigError(source + ":" + std::to_string(problem->line), "not valid YAML: " + problem->message);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(source + ":" + std::to_string(e.mark.line >= 0 ? e.mark.line + 1 : 1),
                      "not valid YAML (line " + std::to_string(e.mark.line + 1) + ", column " +
                          std::to_string(e.mark.column + 1) + "): " + e.msg);
  }
  if (!root.IsMap()) throw ConfigError(source, "expected a map with 'method: grid' and 'parameters:'");
  static const std::set<std::string> allowed = {"method", "parameters", "name", "description", "program", "metric",
                                                "project", "entity", "command", "early_terminate", "run_cap"};
  SweepSpec spec;
  for (const auto& kv : root) {
    const std::string key = kv.first.as<std::string>();
    if (!allowed.count(key))
      throw ConfigError(source, "unknown top-level key '" + key +
                                    "' (allowed: method, parameters, name, description, program, metric, project, "
                                    "entity, command, early_terminate, run_cap)");
  }
  if (root["name"] && root["name"].IsScalar()) spec.name = root["name"].Scalar();
  if (!root["method"]) throw ConfigError(source, "missing 'method: grid'");
  spec.method = root["method"].IsScalar() ? root["method"].Scalar() : "";
  if (spec.method != "grid")
    throw ConfigError(source, "method '" + spec.method + "' is not supported: only 'method: grid' (every combination)");
  const YAML::Node params = root["parameters"];
  if (!params || !params.IsMap() || params.size() == 0)
    throw ConfigError(source, "'parameters:' must be a non-empty map of NAME: {values: [...]} or NAME: {value: x}");
  std::set<std::string> seen;
  for (const auto& kv : params) {
    const std::string spec_name = kv.first.as<std::string>();
    const std::string where = source + ": parameters." + spec_name;
    bool negate = false;
    const ParamDef* def = nullptr;
    if (auto it = negated_names().find(normalize(spec_name)); it != negated_names().end()) {
      def = &parameter_def(it->second);
      negate = true;
    } else {
      try {
        def = &parameter_def(spec_name);
      } catch (const ConfigError& e) {
        throw ConfigError(source, e.what());
      }
    }
    if (!seen.insert(def->name).second)
      throw ConfigError(where, "sets '" + def->name + "' a second time (another name of the same parameter?)");
    const YAML::Node entry = kv.second;
    if (!entry.IsMap())
      throw ConfigError(where, "expected {values: [...]} or {value: x}");
    SweepParameter p;
    p.name = def->name;
    p.spec_name = spec_name;
    for (const auto& e : entry) {
      const std::string k = e.first.as<std::string>();
      if (k == "values") {
        if (!e.second.IsSequence() || e.second.size() == 0)
          throw ConfigError(where, "'values' must be a non-empty list");
        for (const auto& v : e.second) p.values.push_back(parse_value(*def, v, negate, where));
      } else if (k == "value") {
        p.values.push_back(parse_value(*def, e.second, negate, where));
      } else if (k == "distribution" || k == "min" || k == "max" || k == "mu" || k == "sigma" || k == "q" ||
                 k == "probabilities") {
        throw ConfigError(where, "'" + k + "' belongs to random/bayes sweeps; a grid needs 'values' or 'value'");
      } else if (k == "description") {
      } else {
        throw ConfigError(where, "unknown key '" + k + "' (expected 'values' or 'value')");
      }
    }
    if (p.values.empty()) throw ConfigError(where, "needs 'values: [...]' or 'value: x'");
    if (entry["values"] && entry["value"]) throw ConfigError(where, "has both 'values' and 'value'");
    std::set<std::string> distinct;
    for (const auto& v : p.values)
      if (!distinct.insert(format_value(v)).second)
        throw ConfigError(where, "lists the value '" + format_value(v) + "' twice");
    spec.parameters.push_back(std::move(p));
  }
  return spec;
}

SweepSpec load_spec(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("spec", "cannot read '" + path + "' (does the file exist?)");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_spec(ss.str(), path);
}

std::string canonical_string(const Params& p) {
  std::string s;
  for (const auto& [k, v] : p) {  // std::map: sorted by name
    if (!s.empty()) s += ';';
    s += k + '=' + format_value(v);
  }
  return s;
}

std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64 offset basis (0xcbf29ce484222325)
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;  // FNV 64 prime (0x100000001b3)
  }
  return h;
}

std::string run_id(const Params& p, int id_scheme) {
  const std::string text = canonical_string(p);
  std::uint64_t h = 0;
  if (id_scheme == 2) {
    h = fnv1a_64(text);
  } else if (id_scheme == 1) {
    // Plans written before "id_scheme": the offset basis was a digit short (1469598103934665603).
    h = 1469598103934665603ull;
    for (unsigned char c : text) {
      h ^= c;
      h *= 1099511628211ull;
    }
  } else {
    throw std::invalid_argument("unknown run id scheme " + std::to_string(id_scheme) + " (known: 1, 2)");
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return std::string(buf, 12);
}

std::vector<PlannedRun> expand(const SweepSpec& spec, int id_scheme) {
  std::vector<PlannedRun> runs;
  const long long n = spec.size();
  runs.reserve(static_cast<std::size_t>(n));
  std::map<std::string, int> ids;
  std::vector<std::size_t> pos(spec.parameters.size(), 0);
  for (long long k = 0; k < n; ++k) {
    PlannedRun r;
    r.index = static_cast<int>(k);
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) r.params[spec.parameters[i].name] = spec.parameters[i].values[pos[i]];
    r.id = run_id(r.params, id_scheme);
    if (auto [it, fresh] = ids.emplace(r.id, r.index); !fresh)
      throw ConfigError("spec", "runs " + std::to_string(it->second) + " and " + std::to_string(r.index) +
                                    " have the same id " + r.id + " (" + canonical_string(r.params) + ")");
    runs.push_back(std::move(r));
    for (std::size_t i = spec.parameters.size(); i-- > 0;) {  // odometer, last parameter fastest
      if (++pos[i] < spec.parameters[i].values.size()) break;
      pos[i] = 0;
    }
  }
  return runs;
}

namespace {
// train_config_of without the validation.
transformer::TrainConfig built_config(const Params& p) {
  // As `polarlab-cli train` builds its config from the flags train_arguments() gives.
  std::vector<std::pair<const transformer::ConfigField*, nlohmann::json>> values;
  for (const ParamDef& d : parameter_defs())
    if (auto it = p.find(d.name); it != p.end()) values.emplace_back(d.field, it->second);
  return transformer::train_config_from_values(values);
}
}  // namespace

transformer::TrainConfig train_config_of(const Params& p) {
  transformer::TrainConfig c = built_config(p);
  transformer::validate(c);
  return c;
}

void validate_runs(const std::vector<PlannedRun>& runs, const std::string& source) {
  struct Problem {
    std::string field, value, reason, example;
    int count = 0;
  };
  std::vector<Problem> problems;  // in order of first appearance
  int bad = 0;
  for (const PlannedRun& r : runs) {
    try {
      (void)train_config_of(r.params);
    } catch (const ConfigError& e) {
      ++bad;
      std::string reason = e.what();
      if (!e.field.empty() && reason.rfind(e.field + ": ", 0) == 0) reason = reason.substr(e.field.size() + 2);
      // The offending value: the run's own when the field is swept, else the value train would use.
      // (validate() names config.json keys: "use_mlp" is the parameter "mlp".)
      const transformer::ConfigField* f = transformer::field_by_key(e.field);
      const std::string name = f && !f->sweep.empty() ? f->sweep : e.field;
      std::string value;
      if (auto it = r.params.find(name); it != r.params.end()) {
        value = format_value(it->second);
      } else if (f) {
        try {
          value = format_value(field_value(*f, built_config(r.params))) + " (train's default; not in the spec)";
        } catch (const ConfigError&) {
        }
      }
      auto same = [&](const Problem& q) { return q.field == e.field && q.value == value && q.reason == reason; };
      auto it = std::find_if(problems.begin(), problems.end(), same);
      if (it == problems.end()) {
        problems.push_back({e.field, value, reason, canonical_string(r.params), 0});
        it = problems.end() - 1;
      }
      ++it->count;
    }
  }
  if (!bad) return;
  std::string msg = std::to_string(bad) + " of " + std::to_string(runs.size()) +
                    " planned runs cannot run (polarlab-cli train would refuse them); no plan written:";
  const std::size_t shown = std::min<std::size_t>(problems.size(), 20);
  for (std::size_t i = 0; i < shown; ++i) {
    const Problem& q = problems[i];
    msg += "\n  " + q.field + (q.value.empty() ? "" : " = " + q.value) + ": " + q.reason + " (" +
           std::to_string(q.count) + (q.count == 1 ? " run" : " runs") + ", e.g. " + q.example + ")";
  }
  if (problems.size() > shown) msg += "\n  ... and " + std::to_string(problems.size() - shown) + " more problems";
  if (problems.size() > 1) msg += "\n(a run with several problems is counted under the first)";
  msg += "\nremove these values from the spec (or set the field they conflict with), then plan again";
  throw ConfigError(source, msg);
}

std::vector<std::string> train_arguments(const Params& p) {
  std::vector<std::string> a;
  for (const auto& [name, v] : p) {
    const transformer::ConfigField& f = *parameter_def(name).field;
    if (f.type == transformer::FieldType::boolean) {
      const std::string& flag = v.get<bool>() ? f.flag : f.negated_flag;
      if (!flag.empty()) a.push_back(flag);
      continue;
    }
    a.push_back(f.flag);
    a.push_back(format_value(v));
  }
  return a;
}

}  // namespace polarlab::sweep
