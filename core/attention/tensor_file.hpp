// An attention file (.npy, .npz, .safetensors) opened by memory map: its tensors located, and one tensor's
// data streamed in order in bounded pieces, so that no file is ever read whole into memory.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/attention/mapped_file.hpp"
#include "core/attention/tensor_entry.hpp"

namespace polarlab::attention {

class TensorFile {
 public:
  // The format comes from the content (.npy magic, zip signature), else from the .safetensors extension.
  // Throws InputError for an unreadable or malformed file.
  explicit TensorFile(const std::string& path);

  const std::string& path() const { return file_.path(); }
  const std::vector<TensorEntry>& entries() const { return entries_; }
  // `key` when given (else the only tensor, else one named "attention" or "attentions"); throws InputError
  // (field "--key") naming the keys there are.
  const TensorEntry& select(const std::string& key) const;

  // The tensor's bytes in the map, or null for a deflated .npz member (which can only be streamed).
  const std::byte* raw_data(const TensorEntry& e) const {
    return e.storage == Storage::raw ? file_.data() + e.offset : nullptr;
  }

  using Consumer = std::function<void(const std::byte* bytes, std::size_t n)>;
  // Calls consume with consecutive pieces of the tensor's data, each a whole number of `unit` bytes (a row)
  // and at most max(unit, ~8 MiB). Throws InputError when a deflate stream is corrupt or ends early.
  void stream(const TensorEntry& e, std::size_t unit, const Consumer& consume) const;

 private:
  void open_npz();
  MappedFile file_;
  std::vector<TensorEntry> entries_;
};

}  // namespace polarlab::attention
