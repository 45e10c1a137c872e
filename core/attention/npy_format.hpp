// The .npy header (format versions 1–3): magic, version, header length and the Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/attention/dtype.hpp"

namespace polarlab::attention {

struct NpyHeader {
  DType dtype = DType::f32;
  std::vector<std::uint64_t> shape;
  std::size_t header_bytes = 0;  // the data starts here
};

// Parses the header at the start of `bytes` (n of them available). `where` names the file (and npz member)
// in errors. Throws InputError: bad magic, truncated header, unknown dtype, big-endian, Fortran order.
NpyHeader parse_npy_header(const std::byte* bytes, std::size_t n, const std::string& where);

}  // namespace polarlab::attention
