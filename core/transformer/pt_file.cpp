#include "core/transformer/pt_file.hpp"

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

}  // namespace polarlab::transformer
