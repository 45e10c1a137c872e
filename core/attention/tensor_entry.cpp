#include "core/attention/tensor_entry.hpp"

#include "core/attention/input_error.hpp"

namespace polarlab::attention {

std::uint64_t TensorEntry::elements() const {
  std::uint64_t n = 1;
  for (std::uint64_t d : shape) n *= d;
  return n;
}

std::uint64_t checked_data_bytes(const std::string& file, const std::vector<std::uint64_t>& shape, DType t) {
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 62;
  std::uint64_t n = dtype_size(t);
  for (std::uint64_t d : shape) {
    if (d != 0 && n > kLimit / d) throw InputError(file, "shape", "a tensor smaller than 2^62 bytes");
    n *= d;
  }
  return n;
}

}  // namespace polarlab::attention
