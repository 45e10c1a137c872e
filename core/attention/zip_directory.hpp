// The members of a zip archive (what np.savez / np.savez_compressed write), read from its central
// directory, zip64 included: 134 GB of attention does not fit the 32-bit fields.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace polarlab::attention {

struct ZipMember {
  std::string name;
  bool deflated = false;          // method 8; otherwise stored (method 0)
  std::uint64_t data_offset = 0;  // first byte of the (compressed) data in the archive
  std::uint64_t compressed_bytes = 0;
  std::uint64_t uncompressed_bytes = 0;
};

// Throws InputError (file, field, expected) for anything that is not a well-formed archive whose members
// lie inside the file, or for a compression method other than stored and deflate.
std::vector<ZipMember> read_zip_directory(const std::byte* data, std::size_t size, const std::string& file);

}  // namespace polarlab::attention
