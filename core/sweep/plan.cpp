#include "core/sweep/plan.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/io/atomic_file.hpp"
#include "core/sweep/run_status.hpp"
#include "core/types.hpp"

namespace polarlab::sweep {
namespace fs = std::filesystem;

const PlannedRun* Plan::find(const std::string& id) const {
  for (const PlannedRun& r : runs)
    if (r.id == id) return &r;
  return nullptr;
}

Plan write_plan(const std::string& spec_path, const std::string& dir) {
  std::ifstream in(spec_path);
  if (!in) throw ConfigError("spec", "cannot read '" + spec_path + "' (does the file exist?)");
  std::stringstream text;
  text << in.rdbuf();
  const SweepSpec spec = parse_spec(text.str(), spec_path);
  Plan plan;
  // A folder planned before keeps its id scheme (and so its finished runs); a new folder gets the current one.
  plan.id_scheme = kIdScheme;
  if (std::ifstream old(fs::path(dir) / "plan.json"); old) {
    const nlohmann::json j = nlohmann::json::parse(old, nullptr, /*allow_exceptions=*/false);
    if (j.is_object() && j.value("format", "") == "polarlab-sweep-plan/1") {  // else: not a plan, replaced
      const nlohmann::json scheme = j.value("id_scheme", nlohmann::json(1));
      if (scheme != 1 && scheme != 2)
        throw ConfigError("--out", "'" + dir + "' holds a plan with id_scheme " + scheme.dump() +
                                       ", unknown to this polarlab-cli: plan into another folder");
      plan.id_scheme = scheme.get<int>();
    }
  }
  plan.runs = expand(spec, plan.id_scheme);
  validate_runs(plan.runs, spec_path);  // before anything is written
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "runs", ec);
  if (ec) throw ConfigError("--out", "cannot create '" + dir + "': " + ec.message());
  plan.dir = fs::absolute(dir).lexically_normal().string();
  if (!plan.dir.empty() && plan.dir.back() == '/') plan.dir.pop_back();
  plan.name = spec.name.empty() ? fs::path(spec_path).stem().string() : spec.name;
  plan.parameters = spec.parameters;

  nlohmann::json j;
  j["format"] = "polarlab-sweep-plan/1";
  j["name"] = plan.name;
  j["spec"] = fs::absolute(spec_path).lexically_normal().string();
  j["created"] = utc_now();
  j["id_scheme"] = plan.id_scheme;
  j["id_rule"] = plan.id_scheme == 1
                     ? "scheme 1: first 12 hex digits of FNV-1a-64 with offset basis 1469598103934665603 (not the "
                       "standard one) over the canonical parameter set 'name=value;...' sorted by name"
                     : "scheme 2: first 12 hex digits of FNV-1a-64 (offset basis 14695981039346656037, prime "
                       "1099511628211) over the bytes of 'name=value' for every parameter, sorted by name, joined "
                       "by ';' (no spaces, no trailing ';')";
  nlohmann::json params = nlohmann::json::array();
  for (const auto& p : spec.parameters) params.push_back({{"name", p.name}, {"spec_name", p.spec_name}, {"values", p.values}});
  j["parameters"] = params;
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : plan.runs) runs.push_back({{"index", r.index}, {"id", r.id}, {"params", r.params}});
  j["runs"] = std::move(runs);
  write_file_atomically(plan.dir + "/spec.yaml", [&](std::ostream& os) { os << text.str(); });
  write_file_atomically(plan.dir + "/runs.tsv", [&](std::ostream& os) {
    os << "index\tid";
    for (const auto& p : spec.parameters) os << '\t' << p.name;
    os << '\n';
    for (const auto& r : plan.runs) {
      os << r.index << '\t' << r.id;
      for (const auto& p : spec.parameters) os << '\t' << format_value(r.params.at(p.name));
      os << '\n';
    }
  });
  // plan.json last: its presence means the folder is a complete plan.
  write_file_atomically(plan.dir + "/plan.json", [&](std::ostream& os) { os << j.dump(1) << '\n'; });
  return plan;
}

Plan read_plan(const std::string& dir) {
  const std::string path = dir + "/plan.json";
  std::ifstream in(path);
  if (!in) throw ConfigError("SWEEPDIR", "no plan in '" + dir + "' (create one with: polarlab-cli sweep plan SPEC --out " + dir + ")");
  Plan plan;
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.value("format", "") != "polarlab-sweep-plan/1") throw ConfigError(path, "not a polarlab sweep plan");
    plan.dir = fs::absolute(dir).lexically_normal().string();
    if (!plan.dir.empty() && plan.dir.back() == '/') plan.dir.pop_back();
    plan.name = j.value("name", "");
    plan.id_scheme = j.value("id_scheme", 1);  // plans written before the key used scheme 1
    if (plan.id_scheme != 1 && plan.id_scheme != 2)
      throw ConfigError(path, "id_scheme " + std::to_string(plan.id_scheme) +
                                  " is not known to this polarlab-cli (1 or 2): a newer program wrote this plan");
    for (const auto& p : j.at("parameters")) {
      SweepParameter sp;
      sp.name = p.at("name").get<std::string>();
      sp.spec_name = p.value("spec_name", sp.name);
      for (const auto& v : p.at("values")) sp.values.push_back(v);
      plan.parameters.push_back(std::move(sp));
    }
    for (const auto& r : j.at("runs")) {
      PlannedRun pr;
      pr.index = r.at("index").get<int>();
      pr.id = r.at("id").get<std::string>();
      for (const auto& [k, v] : r.at("params").items()) pr.params[k] = v;
      plan.runs.push_back(std::move(pr));
    }
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError(path, std::string("malformed plan: ") + e.what());
  }
  return plan;
}

}  // namespace polarlab::sweep
