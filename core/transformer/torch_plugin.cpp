#include "core/transformer/torch_plugin.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <vector>

#include "core/types.hpp"

namespace polarlab::transformer {
namespace {
namespace fs = std::filesystem;

constexpr const char* kPluginFile = "libpolarlab_torch.so";

struct Loaded {
  const TorchPluginApi* api = nullptr;
  std::string error;
};

std::vector<fs::path> candidates() {
  if (const char* env = std::getenv("POLARLAB_TORCH_PLUGIN"); env && *env) return {fs::path(env)};
  std::vector<fs::path> out;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    out.push_back(exe.parent_path() / kPluginFile);
    out.push_back(exe.parent_path() / ".." / "lib" / "polarlab" / kPluginFile);
  }
  // Beside the library this loader is in, when that is not the program (the Python module).
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&candidates), &info) && info.dli_fname) {
    const fs::path self = fs::absolute(info.dli_fname, ec);
    if (!ec && self != exe) out.push_back(self.parent_path() / kPluginFile);
  }
#ifdef POLARLAB_TORCH_PLUGIN_BUILD_PATH
  out.emplace_back(POLARLAB_TORCH_PLUGIN_BUILD_PATH);
#endif
  return out;
}

// Checks the plugin was built from these headers: a stale plugin is refused rather than called.
std::string mismatch(const TorchPluginApi& api) {
  if (api.abi != kTorchPluginAbi) return "plugin interface " + std::to_string(api.abi) + ", expected " + std::to_string(kTorchPluginAbi);
  if (api.config_size != sizeof(TrainConfig) || api.evaluation_size != sizeof(Evaluation))
    return "built from other sources than this program (rebuild both)";
  if (!api.make_engine || !api.cuda_available || !api.torch_version || !api.read_pt) return "incomplete plugin table";
  return {};
}

Loaded load() {
  Loaded r;
  std::string tried;
  for (const fs::path& p : candidates()) {
    std::error_code ec;
    if (!fs::exists(p, ec)) {
      tried += "\n  " + p.string() + ": not found";
      continue;
    }
    // RTLD_LOCAL: the plugin's own copies of polarlab's code stay private to it. Never unloaded (libtorch
    // registers global state that must outlive the program's last use).
    void* handle = dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* e = dlerror();
      tried += "\n  " + p.string() + ": " + (e ? e : "cannot be loaded");
      continue;
    }
    using Entry = const TorchPluginApi* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, kTorchPluginSymbol));
    const TorchPluginApi* api = entry ? entry() : nullptr;
    const std::string bad = api ? mismatch(*api) : std::string("no symbol ") + kTorchPluginSymbol;
    if (!bad.empty()) {
      tried += "\n  " + p.string() + ": " + bad;
      continue;
    }
    r.api = api;
    return r;
  }
  r.error = "the transformer lab's libtorch plugin (" + std::string(kPluginFile) + ") could not be loaded; tried:" + tried +
            "\nBuild with libtorch (POLARLAB_TORCH=ON, Debian package libtorch-dev) or set POLARLAB_TORCH_PLUGIN to the "
            "plugin's path.";
  return r;
}

const Loaded& loaded() {
  static const Loaded once = load();  // C++ guarantees one initialisation even with concurrent callers
  return once;
}

}  // namespace

const TorchPluginApi& torch_plugin() {
  const Loaded& l = loaded();
  if (!l.api) throw ConfigError("libtorch", l.error);
  return *l.api;
}

bool torch_plugin_available(std::string* why) {
  const Loaded& l = loaded();
  if (!l.api && why) *why = l.error;
  return l.api != nullptr;
}

}  // namespace polarlab::transformer
