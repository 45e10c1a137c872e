// One way to spell an enum's values: a constexpr table of {value, name} entries, read by name_of, parse_name,
// names_of and joined_names. The spellings are file formats and command-line values, so a table lists them
// exactly as written: one canonical entry per value (what name_of writes and names_of lists, in table order),
// then any aliases (marked kAlias) that parse_name also accepts.
//
//   constexpr EnumName<LossKind> kLossNames[] = {
//       {LossKind::logistic, "logistic"}, {LossKind::square, "square"}, {LossKind::cross_entropy, "cross_entropy"},
//       {LossKind::cross_entropy, "ce", kAlias}};
//   name_of(kLossNames, LossKind::square)   → "square"
//   parse_name(kLossNames, "ce")            → LossKind::cross_entropy (std::nullopt when unknown)
//   joined_names(kLossNames)                → "logistic, square, cross_entropy"
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace polarlab {

template <class E>
struct EnumName {
  E value;
  const char* name;
  bool alias = false;  // accepted by parse_name only
};

inline constexpr bool kAlias = true;

// The canonical name of value; fallback when the table has none.
template <class E, std::size_t N>
constexpr const char* name_of(const EnumName<E> (&table)[N], E value, const char* fallback = "?") {
  for (const auto& e : table)
    if (!e.alias && e.value == value) return e.name;
  return fallback;
}

// The value spelled text (a canonical name or an alias, exact match).
template <class E, std::size_t N>
constexpr std::optional<E> parse_name(const EnumName<E> (&table)[N], std::string_view text) {
  for (const auto& e : table)
    if (text == e.name) return e.value;
  return std::nullopt;
}

// The canonical names, in table order.
template <class E, std::size_t N>
std::vector<std::string> names_of(const EnumName<E> (&table)[N]) {
  std::vector<std::string> out;
  for (const auto& e : table)
    if (!e.alias) out.emplace_back(e.name);
  return out;
}

// The canonical names joined by sep, for help texts and error messages: "a, b, c".
template <class E, std::size_t N>
std::string joined_names(const EnumName<E> (&table)[N], std::string_view sep = ", ") {
  std::string out;
  bool first = true;
  for (const auto& e : table) {
    if (e.alias) continue;
    if (!first) out += sep;
    out += e.name;
    first = false;
  }
  return out;
}

}  // namespace polarlab
