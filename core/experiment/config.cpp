#include "core/experiment/config.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "core/experiment/fields.hpp"
#include "core/util/enum_names.hpp"

namespace polarlab {

using nlohmann::json;

namespace {
constexpr EnumName<Method> kMethodNames[] = {{Method::gd, "gd"}, {Method::flow, "flow"}};
// The "draw" spellings; DrawTarget::reseed has none (it is written {"reseed": seed}).
constexpr EnumName<DrawTarget> kDrawNames[] = {{DrawTarget::V, "V"}, {DrawTarget::a, "a"},
                                               {DrawTarget::beta_star, "beta_star"}, {DrawTarget::X, "X"},
                                               {DrawTarget::y, "y"}, {DrawTarget::p_star, "p_star"}};
// The "fill" spellings; DrawFill::none writes no "fill".
constexpr EnumName<DrawFill> kFillNames[] = {{DrawFill::zero, "zero"}, {DrawFill::identity, "identity"}};
}  // namespace


namespace {

// Never throws, even on invalid UTF-8 inside a string.
std::string show(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

void reject_unknown(const json& j, const std::string& where, const std::set<std::string>& allowed) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!allowed.count(it.key())) {
      std::vector<std::string> names(allowed.begin(), allowed.end());
      throw ConfigError(where.empty() ? it.key() : where + "." + it.key(),
                        "unknown key; allowed keys are: " + join(names));
    }
  }
}

double number(const json& j, const std::string& field) {
  if (!j.is_number())
    throw ConfigError(field, "expected a number, got " + std::string(j.type_name()) + " " + show(j));
  const double v = j.get<double>();
  if (!std::isfinite(v)) throw ConfigError(field, "must be a finite number");
  return v;
}

double positive(const json& j, const std::string& field) {
  const double v = number(j, field);
  if (!(v > 0.0)) throw ConfigError(field, "must be > 0, got " + show(j));
  return v;
}

std::int64_t integer(const json& j, const std::string& field, std::int64_t lo, std::int64_t hi) {
  const double v = number(j, field);
  if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    std::ostringstream msg;
    msg << "expected an integer in [" << lo << ", " << hi << "], got " << show(j);
    throw ConfigError(field, msg.str());
  }
  return static_cast<std::int64_t>(v);
}

std::string text(const json& j, const std::string& field) {
  if (!j.is_string()) throw ConfigError(field, "expected a string, got " + show(j));
  return j.get<std::string>();
}

bool boolean(const json& j, const std::string& field) {
  if (!j.is_boolean()) throw ConfigError(field, "expected true or false, got " + show(j));
  return j.get<bool>();
}

Vec vector_of(const json& j, const std::string& field) {
  if (!j.is_array() || j.empty()) throw ConfigError(field, "expected a non-empty list of numbers");
  Vec v(static_cast<Index>(j.size()));
  for (std::size_t i = 0; i < j.size(); ++i) v(static_cast<Index>(i)) = number(j[i], field + "[" + std::to_string(i) + "]");
  return v;
}

Mat matrix_of(const json& j, const std::string& field) {
  if (!j.is_array() || j.empty() || !j[0].is_array() || j[0].empty())
    throw ConfigError(field, "expected a non-empty list of rows (lists of numbers)");
  const std::size_t cols = j[0].size();
  Mat m(static_cast<Index>(j.size()), static_cast<Index>(cols));
  for (std::size_t r = 0; r < j.size(); ++r) {
    if (!j[r].is_array() || j[r].size() != cols)
      throw ConfigError(field, "row " + std::to_string(r) + " does not have " + std::to_string(cols) + " entries");
    for (std::size_t c = 0; c < cols; ++c)
      m(static_cast<Index>(r), static_cast<Index>(c)) = number(j[r][c], field + "[" + std::to_string(r) + "][" + std::to_string(c) + "]");
  }
  return m;
}

InitDraw draw_from_json(const json& j, const std::string& field) {
  if (!j.is_object()) throw ConfigError(field, "expected an object like {\"draw\": \"V\", \"scale\": 0.1}");
  reject_unknown(j, field, {"draw", "scale", "mean", "fill", "normalize", "transpose", "skip", "reseed"});
  InitDraw d;
  if (j.contains("reseed")) {
    d.what = DrawTarget::reseed;
    d.seed = static_cast<std::uint32_t>(integer(j["reseed"], field + ".reseed", 0, 4294967295LL));
    return d;
  }
  if (!j.contains("draw")) throw ConfigError(field, "needs \"draw\" (" + joined_names(kDrawNames) + ") or \"reseed\"");
  const std::string what = text(j["draw"], field + ".draw");
  const auto target = parse_name(kDrawNames, what);
  if (!target)
    throw ConfigError(field + ".draw", "unknown draw '" + what + "'; allowed: " + joined_names(kDrawNames));
  d.what = *target;
  if (j.contains("scale")) d.scale = number(j["scale"], field + ".scale");
  if (j.contains("mean")) d.mean = number(j["mean"], field + ".mean");
  if (j.contains("fill")) {
    const auto fill = parse_name(kFillNames, text(j["fill"], field + ".fill"));
    if (!fill) throw ConfigError(field + ".fill", "allowed values: " + joined_names(kFillNames));
    d.fill = *fill;
  }
  if (j.contains("normalize")) d.normalize = boolean(j["normalize"], field + ".normalize");
  if (j.contains("transpose")) d.transpose = boolean(j["transpose"], field + ".transpose");
  if (j.contains("skip")) d.skip = boolean(j["skip"], field + ".skip");
  return d;
}

json draw_to_json(const InitDraw& d) {
  if (d.what == DrawTarget::reseed) return json{{"reseed", d.seed}};
  json j{{"draw", name_of(kDrawNames, d.what)}};
  if (d.scale != 1.0) j["scale"] = d.scale;
  if (d.mean != 0.0) j["mean"] = d.mean;
  if (d.fill != DrawFill::none) j["fill"] = name_of(kFillNames, d.fill);
  if (d.normalize) j["normalize"] = true;
  if (d.transpose) j["transpose"] = true;
  if (d.skip) j["skip"] = true;
  return j;
}

InitConfig init_from_json(const json& j) {
  if (!j.is_object()) throw ConfigError("init", "expected an object with a \"kind\"");
  reject_unknown(j, "init", {"kind", "v_scale", "a_scale", "a_mean", "order_by_u0", "recipe", "V", "a",
                             "beta_star", "X", "y", "p_star", "A"});
  InitConfig in;
  if (j.contains("kind")) {
    const std::string kind = text(j["kind"], "init.kind");
    const auto k = parse_init_kind(kind);
    if (!k) throw ConfigError("init.kind", "unknown kind '" + kind + "'; allowed: " + join(init_kind_names()));
    in.kind = *k;
  }
  if (j.contains("v_scale")) in.v_scale = number(j["v_scale"], "init.v_scale");
  if (j.contains("a_scale")) in.a_scale = number(j["a_scale"], "init.a_scale");
  if (j.contains("a_mean")) in.a_mean = number(j["a_mean"], "init.a_mean");
  if (j.contains("order_by_u0")) in.order_by_u0 = boolean(j["order_by_u0"], "init.order_by_u0");
  if (j.contains("recipe")) {
    if (!j["recipe"].is_array()) throw ConfigError("init.recipe", "expected a list of draws");
    for (std::size_t i = 0; i < j["recipe"].size(); ++i)
      in.recipe.push_back(draw_from_json(j["recipe"][i], "init.recipe[" + std::to_string(i) + "]"));
  }
  if (in.kind == InitKind::recipe && in.recipe.empty()) throw ConfigError("init.recipe", "kind 'recipe' needs a non-empty recipe");
  if (j.contains("V")) in.V = matrix_of(j["V"], "init.V");
  if (j.contains("A")) in.A = matrix_of(j["A"], "init.A");
  if (j.contains("X")) in.X = matrix_of(j["X"], "init.X");
  if (j.contains("a")) in.a = vector_of(j["a"], "init.a");
  if (j.contains("beta_star")) in.beta_star = vector_of(j["beta_star"], "init.beta_star");
  if (j.contains("y")) in.y = vector_of(j["y"], "init.y");
  if (j.contains("p_star")) in.p_star = vector_of(j["p_star"], "init.p_star");
  return in;
}

json init_to_json(const InitConfig& in) {
  json j{{"kind", init_kind_name(in.kind)}, {"v_scale", in.v_scale}, {"a_scale", in.a_scale}, {"a_mean", in.a_mean}};
  if (in.order_by_u0) j["order_by_u0"] = true;
  if (!in.recipe.empty()) {
    j["recipe"] = json::array();
    for (const auto& d : in.recipe) j["recipe"].push_back(draw_to_json(d));
  }
  if (in.V) j["V"] = matrix_to_json(*in.V);
  if (in.A) j["A"] = matrix_to_json(*in.A);
  if (in.X) j["X"] = matrix_to_json(*in.X);
  if (in.a) j["a"] = vector_to_json(*in.a);
  if (in.beta_star) j["beta_star"] = vector_to_json(*in.beta_star);
  if (in.y) j["y"] = vector_to_json(*in.y);
  if (in.p_star) j["p_star"] = vector_to_json(*in.p_star);
  return j;
}

}  // namespace

json matrix_to_json(const Mat& m) {
  json rows = json::array();
  for (Index r = 0; r < m.rows(); ++r) {
    json row = json::array();
    for (Index c = 0; c < m.cols(); ++c) row.push_back(m(r, c));
    rows.push_back(row);
  }
  return rows;
}

json vector_to_json(const Vec& v) {
  json out = json::array();
  for (Index i = 0; i < v.size(); ++i) out.push_back(v(i));
  return out;
}


ExperimentConfig config_from_json(const json& j) {
  if (!j.is_object()) throw ConfigError("", "the config must be a JSON object");
  reject_unknown(j, "", {"name", "description", "theorem", "model", "loss", "loss_scale", "ce_eps",
                         "p_star_scale", "map", "d", "p", "n", "D", "T", "kappa", "causal", "method",
                         "lr", "steps", "t_end", "rtol", "atol", "records", "seed", "init", "version"});
  ExperimentConfig c;
  if (j.contains("name")) c.name = text(j["name"], "name");
  if (j.contains("description")) c.description = text(j["description"], "description");
  if (j.contains("theorem")) c.theorem = text(j["theorem"], "theorem");
  if (j.contains("model")) {
    const auto s = text(j["model"], "model");
    auto m = parse_model(s);
    if (!m) throw ConfigError("model", "unknown model '" + s + "'; allowed: " + join(model_names()));
    c.model = *m;
  }
  if (j.contains("loss")) {
    const auto s = text(j["loss"], "loss");
    auto l = parse_loss(s);
    if (!l) throw ConfigError("loss", "unknown loss '" + s + "'; allowed: " + join(loss_names()));
    c.loss = *l;
  }
  if (j.contains("loss_scale")) c.loss_scale = positive(j["loss_scale"], "loss_scale");
  if (j.contains("ce_eps")) c.ce_eps = number(j["ce_eps"], "ce_eps");
  if (j.contains("p_star_scale")) c.p_star_scale = number(j["p_star_scale"], "p_star_scale");
  if (j.contains("map")) {
    const auto s = text(j["map"], "map");
    auto m = parse_map(s);
    if (!m) throw ConfigError("map", "unknown map '" + s + "'; allowed: " + join(map_names()));
    c.map = *m;
  }
  constexpr std::int64_t kMaxDim = 4096;
  if (j.contains("d")) c.d = integer(j["d"], "d", 1, kMaxDim);
  if (j.contains("p")) c.p = integer(j["p"], "p", 1, kMaxDim);
  if (j.contains("n")) c.n = integer(j["n"], "n", 0, kMaxDim);
  if (j.contains("D")) c.d = c.p = integer(j["D"], "D", 1, kMaxDim);
  if (j.contains("T")) c.p = integer(j["T"], "T", 1, kMaxDim);
  if (j.contains("kappa")) c.kappa = number(j["kappa"], "kappa");
  if (j.contains("causal")) c.causal = boolean(j["causal"], "causal");
  if (j.contains("method")) {
    const auto s = text(j["method"], "method");
    auto m = parse_name(kMethodNames, s);
    if (!m) throw ConfigError("method", "unknown method '" + s + "'; allowed: " + joined_names(kMethodNames));
    c.method = *m;
  }
  if (j.contains("lr")) c.lr = positive(j["lr"], "lr");
  if (j.contains("steps")) c.steps = integer(j["steps"], "steps", 0, 1'000'000'000'000LL);
  if (j.contains("t_end")) c.t_end = positive(j["t_end"], "t_end");
  if (j.contains("rtol")) c.rtol = positive(j["rtol"], "rtol");
  if (j.contains("atol")) c.atol = positive(j["atol"], "atol");
  if (j.contains("records")) c.records = static_cast<int>(integer(j["records"], "records", 2, 1'000'000));
  if (j.contains("seed")) c.seed = static_cast<std::uint32_t>(integer(j["seed"], "seed", 0, 4294967295LL));
  if (j.contains("init")) c.init = init_from_json(j["init"]);
  validate(c);
  return c;
}

void validate(const ExperimentConfig& c) {
  if (!std::isfinite(c.kappa) || c.kappa < 1.0) {
    std::ostringstream msg;
    msg << "the condition number must be a finite number >= 1 (got " << c.kappa << ")";
    throw ConfigError("kappa", msg.str());
  }
  // Every numeric field finite and in its range (the field table's), whoever set it: JSON, a flag, the GUI.
  check_field_ranges(c);
  for (const auto& [v, name] : {std::pair{c.init.v_scale, "init.v_scale"}, std::pair{c.init.a_scale, "init.a_scale"},
                                std::pair{c.init.a_mean, "init.a_mean"}})
    if (!std::isfinite(v)) throw ConfigError(name, "must be a finite number");
  if (c.model == ModelKind::tied && c.d != c.p) throw ConfigError("D", "the tied model needs d = p = D");
  if (c.model == ModelKind::regression && c.loss != LossKind::square)
    throw ConfigError("loss", "the regression model uses the square loss (got " + loss_name(c.loss) + ")");
  if (c.method == Method::gd && !(c.lr > 0.0)) throw ConfigError("lr", "must be > 0");
  if (c.method == Method::flow && !(c.t_end > 0.0)) throw ConfigError("t_end", "must be > 0");
  if (c.rtol < 1e-14) throw ConfigError("rtol", "must be >= 1e-14 (double precision)");
  if (!(c.ce_eps >= 0.0)) throw ConfigError("ce_eps", "must be >= 0");
}

json config_to_json(const ExperimentConfig& c) {
  json j;
  j["version"] = 1;
  j["name"] = c.name;
  if (!c.description.empty()) j["description"] = c.description;
  if (!c.theorem.empty()) j["theorem"] = c.theorem;
  j["model"] = model_name(c.model);
  j["loss"] = loss_name(c.loss);
  j["loss_scale"] = c.loss_scale;
  j["ce_eps"] = c.ce_eps;
  j["p_star_scale"] = c.p_star_scale;
  j["map"] = map_name(c.map);
  j["d"] = c.d;
  j["p"] = c.p;
  j["n"] = c.n;
  j["kappa"] = c.kappa;
  j["causal"] = c.causal;
  j["method"] = name_of(kMethodNames, c.method);
  j["lr"] = c.lr;
  j["steps"] = c.steps;
  j["t_end"] = c.t_end;
  j["rtol"] = c.rtol;
  j["atol"] = c.atol;
  j["records"] = c.records;
  j["seed"] = c.seed;
  j["init"] = init_to_json(c.init);
  return j;
}

json read_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("config", "cannot open file '" + path + "' (does it exist? is it readable?)");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    throw ConfigError("config", "'" + path + "' is not valid JSON: " + e.what());
  }
}

}  // namespace polarlab
