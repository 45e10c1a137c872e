#include "app/cli_reference.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

namespace polarlab::reference {
namespace {

// ---- the App, walked -------------------------------------------------------------------------------------------

std::vector<const CLI::App*> subcommands_of(const CLI::App& app) {
  // get_subcommands() without a filter lists the *parsed* subcommands; with one, the definitions in order.
  return app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); });
}

bool is_help(const CLI::App& app, const CLI::Option* o) {
  return o == app.get_help_ptr() || o == app.get_help_all_ptr();
}

// Visible options: positionals first, then flags and options, each in definition order; no -h/--help.
std::vector<const CLI::Option*> options_of(const CLI::App& app) {
  std::vector<const CLI::Option*> pos, named;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_group().empty() || is_help(app, o)) continue;
    (o->nonpositional() ? named : pos).push_back(o);
  }
  pos.insert(pos.end(), named.begin(), named.end());
  return pos;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

std::vector<std::string> names_of(const CLI::Option* o) {
  if (!o->nonpositional()) return {o->get_name(true)};
  std::vector<std::string> names = split(o->get_name(false, true), ',');
  // Long names first: "--jobs, -j" reads better than "-j, --jobs" in a reference sorted by flag.
  std::stable_partition(names.begin(), names.end(), [](const std::string& n) { return n.rfind("--", 0) == 0; });
  return names;
}

bool is_flag(const CLI::Option* o) { return o->nonpositional() && o->get_type_size() == 0; }
bool is_multi(const CLI::Option* o) { return o->get_items_expected_max() > 1; }

std::string value_of(const CLI::Option* o) {
  if (is_flag(o)) return "";
  std::string v = o->get_type_name();
  if (is_multi(o)) v += " ...";
  return v;
}

std::string default_of(const CLI::Option* o) {
  if (is_flag(o) || o->get_required()) return "";
  return o->get_default_str();
}

// The description and what CLI11 knows besides it: required, excludes, environment variable.
std::string notes_of(const CLI::Option* o) {
  std::string n;
  if (o->get_required()) n += " Required.";
  std::vector<std::string> ex;
  for (const CLI::Option* e : o->get_excludes()) ex.push_back(names_of(e).front());
  std::sort(ex.begin(), ex.end());  // a set of pointers: sort for a stable text
  for (std::size_t i = 0; i < ex.size(); ++i) n += (i ? ", " : " Excludes ") + ex[i];
  if (!ex.empty()) n += ".";
  if (!o->get_envname().empty()) n += " Environment: " + o->get_envname() + ".";
  return n;
}

std::string description_of(const CLI::Option* o) {
  std::string d = o->get_description();
  while (!d.empty() && (d.back() == ' ' || d.back() == '\n')) d.pop_back();
  const std::string notes = notes_of(o);
  if (!notes.empty() && !d.empty() && d.back() != '.') d += '.';
  return d + notes;
}

std::string usage_of(const CLI::App& app, const std::string& path) {
  std::string u = path;
  bool named = false;
  for (const CLI::Option* o : options_of(app)) {
    if (o->nonpositional()) {
      named = true;
      continue;
    }
    std::string n = o->get_name(true) + (is_multi(o) ? " ..." : "");
    u += " " + (o->get_required() ? n : "[" + n + "]");
  }
  if (named) u += " [OPTIONS]";
  if (!subcommands_of(app).empty()) u += app.get_require_subcommand_min() > 0 ? " COMMAND" : " [COMMAND]";
  return u;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == '\n' || s[i] == ' ')) ++i;
  return s.substr(i);
}

// ---- Markdown ----------------------------------------------------------------------------------------------------

// Inside a table cell: no newlines, no bare '|', no '<' that reads as an HTML tag.
std::string md_cell(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\n') out += ' ';
    else if (c == '|') out += "\\|";
    else if (c == '<' && i + 1 < s.size() && (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/'))
      out += "&lt;";
    else out += c;
  }
  return out;
}

std::string md_code(const std::string& s) { return s.empty() ? "" : "`" + md_cell(s) + "`"; }

std::string anchor(const std::string& heading) {
  std::string a;
  for (char c : heading) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_') a += static_cast<char>(std::tolower(u));
    else if (c == ' ') a += '-';
  }
  return a;
}

void md_command(std::ostream& out, const CLI::App& app, const std::string& path, int depth) {
  out << std::string(static_cast<std::size_t>(depth), '#') << ' ' << path << "\n\n";
  if (const std::string d = trimmed(app.get_description()); !d.empty()) out << d << "\n\n";
  out << "```\n" << usage_of(app, path) << "\n```\n\n";
  const auto opts = options_of(app);
  if (!opts.empty()) {
    out << "| argument | value | default | description |\n| --- | --- | --- | --- |\n";
    for (const CLI::Option* o : opts) {
      std::string names;
      for (const std::string& n : names_of(o)) names += (names.empty() ? "" : ", ") + md_code(n);
      out << "| " << names << " | " << md_code(value_of(o)) << " | " << md_code(default_of(o)) << " | "
          << md_cell(description_of(o)) << " |\n";
    }
    out << '\n';
  }
  const auto subs = subcommands_of(app);
  if (!subs.empty()) {
    out << "| command | description |\n| --- | --- |\n";
    for (const CLI::App* s : subs) {
      const std::string sub_path = path + " " + s->get_name();
      out << "| [" << s->get_name() << "](#" << anchor(sub_path) << ") | " << md_cell(trimmed(s->get_description()))
          << " |\n";
    }
    out << '\n';
  }
  if (const std::string f = trimmed(app.get_footer()); !f.empty()) out << f << "\n\n";
  for (const CLI::App* s : subs) md_command(out, *s, path + " " + s->get_name(), depth + 1);
}

// ---- man (roff) --------------------------------------------------------------------------------------------------

// Escapes for roff text: backslash, hyphen-minus (so flags copy and search as typed), a leading '.' or '\''.
std::string roff(const std::string& s) {
  std::string out;
  bool line_start = true;
  for (char c : s) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
    line_start = c == '\n';
  }
  return out;
}

// A paragraph of text: newlines in the source become line breaks.
std::string roff_text(const std::string& s) {
  std::string out;
  const auto lines = split(trimmed(s), '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? "\n.br\n" : "") + roff(lines[i]);
  return out + "\n";
}

void man_options(std::ostream& out, const CLI::App& app) {
  for (const CLI::Option* o : options_of(app)) {
    out << ".TP\n";
    std::string names;
    for (const std::string& n : names_of(o))
      names += (names.empty() ? "" : ", ") + std::string(o->nonpositional() ? "\\fB" : "\\fI") + roff(n) + "\\fR";
    out << names;
    if (const std::string v = value_of(o); !v.empty() && o->nonpositional()) out << " \\fI" << roff(v) << "\\fR";
    out << '\n' << roff(description_of(o));
    if (const std::string d = default_of(o); !d.empty()) out << " (default: " << roff(d) << ")";
    if (!o->nonpositional() && !value_of(o).empty()) out << " [" << roff(value_of(o)) << "]";
    out << '\n';
  }
}

void man_command(std::ostream& out, const CLI::App& app, const std::string& path) {
  out << ".SS \"" << roff(path) << "\"\n";
  out << ".B " << roff(usage_of(app, path)) << "\n.PP\n";
  if (const std::string d = trimmed(app.get_description()); !d.empty()) out << roff_text(d);
  man_options(out, app);
  if (const std::string f = trimmed(app.get_footer()); !f.empty()) out << ".PP\n" << roff_text(f);
  for (const CLI::App* s : subcommands_of(app)) man_command(out, *s, path + " " + s->get_name());
}

void leaf_usages(const CLI::App& app, const std::string& path, std::vector<std::string>& out) {
  const auto subs = subcommands_of(app);
  if (subs.empty()) out.push_back(usage_of(app, path));
  for (const CLI::App* s : subs) leaf_usages(*s, path + " " + s->get_name(), out);
}

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::string markdown(const CLI::App& app, const Info& info) {
  std::ostringstream out;
  md_command(out, app, info.program, 2);
  if (!info.environment.empty()) {
    out << "### " << info.program << ": environment\n\n| variable | effect |\n| --- | --- |\n";
    for (const Entry& e : info.environment) out << "| `" << e.name << "` | " << md_cell(e.description) << " |\n";
    out << '\n';
  }
  if (!info.files.empty()) {
    out << "### " << info.program << ": files\n\n| file | content |\n| --- | --- |\n";
    for (const Entry& e : info.files) out << "| `" << e.name << "` | " << md_cell(e.description) << " |\n";
    out << '\n';
  }
  return out.str();
}

std::string man(const CLI::App& app, const Info& info) {
  std::ostringstream out;
  out << ".\\\" Generated by '" << info.program << ' ' << kFlag << " man' from the program's own flag definitions;\n"
      << ".\\\" do not edit (see docs/cli.md for how to regenerate).\n";
  out << ".TH " << upper(info.program) << " 1 \"\" \"" << roff(info.version) << "\" \"User Commands\"\n";
  out << ".SH NAME\n" << roff(info.program) << " \\- " << roff(info.summary) << '\n';
  out << ".SH SYNOPSIS\n";
  std::vector<std::string> usages;
  leaf_usages(app, info.program, usages);
  for (std::size_t i = 0; i < usages.size(); ++i) out << (i ? ".br\n" : "") << ".B " << roff(usages[i]) << '\n';
  out << ".SH DESCRIPTION\n" << roff_text(app.get_description());
  const auto subs = subcommands_of(app);
  if (!options_of(app).empty()) {
    out << ".SH OPTIONS\n";
    man_options(out, app);
  }
  if (!subs.empty()) {
    out << ".SH COMMANDS\n";
    for (const CLI::App* s : subs) man_command(out, *s, info.program + " " + s->get_name());
  }
  out << ".PP\nEvery command also takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR.\n";
  if (const std::string f = trimmed(app.get_footer()); !f.empty()) out << ".SH EXIT STATUS\n" << roff_text(f);
  if (!info.environment.empty()) {
    out << ".SH ENVIRONMENT\n";
    for (const Entry& e : info.environment) out << ".TP\n.B " << roff(e.name) << '\n' << roff_text(e.description);
  }
  if (!info.files.empty()) {
    out << ".SH FILES\n";
    for (const Entry& e : info.files) out << ".TP\n.I " << roff(e.name) << '\n' << roff_text(e.description);
  }
  if (!info.see_also.empty()) {
    out << ".SH SEE ALSO\n";
    for (std::size_t i = 0; i < info.see_also.size(); ++i) out << (i ? ",\n" : "") << roff(info.see_also[i]);
    out << '\n';
  }
  return out.str();
}

void tidy_defaults(CLI::App& app) {
  for (CLI::Option* o : app.get_options())
    if (o->get_default_str() == "[]") o->default_str("");
  for (CLI::App* s : app.get_subcommands([](CLI::App*) { return true; })) tidy_defaults(*s);
}

int print_if_requested(int argc, const char* const* argv, const CLI::App& app, const Info& info) {
  if (argc < 2 || std::string(argv[1]) != kFlag) return -1;
  const std::string format = argc == 3 ? argv[2] : "";
  if (format == "md") std::cout << markdown(app, info);
  else if (format == "man") std::cout << man(app, info);
  else {
    std::cerr << info.program << ": error: " << kFlag << " takes one argument, md or man\n";
    return 2;
  }
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace polarlab::reference
