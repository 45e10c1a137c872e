#include "core/util/yaml_check.hpp"

#include <yaml.h>

#include <cstdio>
#include <set>

namespace polarlab {

namespace {

std::string at(std::size_t line0, std::size_t column0) {
  return "line " + std::to_string(line0 + 1) + ", column " + std::to_string(column0 + 1);
}

bool has(const char* s, const char* part) { return s && std::string(s).find(part) != std::string::npos; }

// libyaml's reader reports a byte offset, not a mark: count the lines up to it.
void line_column_of(std::string_view text, std::size_t offset, std::size_t& line0, std::size_t& column0) {
  line0 = 0;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i)
    if (text[i] == '\n') ++line0, line_start = i + 1;
  column0 = offset - line_start;
}

YamlSyntaxProblem problem_of(const yaml_parser_t& p, std::string_view text) {
  YamlSyntaxProblem out;
  const std::string problem = p.problem ? p.problem : "the YAML parser failed";
  if (p.error == YAML_MEMORY_ERROR) {
    out.message = "out of memory while parsing";
    return out;
  }
  if (p.error == YAML_READER_ERROR) {
    std::size_t line0 = 0, column0 = 0;
    line_column_of(text, p.problem_offset, line0, column0);
    out.line = static_cast<int>(line0) + 1;
    out.column = static_cast<int>(column0) + 1;
    char value[16] = "";
    if (p.problem_value >= 0) std::snprintf(value, sizeof value, " 0x%02x", p.problem_value);
    out.message = problem + value + " (" + at(line0, column0) + "); save the file as UTF-8";
    return out;
  }
  const yaml_mark_t& pm = p.problem_mark;
  const yaml_mark_t& cm = p.context_mark;
  // A problem at the end of the file is something left open (a quote, a bracket): its opening is the line to fix.
  const bool at_end = pm.index >= text.size();
  const yaml_mark_t& lead = p.context && at_end ? cm : pm;
  out.line = static_cast<int>(lead.line) + 1;
  out.column = static_cast<int>(lead.column) + 1;
  if (p.context) out.message = std::string(p.context) + " (" + at(cm.line, cm.column) + "): ";
  out.message += problem + " (" + at(pm.line, pm.column) + ")";
  if (has(p.problem, "tab") || (pm.index < text.size() && text[pm.index] == '\t'))
    out.message += "; indent with spaces: YAML does not allow tabs here";
  else if (at_end && has(p.context, "quoted scalar"))
    out.message += "; the quote opened on line " + std::to_string(cm.line + 1) + " is never closed: close it";
  else if (at_end && has(p.context, "flow"))
    out.message += "; the bracket opened on line " + std::to_string(cm.line + 1) + " is never closed: close it";
  return out;
}

// Owns a parser and the current event, so every exit frees them.
struct Parser {
  yaml_parser_t p;
  yaml_event_t e;
  bool has_event = false;
  Parser() { yaml_parser_initialize(&p); }
  ~Parser() {
    if (has_event) yaml_event_delete(&e);
    yaml_parser_delete(&p);
  }
  bool next() {
    if (has_event) yaml_event_delete(&e), has_event = false;
    has_event = yaml_parser_parse(&p, &e) != 0;
    return has_event;
  }
};

std::string anchor_of(const yaml_event_t& e) {
  const yaml_char_t* a = nullptr;
  if (e.type == YAML_SCALAR_EVENT) a = e.data.scalar.anchor;
  else if (e.type == YAML_SEQUENCE_START_EVENT) a = e.data.sequence_start.anchor;
  else if (e.type == YAML_MAPPING_START_EVENT) a = e.data.mapping_start.anchor;
  return a ? reinterpret_cast<const char*>(a) : "";
}

}  // namespace

std::optional<YamlSyntaxProblem> strict_yaml_problem(std::string_view text) {
  Parser ps;
  yaml_parser_set_input_string(&ps.p, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  std::set<std::string> anchors;  // of the current document: an alias refers back within its document
  while (true) {
    if (!ps.next()) return problem_of(ps.p, text);
    const yaml_event_t& e = ps.e;
    if (e.type == YAML_STREAM_END_EVENT) return std::nullopt;
    if (e.type == YAML_DOCUMENT_START_EVENT) anchors.clear();
    if (const std::string a = anchor_of(e); !a.empty()) anchors.insert(a);
    if (e.type == YAML_ALIAS_EVENT) {
      const std::string a = reinterpret_cast<const char*>(e.data.alias.anchor);
      if (!anchors.count(a))
        return YamlSyntaxProblem{static_cast<int>(e.start_mark.line) + 1, static_cast<int>(e.start_mark.column) + 1,
                                 "found undefined alias '" + a + "' (" + at(e.start_mark.line, e.start_mark.column) +
                                     "); define the anchor &" + a + " before using *" + a};
    }
  }
}

}  // namespace polarlab
