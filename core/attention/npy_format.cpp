#include "core/attention/npy_format.hpp"

#include <cstring>
#include <string_view>

#include "core/attention/input_error.hpp"

namespace polarlab::attention {

namespace {

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
  return i;
}

// Position just after "'key':" (spaces allowed), or npos.
std::size_t value_of(std::string_view dict, std::string_view key) {
  std::string quoted(1, '\'');
  quoted.append(key).push_back('\'');
  std::size_t i = dict.find(quoted);
  if (i == std::string_view::npos) return i;
  i = skip_space(dict, i + quoted.size());
  if (i >= dict.size() || dict[i] != ':') return std::string_view::npos;
  return skip_space(dict, i + 1);
}

DType parse_descr(std::string_view d, const std::string& where) {
  if (d == "<f2") return DType::f16;
  if (d == "<f4") return DType::f32;
  if (d == "<f8") return DType::f64;
  if (d == ">f2" || d == ">f4" || d == ">f8")
    throw InputError(where, "descr", "little-endian floats ('<f2', '<f4', '<f8'), not '" + std::string(d) + "'");
  throw InputError(where, "descr", "float16, float32 or float64 ('<f2', '<f4', '<f8'), not '" + std::string(d) + "'");
}

}  // namespace

NpyHeader parse_npy_header(const std::byte* bytes, std::size_t n, const std::string& where) {
  const char* p = reinterpret_cast<const char*>(bytes);
  if (n < 10 || std::memcmp(p, "\x93NUMPY", 6) != 0) throw InputError(where, "magic", "an .npy file (\\x93NUMPY)");
  const unsigned major = static_cast<unsigned char>(p[6]);
  std::size_t len = 0, start = 0;
  if (major == 1) {
    len = static_cast<unsigned char>(p[8]) | static_cast<std::size_t>(static_cast<unsigned char>(p[9])) << 8;
    start = 10;
  } else if (major == 2 || major == 3) {
    if (n < 12) throw InputError(where, "header", "a complete .npy header (file truncated)");
    for (int i = 3; i >= 0; --i) len = len << 8 | static_cast<unsigned char>(p[8 + i]);
    start = 12;
  } else {
    throw InputError(where, "version", ".npy format version 1, 2 or 3, not " + std::to_string(major));
  }
  if (len > n - start) throw InputError(where, "header", "a complete .npy header (file truncated)");
  const std::string_view dict(p + start, len);

  NpyHeader h;
  h.header_bytes = start + len;
  std::size_t i = value_of(dict, "descr");
  if (i == std::string_view::npos || i >= dict.size() || dict[i] != '\'')
    throw InputError(where, "descr", "a 'descr' entry in the .npy header");
  const std::size_t end = dict.find('\'', i + 1);
  if (end == std::string_view::npos) throw InputError(where, "descr", "a quoted dtype string");
  h.dtype = parse_descr(dict.substr(i + 1, end - i - 1), where);

  i = value_of(dict, "fortran_order");
  if (i == std::string_view::npos) throw InputError(where, "fortran_order", "a 'fortran_order' entry");
  if (dict.substr(i, 5) != "False")
    throw InputError(where, "fortran_order", "False (C order; save with np.ascontiguousarray)");

  i = value_of(dict, "shape");
  if (i == std::string_view::npos || i >= dict.size() || dict[i] != '(')
    throw InputError(where, "shape", "a 'shape' tuple in the .npy header");
  ++i;
  for (;;) {
    i = skip_space(dict, i);
    if (i >= dict.size()) throw InputError(where, "shape", "a closed shape tuple");
    if (dict[i] == ')') break;
    if (dict[i] < '0' || dict[i] > '9') throw InputError(where, "shape", "non-negative integer dimensions");
    std::uint64_t v = 0;
    while (i < dict.size() && dict[i] >= '0' && dict[i] <= '9') {
      if (v > (std::uint64_t{1} << 56)) throw InputError(where, "shape", "dimensions below 2^56");
      v = v * 10 + static_cast<std::uint64_t>(dict[i++] - '0');
    }
    if (h.shape.size() >= 16) throw InputError(where, "shape", "at most 16 dimensions");
    h.shape.push_back(v);
    i = skip_space(dict, i);
    if (i < dict.size() && dict[i] == ',') ++i;
  }
  return h;
}

}  // namespace polarlab::attention
