#include "core/experiment/fields.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <variant>

#include "core/experiment/presets.hpp"
#include "core/util/checked_values.hpp"

namespace polarlab {

using nlohmann::json;

namespace {



std::vector<ExperimentField> make_fields() {
  const Applies all{};
  const Applies gd{{}, Method::gd, {}};
  const Applies flow{{}, Method::flow, {}};
  const Applies regression{{ModelKind::regression}, {}, {}};
  std::vector<ExperimentField> f;
  using C = ExperimentConfig;
  auto add = [&](ExperimentField x, FieldMember m = {}) {
    x.member = m;
    f.push_back(std::move(x));
  };
  add({"kappa", "kappa", FieldType::real, 1.0, 1e12, false, "",
       "Condition number of the design X (>= 1); fig3's sweep member", regression, {}}, &C::kappa);
  add({"dim", "D", FieldType::integer, 1, 4096, false, "",
       "Dimension D (tied: D; sink: T; otherwise d = p = D); fig11's sweep member", all, {}});
  add({"loss", "loss", FieldType::choice, 0, 0, false, "", "Loss", all, loss_names()});
  add({"map", "map", FieldType::choice, 0, 0, false, "", "Map from logits a to scores s", all, map_names()});
  add({"method", "method", FieldType::choice, 0, 0, false, "",
       "gd (gradient descent) or flow (adaptive Dormand-Prince)", all, {"gd", "flow"}});
  add({"steps", "steps", FieldType::integer, 0, 1e12, false, "GD steps", "GD steps (method gd)", gd, {}}, &C::steps);
  // η ≤ 10⁶ and steps ≤ 10¹² keep every recorded t = step · η finite.
  add({"lr", "lr", FieldType::real, 0, 1e6, true, "time per step", "GD learning rate eta (method gd; t = step * eta)",
       gd, {}}, &C::lr);
  add({"t_end", "t_end", FieldType::real, 0, 1e15, true, "time", "Flow end time t (method flow)", flow, {}}, &C::t_end);
  add({"rtol", "rtol", FieldType::real, 1e-14, 1, false, "",
       "Flow relative tolerance of the Dormand-Prince step control (method flow)", flow, {}}, &C::rtol);
  add({"atol", "atol", FieldType::real, 0, 1, true, "", "Flow absolute tolerance (method flow)", flow, {}}, &C::atol);
  add({"records", "records", FieldType::integer, 2, 1e6, false, "",
       "Number of records on the log-spaced grid (step 0, every power of ten and the last step always included)",
       all, {}}, &C::records);
  add({"seed", "seed", FieldType::integer, 0, 4294967295.0, false, "",
       "Seed of numpy's legacy generator (MT19937): the preset's initial state, bit for bit", all, {}}, &C::seed);
  // Set through config files and the GUI, not flags.
  add({"d", "d", FieldType::integer, 1, 4096, false, "", "Output dimension (tied: D; sink: value dim)", all, {}, false}, &C::d);
  add({"p", "p", FieldType::integer, 1, 4096, false, "", "Attention coordinates (tied: D; sink: T)", all, {}, false}, &C::p);
  add({"n", "n", FieldType::integer, 0, 4096, false, "", "Rows of X (0: n = d)", regression, {}, false}, &C::n);
  add({"loss_scale", "loss_scale", FieldType::real, 0, 1e12, true, "", "Square loss c (the paper's 1/2)",
       {{}, {}, LossKind::square}, {}, false}, &C::loss_scale);
  add({"ce_eps", "ce_eps", FieldType::real, 0, 1, false, "", "Cross-entropy log(q + eps)",
       {{}, {}, LossKind::cross_entropy}, {}, false}, &C::ce_eps);
  add({"p_star_scale", "p_star_scale", FieldType::real, -1e6, 1e6, false, "",
       "Cross-entropy target p* = softmax(scale * rand)", {{}, {}, LossKind::cross_entropy}, {}, false}, &C::p_star_scale);
  return f;
}

bool listed(const std::vector<ModelKind>& v, ModelKind m) {
  for (ModelKind x : v)
    if (x == m) return true;
  return v.empty();
}

// One spelling of every numeric refusal (core/util/checked_values.hpp, shared with train's flags and the benches).
// The range is checked on the number itself; the text only names it in the message.
json checked_number(const ExperimentField& f, double v, const std::string& where) {
  const bool integral = std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 9.2e18;
  const std::string text = integral ? std::to_string(static_cast<long long>(v)) : checked::number_text(v);
  bool ok = std::isfinite(v) && (f.min_open ? v > f.min : v >= f.min) && v <= f.max;
  if (f.type == FieldType::integer) ok = ok && integral;
  if (!ok) {
    std::string why = f.type == FieldType::integer
                          ? checked::integer_refusal(text, static_cast<long long>(f.min), static_cast<long long>(f.max))
                          : checked::real_refusal(text, f.min, f.max, f.min_open);
    if (why.empty()) why = text + " is out of range; give a number in " + range_text(f);  // lost in printing
    throw ConfigError(where, why);
  }
  if (f.type == FieldType::integer) return static_cast<long long>(v);
  return v;
}

}  // namespace

const std::vector<ExperimentField>& experiment_fields() {
  static const std::vector<ExperimentField> fields = make_fields();
  return fields;
}

const ExperimentField* experiment_field(const std::string& name) {
  for (const auto& f : experiment_fields())
    if (f.name == name) return &f;
  for (const auto& f : experiment_fields())
    if (f.key == name) return &f;
  return nullptr;
}

std::string flag_of(const ExperimentField& f) {
  std::string s = "--" + f.name;
  for (char& c : s)
    if (c == '_') c = '-';
  return s;
}

std::string range_text(const ExperimentField& f) {
  if (f.type == FieldType::choice) {
    std::string s;
    for (const auto& c : f.choices) s += (s.empty() ? "" : ", ") + c;
    return s;
  }
  return checked::range_text(f.min, f.max, f.min_open);
}

json parse_field_text(const ExperimentField& f, const std::string& text, const std::string& where) {
  const std::string shown = "'" + text + "'";
  if (f.type == FieldType::choice) {
    for (const auto& c : f.choices)
      if (c == text) return text;
    throw ConfigError(where, "unknown " + f.name + " " + shown + "; allowed: " + range_text(f));
  }
  if (f.type == FieldType::integer) {
    const std::string why = checked::integer_refusal(text, static_cast<long long>(f.min), static_cast<long long>(f.max));
    if (!why.empty()) throw ConfigError(where, why);
    return *checked::parse_integer(text);
  }
  // Reals: the whole text must be a finite number; "nan", "inf" and overflow (1e400) are refused.
  const std::string why = checked::real_refusal(text, f.min, f.max, f.min_open);
  if (!why.empty()) throw ConfigError(where, why);
  return *checked::parse_real(text);
}

json check_field_value(const ExperimentField& f, const json& value, const std::string& where) {
  if (f.type == FieldType::choice) {
    if (!value.is_string())
      throw ConfigError(where, "'" + value.dump(-1, ' ', false, json::error_handler_t::replace) + "' is not one of " +
                                   range_text(f));
    return parse_field_text(f, value.get<std::string>(), where);
  }
  if (!value.is_number())
    throw ConfigError(where, "'" + value.dump(-1, ' ', false, json::error_handler_t::replace) + "' is not " +
                                 (f.type == FieldType::integer ? "an integer; give an integer in "
                                                               : "a finite number; give a finite number in ") +
                                 range_text(f));
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > 9007199254740992ULL)  // beyond exact doubles
    throw ConfigError(where, value.dump() + " is out of range; give an integer in " + range_text(f));
  return checked_number(f, value.get<double>(), where);
}

std::string why_not_applicable(const ExperimentField& f, const ExperimentConfig& cfg) {
  const Applies& a = f.applies;
  if (!listed(a.models, cfg.model)) {
    std::string models, presets;
    for (ModelKind m : a.models) models += (models.empty() ? "" : ", ") + model_name(m);
    try {
      for (const auto& name : preset_names()) {
        const json p = load_preset_json(name);
        const std::string m = p.value("config", json::object()).value("model", "value_softmax");
        for (ModelKind k : a.models)
          if (model_name(k) == m) presets += (presets.empty() ? "" : ", ") + name;
      }
    } catch (const std::exception&) {  // no presets folder: the model names say enough
    }
    return "applies to model " + models + (presets.empty() ? "" : " (presets: " + presets + ")") + "; " +
           "this run's model is " + model_name(cfg.model);
  }
  if (a.method && *a.method != cfg.method) {
    const std::string m = *a.method == Method::gd ? "gd" : "flow";
    return "applies to method " + m + "; this run uses method " + (cfg.method == Method::gd ? "gd" : "flow") +
           " (add --method " + m + ")";
  }
  if (a.loss && *a.loss != cfg.loss)
    return "applies to loss " + loss_name(*a.loss) + "; this run's loss is " + loss_name(cfg.loss);
  return {};
}

json field_value(const ExperimentField& f, const ExperimentConfig& cfg) {
  if (f.name == "dim") return cfg.model == ModelKind::sink ? cfg.p : cfg.d;
  if (f.key == "loss") return loss_name(cfg.loss);
  if (f.key == "map") return map_name(cfg.map);
  if (f.key == "method") return cfg.method == Method::gd ? "gd" : "flow";
  return std::visit(
      [&](auto m) -> json {
        if constexpr (std::is_same_v<decltype(m), std::monostate>) return json();  // the range test catches it
        else return cfg.*m;
      },
      f.member);
}

void set_field_value(const ExperimentField& f, ExperimentConfig& cfg, const json& v) {
  if (f.name == "dim") {
    const Index n = v.get<Index>();
    if (cfg.model == ModelKind::sink) cfg.p = n;
    else cfg.d = cfg.p = n;
    return;
  }
  if (f.key == "loss") cfg.loss = *parse_loss(v.get<std::string>());
  else if (f.key == "map") cfg.map = *parse_map(v.get<std::string>());
  else if (f.key == "method") cfg.method = v.get<std::string>() == "gd" ? Method::gd : Method::flow;
  else
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>)
            cfg.*m = v.get<std::remove_reference_t<decltype(cfg.*m)>>();
        },
        f.member);
}

void ExperimentOverrides::set_text(const std::string& name, const std::string& text, const std::string& where) {
  const ExperimentField* f = experiment_field(name);
  if (!f) throw ConfigError(where, "unknown parameter '" + name + "'");
  values.emplace_back(f, parse_field_text(*f, text, where));
}

void ExperimentOverrides::set_json(const std::string& name, const json& value, const std::string& where) {
  const ExperimentField* f = experiment_field(name);
  if (!f) {
    std::string known;
    for (const auto& x : experiment_fields())
      if (x.flag) known += (known.empty() ? "" : ", ") + x.name;
    throw ConfigError(where, "unknown parameter '" + name + "' (allowed: " + known + ")");
  }
  values.emplace_back(f, check_field_value(*f, value, where));
}

bool ExperimentOverrides::has(const std::string& name) const {
  for (const auto& [f, v] : values)
    if (f->name == name) return true;
  return false;
}

json ExperimentOverrides::to_json(ModelKind model) const {
  json j = json::object();
  for (const auto& [f, v] : values) {
    if (f->name == "dim") j[model == ModelKind::sink ? "T" : "D"] = v;
    else j[f->key] = v;
  }
  return j;
}

void check_overrides_apply(const ExperimentOverrides& o, const ExperimentConfig& cfg, const std::string& origin,
                           const std::string& prefix) {
  for (const auto& [f, v] : o.values) {
    std::string why = why_not_applicable(*f, cfg);
    if (why.empty()) continue;
    const std::string name = prefix == "--" ? flag_of(*f) : prefix + f->name;
    // "this run" names the preset when there is one.
    const std::string subject = "this run";
    if (!origin.empty() && why.find(subject) != std::string::npos)
      why.replace(why.find(subject), subject.size(), origin);
    // The hint in the caller's spelling: a keyword (method='gd') rather than a flag.
    if (const auto at = why.find("(add --method "); prefix != "--" && at != std::string::npos)
      why.replace(at, why.size() - at, "(add method='" + why.substr(at + 14, why.size() - at - 15) + "')");
    throw ConfigError(name, why);
  }
}

namespace {
ModelKind model_of(const json& cfg) {
  const auto m = parse_model(cfg.value("model", "value_softmax"));
  return m ? *m : ModelKind::value_softmax;
}
}  // namespace

ExperimentConfig resolve_experiment(const std::string& preset, const ExperimentOverrides& o,
                                    const std::string& prefix) {
  const json p = load_preset_json(preset);
  const ExperimentConfig cfg = resolve_preset(preset, o.to_json(model_of(p.value("config", json::object()))));
  check_overrides_apply(o, cfg, "preset " + preset, prefix);
  return cfg;
}

ExperimentConfig resolve_experiment_config(json cfg, const ExperimentOverrides& o, const std::string& origin,
                                           const std::string& prefix) {
  if (!cfg.is_object()) throw ConfigError("config", "'" + origin + "' must hold a JSON object");
  const ModelKind model = model_of(cfg);
  const json given = o.to_json(model);  // named: items() of a temporary would dangle
  for (const auto& [k, v] : given.items()) {
    if (k == "D" && model != ModelKind::tied) {
      cfg["d"] = v;
      cfg["p"] = v;
    } else {
      cfg[k] = v;
    }
  }
  const ExperimentConfig c = config_from_json(cfg);
  check_overrides_apply(o, c, "config " + origin, prefix);
  return c;
}

void check_field_ranges(const ExperimentConfig& cfg) {
  for (const auto& f : experiment_fields()) {
    if (f.type == FieldType::choice) continue;
    if (f.name == "dim") continue;  // d and p are checked themselves
    const json v = field_value(f, cfg);
    if (!v.is_number()) throw ConfigError(f.key, "has no value (a field without a getter in fields.cpp)");
    const double x = v.get<double>();
    checked_number(f, x, f.key);
  }
}

}  // namespace polarlab
