#include "core/transformer/pt_file.hpp"

#include <unistd.h>

#include <filesystem>

#include "core/io/atomic_file.hpp"
#include "core/transformer/run_files.hpp"
#include "core/transformer/torch_plugin.hpp"

namespace polarlab::transformer {

bool is_pt_file(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".pt" || ext == ".pth";
}

std::string pt_to_npy(const std::string& pt, const std::string& key, const std::string& dir) {
  const PtTensor t = torch_plugin().read_pt(pt, key);
  std::filesystem::create_directories(dir);
  const std::string out = (std::filesystem::path(dir) / std::filesystem::path(pt).stem()).string() + ".npy";
  write_file_atomically(out, [&](std::ostream& os) { write_npy_f32(os, t.shape, t.values.data(), t.values.size()); });
  return out;
}

PtConversions::~PtConversions() {
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

std::string PtConversions::npy_of(const std::string& path, const std::string& key) {
  if (!is_pt_file(path)) return path;
  if (dir_.empty())
    dir_ = (std::filesystem::temp_directory_path() / (prefix_ + "-" + std::to_string(::getpid()))).string();
  // One subfolder per file: two shards with the same stem do not overwrite each other.
  return pt_to_npy(path, key, (std::filesystem::path(dir_) / std::to_string(converted_++)).string());
}

}  // namespace polarlab::transformer
