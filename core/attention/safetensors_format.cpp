#include "core/attention/safetensors_format.hpp"

#include <nlohmann/json.hpp>

#include "core/attention/input_error.hpp"

namespace polarlab::attention {

std::vector<TensorEntry> read_safetensors_header(const std::byte* data, std::size_t size, const std::string& file) {
  if (size < 8) throw InputError(file, "header", "an 8-byte safetensors header length (file truncated)");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = n << 8 | static_cast<std::uint8_t>(data[i]);
  if (n > size - 8) throw InputError(file, "header", "a header of " + std::to_string(n) + " bytes inside the file");
  nlohmann::json h;
  try {
    h = nlohmann::json::parse(reinterpret_cast<const char*>(data) + 8, reinterpret_cast<const char*>(data) + 8 + n);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(file, "header", std::string("a JSON header (") + e.what() + ")");
  }
  if (!h.is_object()) throw InputError(file, "header", "a JSON object");
  const std::uint64_t base = 8 + n, data_bytes = size - base;
  std::vector<TensorEntry> out;
  for (const auto& [name, t] : h.items()) {
    if (name == "__metadata__") continue;
    const std::string where = name;
    if (!t.is_object()) throw InputError(file, where, "an object with dtype, shape and data_offsets");
    const auto dt = t.find("dtype");
    if (dt == t.end() || !dt->is_string()) throw InputError(file, where + ".dtype", "a dtype string");
    TensorEntry e;
    e.key = name;
    const std::string d = dt->get<std::string>();
    if (d == "F16") e.dtype = DType::f16;
    else if (d == "BF16") e.dtype = DType::bf16;
    else if (d == "F32") e.dtype = DType::f32;
    else if (d == "F64") e.dtype = DType::f64;
    else throw InputError(file, where + ".dtype", "F16, BF16, F32 or F64, not " + d);
    const auto sh = t.find("shape");
    if (sh == t.end() || !sh->is_array()) throw InputError(file, where + ".shape", "an array of dimensions");
    for (const auto& v : *sh) {
      if (!v.is_number_unsigned()) throw InputError(file, where + ".shape", "non-negative integer dimensions");
      e.shape.push_back(v.get<std::uint64_t>());
    }
    if (e.shape.size() > 16) throw InputError(file, where + ".shape", "at most 16 dimensions");
    const auto off = t.find("data_offsets");
    if (off == t.end() || !off->is_array() || off->size() != 2 || !(*off)[0].is_number_unsigned() ||
        !(*off)[1].is_number_unsigned())
      throw InputError(file, where + ".data_offsets", "[begin, end] byte offsets");
    const std::uint64_t b = (*off)[0].get<std::uint64_t>(), en = (*off)[1].get<std::uint64_t>();
    if (b > en || en > data_bytes)
      throw InputError(file, where + ".data_offsets",
                       "offsets within the " + std::to_string(data_bytes) + " data bytes (truncated?)");
    const std::uint64_t need = checked_data_bytes(file, e.shape, e.dtype);
    if (en - b != need)
      throw InputError(file, where + ".data_offsets",
                       std::to_string(need) + " bytes for the shape, not " + std::to_string(en - b));
    e.storage = Storage::raw;
    e.offset = base + b;
    e.stored_bytes = need;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace polarlab::attention
