// One tensor inside a file, located but not read: its element type, shape and where its bytes are
// (raw in the file, or inside a deflate stream of an .npz member, after that member's .npy header).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/attention/dtype.hpp"

namespace polarlab::attention {

enum class Storage { raw, deflate };

struct TensorEntry {
  std::string key;  // npz member name without ".npy", safetensors name, "" for a plain .npy
  DType dtype = DType::f32;
  std::vector<std::uint64_t> shape;
  Storage storage = Storage::raw;
  std::uint64_t offset = 0;      // raw: first data byte; deflate: first compressed byte
  std::uint64_t stored_bytes = 0;  // raw: data bytes; deflate: compressed bytes
  std::uint64_t skip = 0;        // deflate: bytes of .npy header that precede the data in the inflated stream

  std::uint64_t elements() const;  // product of the shape (checked against overflow when the entry is made)
  std::uint64_t data_bytes() const { return elements() * dtype_size(dtype); }
};

// shape product × element size, or throws InputError(file, field "shape") on overflow past 2^62.
std::uint64_t checked_data_bytes(const std::string& file, const std::vector<std::uint64_t>& shape, DType t);

}  // namespace polarlab::attention
