#include "app/cli/experiment_flags.hpp"

#include <algorithm>

namespace polarlab::cli {

void add_experiment_flags(CLI::App* sub, ExperimentOverrides& o, const std::vector<std::string>& only) {
  for (const ExperimentField& f : experiment_fields()) {
    if (!f.flag) continue;
    if (!only.empty() && std::find(only.begin(), only.end(), f.name) == only.end()) continue;
    const std::string flag = flag_of(f);
    std::string help = f.doc;
    if (f.type == FieldType::choice) help += ": " + range_text(f);
    else help += "; range " + range_text(f);
    const ExperimentField* field = &f;
    auto* opt = sub->add_option_function<std::string>(
        flag, [&o, field, flag](const std::string& text) { o.set_text(field->name, text, flag); }, help);
    opt->type_name(f.type == FieldType::integer ? "INT" : f.type == FieldType::real ? "FLOAT" : "TEXT");
    opt->multi_option_policy(CLI::MultiOptionPolicy::Throw);  // a flag given twice is a contradiction
  }
}

}  // namespace polarlab::cli
