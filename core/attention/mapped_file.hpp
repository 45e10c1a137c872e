// A read-only memory map of a whole file. Pages already reduced are released (release()) so that the
// resident set stays bounded however large the file is; the page cache keeps them for the next reader.
#pragma once
#include <cstddef>
#include <string>

namespace polarlab::attention {

class MappedFile {
 public:
  // Throws InputError (field "file") when the file cannot be opened or mapped.
  explicit MappedFile(const std::string& path);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  const std::byte* data() const { return data_; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // Drops the pages of [offset, offset + bytes) from this process (they are only read once).
  void release(std::size_t offset, std::size_t bytes) const;

 private:
  std::string path_;
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace polarlab::attention
