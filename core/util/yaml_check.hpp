// Strict YAML syntax: libyaml (the reference parser, the one PyYAML uses) run over the text before yaml-cpp
// reads it. yaml-cpp is lax where libyaml is not: an unclosed double quote swallows the lines after it into one
// string and the file "parses". Readers of YAML files (lecture scripts, sweep grids) call this first and turn a
// problem into their own error type, so a file the reference parser rejects is rejected here too.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace polarlab {

struct YamlSyntaxProblem {
  int line = 1;         // 1-based: where the problem is, or where an unclosed construct opened (see message)
  int column = 1;       // 1-based
  std::string message;  // libyaml's context and problem with their positions, and what to do where known
};

// Parses `text` to the end of the stream with libyaml (events only, no tree). Also rejects an alias of an
// anchor not defined before it (PyYAML's composer does; the event parser alone does not). Duplicate keys are
// not its business: libyaml accepts them, and the readers reject them with their own message.
std::optional<YamlSyntaxProblem> strict_yaml_problem(std::string_view text);

}  // namespace polarlab
