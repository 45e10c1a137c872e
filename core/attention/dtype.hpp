// The element types attention tensors come in, and their decoding to float (fp16 and bf16 by bit
// manipulation, branch-free so that the row kernels vectorise).
#pragma once
#include <cstdint>
#include <cstring>
#include <string>

namespace polarlab::attention {

enum class DType { f16, bf16, f32, f64 };

constexpr std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::f16:
    case DType::bf16: return 2;
    case DType::f32: return 4;
    default: return 8;
  }
}

inline std::string dtype_name(DType t) {
  switch (t) {
    case DType::f16: return "float16";
    case DType::bf16: return "bfloat16";
    case DType::f32: return "float32";
    default: return "float64";
  }
}

inline float bits_to_float(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// IEEE half → float. Shifting the 15 magnitude bits into a float's exponent/mantissa and multiplying by
// 2^112 rebiases normals and subnormals alike; exponent 31 (inf, NaN) is patched in afterwards.
inline float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t mag = static_cast<std::uint32_t>(h & 0x7fffu) << 13;
  const float scaled = bits_to_float(mag) * 0x1p112f;
  std::uint32_t u;
  std::memcpy(&u, &scaled, 4);
  // A mask, not a branch or select, keeps the decoding loop vectorisable.
  const std::uint32_t special = 0u - static_cast<std::uint32_t>((h & 0x7c00u) == 0x7c00u);
  return bits_to_float((u & ~special) | ((0x7f800000u | mag) & special) | sign);
}

// bfloat16 is the upper half of a float.
inline float bf16_to_float(std::uint16_t b) { return bits_to_float(static_cast<std::uint32_t>(b) << 16); }

}  // namespace polarlab::attention
