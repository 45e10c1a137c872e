// Shared numeric types and the error types every layer reports through.
#pragma once
#include <Eigen/Dense>
#include <stdexcept>
#include <string>

namespace polarlab {

using Vec = Eigen::VectorXd;
using Mat = Eigen::MatrixXd;
using Index = Eigen::Index;

// A user-facing input problem (config, flag, file): names the field and what is allowed.
struct ConfigError : std::runtime_error {
  std::string field;
  ConfigError(std::string field_, const std::string& what)
      : std::runtime_error(field_.empty() ? what : field_ + ": " + what), field(std::move(field_)) {}
};

// A numerical fault inside a run (NaN, overflow, vanishing denominator): the run stops, records stay.
struct NumericalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace polarlab
