#include "app/gui/transformer/labels.hpp"

#include <cstdio>

namespace polarlab::gui {

namespace {
std::int64_t unshifted(const SequenceLayout& s, std::int64_t token) { return token >= s.vocab ? token - s.vocab : token; }
}  // namespace

std::string token_axis_label(const SequenceLayout& s, const std::vector<std::int64_t>& tokens, int pos) {
  const int T = static_cast<int>(tokens.size());
  if (pos < 0 || pos >= T) return "";
  if (s.induction) {
    if (pos == 0) return "BOS";
    if (pos == T - 1) return "q";
    return "m" + std::to_string(pos);
  }
  if (pos == T - 1) return "CLS";
  return std::to_string(tokens[static_cast<std::size_t>(pos)]);
}

std::string token_hover_label(const SequenceLayout& s, const std::vector<std::int64_t>& tokens, int pos) {
  const int T = static_cast<int>(tokens.size());
  if (pos < 0 || pos >= T) return "";
  const std::int64_t tok = tokens[static_cast<std::size_t>(pos)];
  if (s.induction) {
    if (pos == 0) return "BOS";
    const std::string role = token_axis_label(s, tokens, pos);
    if (tok >= s.vocab) return role + " = " + std::to_string(tok) + " (" + std::to_string(unshifted(s, tok)) + " + V)";
    return role + " = " + std::to_string(tok);
  }
  if (pos == T - 1) return "CLS";
  const int group = s.labels > 0 ? (s.vocab - 1) / s.labels : 0;
  if (group <= 0 || tok <= 0) return std::to_string(tok);
  return std::to_string(tok) + " (label " + std::to_string((tok - 1) / group) + ")";
}

int anchor_position(const SequenceLayout& s, int T) { return s.induction ? 0 : T - 1; }

InductionAnswer induction_answer(const SequenceLayout& s, const std::vector<std::int64_t>& tokens) {
  InductionAnswer a;
  const int T = static_cast<int>(tokens.size());
  if (!s.induction || T < 3) return a;
  const int k = T - 2;  // [BOS, m1..mk, q]
  const std::int64_t q = unshifted(s, tokens[static_cast<std::size_t>(T - 1)]);
  for (int r = 1; r <= k; ++r)
    if (tokens[static_cast<std::size_t>(r)] == q) {
      a.r = r;
      // The element after position r in (m1..mk, q): m_{r+1}, or q itself when r = k.
      a.target = r < k ? tokens[static_cast<std::size_t>(r + 1)] : tokens[static_cast<std::size_t>(T - 1)];
      return a;
    }
  return a;
}

std::string head_score_text(bool induction, double score) {
  char buf[48];
  std::snprintf(buf, sizeof buf, induction ? "sink %.2f" : "conc. %.2f", score);
  return buf;
}

std::string head_name(std::size_t layer, std::size_t head) {
  return "L" + std::to_string(layer + 1) + " H" + std::to_string(head + 1);
}

}  // namespace polarlab::gui
