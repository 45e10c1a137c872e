// Writers of attention files for the tests: .npy (v1), .npz (stored or deflated members, built byte by byte
// as numpy's zipfile would) and .safetensors, in float16, bfloat16, float32, float64.
#pragma once
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/attention/dtype.hpp"

namespace polarlab::test {

using attention::DType;

// float → IEEE half by truncation (exact for the values the tests use: sums of powers of two, 0, NaN, inf).
inline std::uint16_t float_to_half(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  const std::uint16_t sign = static_cast<std::uint16_t>((u >> 16) & 0x8000u);
  if (std::isnan(f)) return sign | 0x7e00u;
  if (std::isinf(f)) return sign | 0x7c00u;
  if (f == 0) return sign;
  const int e = static_cast<int>((u >> 23) & 0xff) - 127 + 15;
  if (e >= 31) return sign | 0x7c00u;
  if (e <= 0) {  // subnormal half
    const std::uint32_t m = (u & 0x7fffffu) | 0x800000u;
    return sign | static_cast<std::uint16_t>(m >> (14 - e));
  }
  return sign | static_cast<std::uint16_t>(e << 10) | static_cast<std::uint16_t>((u >> 13) & 0x3ffu);
}

inline std::string encode(const std::vector<double>& v, DType t) {
  std::string out;
  for (double x : v) {
    char b[8];
    std::size_t n = attention::dtype_size(t);
    if (t == DType::f64) std::memcpy(b, &x, 8);
    else if (t == DType::f32) {
      const float f = static_cast<float>(x);
      std::memcpy(b, &f, 4);
    } else {
      const float f = static_cast<float>(x);
      std::uint16_t h;
      if (t == DType::f16) h = float_to_half(f);
      else {
        std::uint32_t u;
        std::memcpy(&u, &f, 4);
        h = static_cast<std::uint16_t>(u >> 16);
      }
      std::memcpy(b, &h, 2);
    }
    out.append(b, n);
  }
  return out;
}

inline std::string shape_tuple(const std::vector<std::uint64_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

// A version-1 .npy image: header padded with spaces to a multiple of 64 bytes, ending in '\n'.
inline std::string npy_bytes(const std::string& data, const std::string& descr, const std::vector<std::uint64_t>& shape) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape_tuple(shape) + ", }";
  std::size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict + data;
}

inline std::string descr_of(DType t) {
  switch (t) {
    case DType::f16: return "<f2";
    case DType::f32: return "<f4";
    case DType::f64: return "<f8";
    default: throw std::invalid_argument("npy has no bfloat16");
  }
}

inline std::string npy_of(const std::vector<double>& v, DType t, const std::vector<std::uint64_t>& shape) {
  return npy_bytes(encode(v, t), descr_of(t), shape);
}

inline void put_le(std::string& s, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s += static_cast<char>((v >> (8 * i)) & 0xff);
}

inline std::string raw_deflate(const std::string& in) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("zlib");
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// A zip archive of (name, contents) members, stored or deflated; zip64: sizes, offsets and counts in the
// zip64 extra fields and end records (as zipfile writes past 4 GiB), the 32-bit fields all ones.
inline std::string zip_of(const std::vector<std::pair<std::string, std::string>>& members, bool deflated,
                          bool zip64 = false) {
  std::string out, dir;
  for (const auto& [name, body] : members) {
    const std::string data = deflated ? raw_deflate(body) : body;
    const std::uint32_t crc = static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(body.data()),
                                                               static_cast<uInt>(body.size())));
    const std::uint64_t local = out.size();
    put_le(out, 0x04034b50, 4), put_le(out, 20, 2), put_le(out, 0, 2), put_le(out, deflated ? 8 : 0, 2);
    put_le(out, 0, 4), put_le(out, crc, 4), put_le(out, data.size(), 4), put_le(out, body.size(), 4);
    put_le(out, name.size(), 2), put_le(out, 0, 2);
    out += name + data;
    put_le(dir, 0x02014b50, 4), put_le(dir, 20, 2), put_le(dir, 20, 2), put_le(dir, 0, 2);
    const std::uint64_t all = 0xffffffffu;
    put_le(dir, deflated ? 8 : 0, 2), put_le(dir, 0, 4), put_le(dir, crc, 4), put_le(dir, zip64 ? all : data.size(), 4);
    put_le(dir, zip64 ? all : body.size(), 4), put_le(dir, name.size(), 2), put_le(dir, zip64 ? 28 : 0, 2);
    put_le(dir, 0, 2), put_le(dir, 0, 2), put_le(dir, 0, 2), put_le(dir, 0, 4), put_le(dir, zip64 ? all : local, 4);
    dir += name;
    if (zip64) put_le(dir, 1, 2), put_le(dir, 24, 2), put_le(dir, body.size(), 8), put_le(dir, data.size(), 8),
        put_le(dir, local, 8);
  }
  const std::uint64_t dir_offset = out.size();
  out += dir;
  if (zip64) {
    const std::uint64_t record = out.size();
    put_le(out, 0x06064b50, 4), put_le(out, 44, 8), put_le(out, 45, 2), put_le(out, 45, 2), put_le(out, 0, 4);
    put_le(out, 0, 4), put_le(out, members.size(), 8), put_le(out, members.size(), 8), put_le(out, dir.size(), 8);
    put_le(out, dir_offset, 8);
    put_le(out, 0x07064b50, 4), put_le(out, 0, 4), put_le(out, record, 8), put_le(out, 1, 4);
  }
  put_le(out, 0x06054b50, 4), put_le(out, 0, 2), put_le(out, 0, 2), put_le(out, zip64 ? 0xffff : members.size(), 2);
  put_le(out, zip64 ? 0xffff : members.size(), 2), put_le(out, zip64 ? 0xffffffffu : dir.size(), 4);
  put_le(out, zip64 ? 0xffffffffu : dir_offset, 4), put_le(out, 0, 2);
  return out;
}

inline std::string safetensors_name(DType t) {
  switch (t) {
    case DType::f16: return "F16";
    case DType::bf16: return "BF16";
    case DType::f32: return "F32";
    default: return "F64";
  }
}

struct NamedTensor {
  std::string name;
  std::vector<double> values;
  DType dtype;
  std::vector<std::uint64_t> shape;
};

inline std::string safetensors_of(const std::vector<NamedTensor>& tensors) {
  std::string header = "{\"__metadata__\":{\"format\":\"pt\"}", data;
  for (const auto& t : tensors) {
    const std::string bytes = encode(t.values, t.dtype);
    std::string shape;
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
      if (i) shape += ',';
      shape += std::to_string(t.shape[i]);
    }
    header += ",\"" + t.name + "\":{\"dtype\":\"" + safetensors_name(t.dtype) + "\",\"shape\":[" + shape +
              "],\"data_offsets\":[" + std::to_string(data.size()) + "," + std::to_string(data.size() + bytes.size()) +
              "]}";
    data += bytes;
  }
  header += "}";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string out;
  put_le(out, header.size(), 8);
  return out + header + data;
}

// Removes the file first: truncating a written file on ext4 flushes it (auto_da_alloc), ~1 ms per call.
inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::remove(path.c_str());
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) throw std::runtime_error("cannot write " + path);
}

}  // namespace polarlab::test
