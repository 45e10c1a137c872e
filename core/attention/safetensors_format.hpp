// The .safetensors layout: an 8-byte little-endian header length, a JSON header
// {"name": {"dtype": "F16", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}, then the data.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "core/attention/tensor_entry.hpp"

namespace polarlab::attention {

// Every tensor of the file, in header order. Throws InputError for a header that is not such JSON, an
// unknown dtype (F16, BF16, F32, F64 are read), offsets outside the file or disagreeing with the shape.
std::vector<TensorEntry> read_safetensors_header(const std::byte* data, std::size_t size, const std::string& file);

}  // namespace polarlab::attention
