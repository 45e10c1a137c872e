// Reading, writing and validating the experiment description (its types: core/config/experiment_config.hpp).
// Parsing validates every field and throws ConfigError naming the field and the allowed values.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/config/experiment_config.hpp"

namespace polarlab {

// Parse and validate; unknown keys are errors so that typos do not silently run a default.
ExperimentConfig config_from_json(const nlohmann::json& j);
nlohmann::json config_to_json(const ExperimentConfig& cfg);
void validate(const ExperimentConfig& cfg);

// A matrix as a list of rows, a vector as a list (the layout of config.json and initial_state.json).
nlohmann::json matrix_to_json(const Mat& m);
nlohmann::json vector_to_json(const Vec& v);

// Reads a JSON file; a missing file or malformed JSON is a ConfigError naming the file.
nlohmann::json read_json_file(const std::string& path);

}  // namespace polarlab
