// The figure text markup, drawn with cairo's toy text API (no Pango):
//   x^{2}  superscript, x_{ij}  subscript, $t$  italic, everything else verbatim UTF-8 (σ, β*, Φ, ‖).
// A single character after ^ or _ needs no braces ("s_j"). "\$" is a literal dollar sign.
#pragma once
#include <string>
#include <vector>

namespace polarlab::figure {

struct TextRun {
  std::string text;
  int level = 0;  // 0 baseline, +1 superscript, −1 subscript
  bool italic = false;
};

std::vector<TextRun> parse_markup(const std::string& markup);
// Text shown verbatim (a map name like relu_norm): $ ^ _ escaped.
std::string escape_markup(const std::string& text);
// The label as plain Unicode (superscripts/subscripts mapped to ⁰¹²… and ᵢⱼ… where Unicode has them,
// else kept as ^x / _x), for CSV headers, SVG text and PDF metadata.
std::string plain_text(const std::string& markup);

}  // namespace polarlab::figure
