#include "core/attention/tensor_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/attention/input_error.hpp"
#include "core/attention/npy_format.hpp"
#include "core/attention/safetensors_format.hpp"
#include "core/attention/zip_directory.hpp"

namespace polarlab::attention {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{8} << 20;
constexpr std::size_t kNpyHeaderLimit = std::size_t{64} << 10;  // deflated members: header inflated up front

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Inflates a raw deflate stream (zip method 8) piece by piece.
class Inflater {
 public:
  Inflater(const std::byte* in, std::uint64_t in_bytes, std::string where) : in_(in), left_(in_bytes), where_(where) {
    if (inflateInit2(&z_, -MAX_WBITS) != Z_OK) throw InputError(where_, "deflate", "zlib to initialise");
  }
  ~Inflater() { inflateEnd(&z_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Fills out[0, n) completely; throws when the stream ends or is corrupt before that.
  void read(std::byte* out, std::size_t n) {
    z_.next_out = reinterpret_cast<Bytef*>(out);
    std::size_t want = n;
    while (want > 0) {
      if (z_.avail_in == 0 && left_ > 0) {
        const std::uint64_t take = std::min<std::uint64_t>(left_, std::uint64_t{1} << 30);
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(in_));
        z_.avail_in = static_cast<uInt>(take);
        in_ += take;
        left_ -= take;
      }
      const uInt give = static_cast<uInt>(std::min<std::size_t>(want, std::size_t{1} << 30));
      z_.avail_out = give;
      const int rc = inflate(&z_, Z_NO_FLUSH);
      want -= give - z_.avail_out;
      if (want == 0) break;
      if (rc == Z_STREAM_END || (rc == Z_BUF_ERROR && z_.avail_in == 0 && left_ == 0))
        throw InputError(where_, "deflate", std::to_string(n - want) + " more bytes in the compressed member "
                                            "(it ends early: truncated?)");
      if (rc != Z_OK && rc != Z_BUF_ERROR)
        throw InputError(where_, "deflate", std::string("a valid deflate stream (zlib: ") +
                                                (z_.msg ? z_.msg : "error " + std::to_string(rc)) + ")");
    }
  }
  std::uint64_t consumed_offset(const std::byte* base) const { return static_cast<std::uint64_t>(in_ - base); }

 private:
  z_stream z_{};
  const std::byte* in_;
  std::uint64_t left_;
  std::string where_;
};

}  // namespace

TensorFile::TensorFile(const std::string& path) : file_(path) {
  const std::byte* d = file_.data();
  const std::size_t n = file_.size();
  const bool npy_magic = n >= 6 && std::memcmp(d, "\x93NUMPY", 6) == 0;
  const bool zip_magic = n >= 4 && d[0] == std::byte{'P'} && d[1] == std::byte{'K'};
  if (npy_magic || (!zip_magic && ends_with(path, ".npy"))) {  // an .npy without magic: say so
    const NpyHeader h = parse_npy_header(d, n, path);
    TensorEntry e;
    e.dtype = h.dtype;
    e.shape = h.shape;
    e.offset = h.header_bytes;
    e.stored_bytes = checked_data_bytes(path, e.shape, e.dtype);
    if (e.stored_bytes > n - h.header_bytes)
      throw InputError(path, "data", std::to_string(e.stored_bytes) + " bytes after the header for the shape, found " +
                                         std::to_string(n - h.header_bytes) + " (truncated?)");
    entries_.push_back(std::move(e));
  } else if (zip_magic || ends_with(path, ".npz")) {
    open_npz();
  } else if (ends_with(path, ".safetensors")) {
    entries_ = read_safetensors_header(d, n, path);
  } else if (ends_with(path, ".pt") || ends_with(path, ".pth")) {
    throw InputError(path, "format", ".npy, .npz or .safetensors (.pt needs a libtorch build; save with "
                                     "safetensors.torch.save_file or numpy instead)");
  } else {
    throw InputError(path, "format", "an .npy, .npz or .safetensors file");
  }
}

void TensorFile::open_npz() {
  const std::string& path = file_.path();
  for (const ZipMember& m : read_zip_directory(file_.data(), file_.size(), path)) {
    TensorEntry e;
    e.key = ends_with(m.name, ".npy") ? m.name.substr(0, m.name.size() - 4) : m.name;
    const std::string where = path + ":" + m.name;
    NpyHeader h;
    if (m.deflated) {
      std::vector<std::byte> head(std::min<std::uint64_t>(m.uncompressed_bytes, kNpyHeaderLimit));
      Inflater z(file_.data() + m.data_offset, m.compressed_bytes, where);
      z.read(head.data(), head.size());
      h = parse_npy_header(head.data(), head.size(), where);
      e.storage = Storage::deflate;
      e.offset = m.data_offset;
      e.stored_bytes = m.compressed_bytes;
      e.skip = h.header_bytes;
    } else {
      h = parse_npy_header(file_.data() + m.data_offset, m.compressed_bytes, where);
      e.offset = m.data_offset + h.header_bytes;
    }
    e.dtype = h.dtype;
    e.shape = h.shape;
    const std::uint64_t need = checked_data_bytes(where, e.shape, e.dtype);
    if (m.uncompressed_bytes != h.header_bytes + need)
      throw InputError(where, "data", std::to_string(need) + " data bytes for the shape, member holds " +
                                          std::to_string(m.uncompressed_bytes - h.header_bytes));
    if (!m.deflated) e.stored_bytes = need;
    entries_.push_back(std::move(e));
  }
}

const TensorEntry& TensorFile::select(const std::string& key) const {
  auto find = [&](const std::string& k) -> const TensorEntry* {
    for (const auto& e : entries_)
      if (e.key == k) return &e;
    return nullptr;
  };
  std::string keys;
  for (const auto& e : entries_) keys += (keys.empty() ? "" : ", ") + (e.key.empty() ? "(unnamed)" : e.key);
  if (!key.empty() && entries_.size() == 1 && entries_[0].key.empty()) return entries_[0];  // .npy: one tensor
  if (!key.empty()) {
    if (const TensorEntry* e = find(key)) return *e;
    throw InputError(path(), "--key", "a tensor named '" + key + "'; the file holds: " + (keys.empty() ? "none" : keys));
  }
  if (entries_.size() == 1) return entries_[0];
  for (const char* k : {"attention", "attentions"})
    if (const TensorEntry* e = find(k)) return *e;
  throw InputError(path(), "--key", entries_.empty() ? "at least one tensor in the file"
                                                     : "--key naming one of the tensors: " + keys);
}

void TensorFile::stream(const TensorEntry& e, std::size_t unit, const Consumer& consume) const {
  const std::uint64_t total = e.data_bytes();
  if (total == 0) return;
  unit = std::max<std::size_t>(unit, 1);
  const std::size_t chunk = std::max(unit, kChunkBytes / unit * unit);
  if (e.storage == Storage::raw) {
    for (std::uint64_t done = 0; done < total;) {
      const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, total - done));
      consume(file_.data() + e.offset + done, n);
      file_.release(e.offset + done, n);
      done += n;
    }
    return;
  }
  const std::string where = path() + ":" + e.key;
  Inflater z(file_.data() + e.offset, e.stored_bytes, where);
  std::vector<std::byte> buf(std::max<std::size_t>(chunk, e.skip));
  z.read(buf.data(), e.skip);
  std::uint64_t released = e.offset;
  for (std::uint64_t done = 0; done < total;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk, total - done));
    z.read(buf.data(), n);
    consume(buf.data(), n);
    const std::uint64_t read_to = z.consumed_offset(file_.data());
    file_.release(released, read_to - released);
    released = read_to;
    done += n;
  }
}

}  // namespace polarlab::attention
