#include "core/figure/text.hpp"

#include <map>

namespace polarlab::figure {

namespace {
// Length of the UTF-8 sequence starting with byte c.
std::size_t utf8_len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

void push(std::vector<TextRun>& runs, const std::string& text, int level, bool italic) {
  if (text.empty()) return;
  if (!runs.empty() && runs.back().level == level && runs.back().italic == italic) runs.back().text += text;
  else runs.push_back({text, level, italic});
}
}  // namespace

std::string escape_markup(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '$' || c == '^' || c == '_') out += '\\';
    out += c;
  }
  return out;
}

std::vector<TextRun> parse_markup(const std::string& m) {
  std::vector<TextRun> runs;
  bool italic = false;
  std::string cur;
  std::size_t i = 0;
  while (i < m.size()) {
    const char c = m[i];
    if (c == '\\' && i + 1 < m.size() && (m[i + 1] == '$' || m[i + 1] == '^' || m[i + 1] == '_')) {
      cur += m[i + 1];
      i += 2;
    } else if (c == '$') {
      push(runs, cur, 0, italic);
      cur.clear();
      italic = !italic;
      ++i;
    } else if ((c == '^' || c == '_') && i + 1 < m.size()) {
      push(runs, cur, 0, italic);
      cur.clear();
      const int level = c == '^' ? 1 : -1;
      std::string arg;
      if (m[i + 1] == '{') {
        const std::size_t close = m.find('}', i + 2);
        const std::size_t end = close == std::string::npos ? m.size() : close;
        arg = m.substr(i + 2, end - (i + 2));
        i = close == std::string::npos ? m.size() : close + 1;
      } else {
        const std::size_t n = utf8_len(static_cast<unsigned char>(m[i + 1]));
        arg = m.substr(i + 1, n);
        i += 1 + n;
      }
      // $ inside a script switches italics there and after it, as outside.
      std::string piece;
      for (char a : arg) {
        if (a == '$') {
          push(runs, piece, level, italic);
          piece.clear();
          italic = !italic;
        } else {
          piece += a;
        }
      }
      push(runs, piece, level, italic);
    } else {
      cur += c;
      ++i;
    }
  }
  push(runs, cur, 0, italic);
  return runs;
}

std::string plain_text(const std::string& markup) {
  static const std::map<std::string, std::string> sup = {
      {"0", "⁰"}, {"1", "¹"}, {"2", "²"}, {"3", "³"}, {"4", "⁴"}, {"5", "⁵"}, {"6", "⁶"},
      {"7", "⁷"}, {"8", "⁸"}, {"9", "⁹"}, {"-", "⁻"}, {"−", "⁻"}, {"+", "⁺"}, {"n", "ⁿ"},
      {"i", "ⁱ"}, {"(", "⁽"}, {")", "⁾"}, {"=", "⁼"}};
  static const std::map<std::string, std::string> sub = {
      {"0", "₀"}, {"1", "₁"}, {"2", "₂"}, {"3", "₃"}, {"4", "₄"}, {"5", "₅"}, {"6", "₆"},
      {"7", "₇"}, {"8", "₈"}, {"9", "₉"}, {"-", "₋"}, {"−", "₋"}, {"+", "₊"}, {"i", "ᵢ"},
      {"j", "ⱼ"}, {"k", "ₖ"}, {"m", "ₘ"}, {"n", "ₙ"}, {"t", "ₜ"}, {"(", "₍"}, {")", "₎"}};
  // Italics split a script into several runs; plain text joins them again.
  std::vector<TextRun> runs;
  for (const TextRun& r : parse_markup(markup)) {
    if (!runs.empty() && runs.back().level == r.level) runs.back().text += r.text;
    else runs.push_back(r);
  }
  std::string out;
  for (const TextRun& r : runs) {
    if (r.level == 0) {
      out += r.text;
      continue;
    }
    const auto& table = r.level > 0 ? sup : sub;
    std::string mapped;
    bool all = true;
    for (std::size_t i = 0; i < r.text.size();) {
      const std::size_t n = utf8_len(static_cast<unsigned char>(r.text[i]));
      const auto it = table.find(r.text.substr(i, n));
      if (it == table.end()) {
        all = false;
        break;
      }
      mapped += it->second;
      i += n;
    }
    if (all) out += mapped;
    else {
      const bool one = utf8_len(static_cast<unsigned char>(r.text[0])) == r.text.size();
      out += std::string(r.level > 0 ? "^" : "_") + (one ? r.text : "{" + r.text + "}");
    }
  }
  return out;
}

}  // namespace polarlab::figure
