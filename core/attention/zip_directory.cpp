#include "core/attention/zip_directory.hpp"

#include <algorithm>

#include "core/attention/input_error.hpp"

namespace polarlab::attention {

namespace {

std::uint64_t le(const std::byte* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(p[i]);
  return v;
}

constexpr std::uint32_t kEndSig = 0x06054b50, kEnd64Sig = 0x06064b50, kLocator64Sig = 0x07064b50;
constexpr std::uint32_t kCentralSig = 0x02014b50, kLocalSig = 0x04034b50;

}  // namespace

std::vector<ZipMember> read_zip_directory(const std::byte* data, std::size_t size, const std::string& file) {
  // End of central directory: 22 bytes plus a comment of up to 65535, searched from the back.
  if (size < 22) throw InputError(file, "zip", "a zip archive (file shorter than its end record)");
  std::size_t end = std::string::npos;
  const std::size_t lowest = size >= 22 + 65535 ? size - 22 - 65535 : 0;
  for (std::size_t i = size - 22 + 1; i-- > lowest;)
    if (le(data + i, 4) == kEndSig) {
      end = i;
      break;
    }
  if (end == std::string::npos) throw InputError(file, "zip", "a zip end-of-central-directory record (truncated?)");
  std::uint64_t count = le(data + end + 10, 2);
  std::uint64_t dir_bytes = le(data + end + 12, 4);
  std::uint64_t dir_offset = le(data + end + 16, 4);
  if (count == 0xffff || dir_bytes == 0xffffffff || dir_offset == 0xffffffff) {
    if (end < 20 || le(data + end - 20, 4) != kLocator64Sig)
      throw InputError(file, "zip64", "a zip64 end-of-central-directory locator");
    const std::uint64_t rec = le(data + end - 20 + 8, 8);
    if (size < 56 || rec > size - 56 || le(data + rec, 4) != kEnd64Sig)
      throw InputError(file, "zip64", "a zip64 end-of-central-directory record inside the file");
    count = le(data + rec + 32, 8);
    dir_bytes = le(data + rec + 40, 8);
    dir_offset = le(data + rec + 48, 8);
  }
  if (dir_offset > size || dir_bytes > size - dir_offset)
    throw InputError(file, "zip", "a central directory inside the file (truncated?)");

  std::vector<ZipMember> members;
  std::uint64_t pos = dir_offset;
  const std::uint64_t dir_end = dir_offset + dir_bytes;
  for (std::uint64_t m = 0; m < count; ++m) {
    if (dir_end - pos < 46 || le(data + pos, 4) != kCentralSig)
      throw InputError(file, "zip", "central directory entry " + std::to_string(m) + " of " + std::to_string(count));
    const std::byte* e = data + pos;
    const std::uint64_t method = le(e + 10, 2);
    std::uint64_t comp = le(e + 20, 4), uncomp = le(e + 24, 4);
    const std::uint64_t name_len = le(e + 28, 2), extra_len = le(e + 30, 2), comment_len = le(e + 32, 2);
    std::uint64_t local = le(e + 42, 4);
    if (dir_end - pos - 46 < name_len + extra_len + comment_len)
      throw InputError(file, "zip", "central directory entry " + std::to_string(m) + " inside the directory");
    ZipMember z;
    z.name.assign(reinterpret_cast<const char*>(e + 46), name_len);
    // zip64 extra field (id 1): the 64-bit values of those fields that read 0xffffffff, in this order.
    const std::byte* x = e + 46 + name_len;
    for (std::uint64_t k = 0; k + 4 <= extra_len;) {
      const std::uint64_t id = le(x + k, 2), len = le(x + k + 2, 2);
      if (k + 4 + len > extra_len) break;
      if (id == 1) {
        std::uint64_t f = k + 4;
        auto take = [&](std::uint64_t& v) {
          if (v != 0xffffffff) return;
          if (f + 8 > k + 4 + len) throw InputError(file, "zip64", "a complete zip64 extra field for " + z.name);
          v = le(x + f, 8);
          f += 8;
        };
        take(uncomp);
        take(comp);
        take(local);
      }
      k += 4 + len;
    }
    if (method != 0 && method != 8)
      throw InputError(file, z.name, "stored or deflated members (zip method 0 or 8), not method " +
                                         std::to_string(method));
    z.deflated = method == 8;
    if (local > size || size - local < 30 || le(data + local, 4) != kLocalSig)
      throw InputError(file, z.name, "a local file header inside the archive (truncated?)");
    const std::uint64_t start = local + 30 + le(data + local + 26, 2) + le(data + local + 28, 2);
    if (start > size || comp > size - start)
      throw InputError(file, z.name, std::to_string(comp) + " bytes of member data inside the file (truncated?)");
    if (!z.deflated && comp != uncomp)
      throw InputError(file, z.name, "equal stored and uncompressed sizes for a stored member");
    z.data_offset = start;
    z.compressed_bytes = comp;
    z.uncompressed_bytes = uncomp;
    members.push_back(std::move(z));
    pos += 46 + name_len + extra_len + comment_len;
  }
  return members;
}

}  // namespace polarlab::attention
