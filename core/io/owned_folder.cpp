#include "core/io/owned_folder.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/io/atomic_file.hpp"
#include "core/types.hpp"

namespace polarlab {
namespace fs = std::filesystem;

namespace {

// The files an older polarlab (before manifests) wrote into a folder of each kind: run_directory.cpp (simulate),
// ensemble_command.cpp, train_run.cpp and attention_command.cpp. A folder without a manifest that holds only
// these is polarlab's; the previous run's are removed when a run of the same kind is written over it.
const std::set<std::string>& polarlab_file_names(const std::string& kind) {
  static const std::set<std::string> run = {"config.json",    "initial_state.json", "trajectory.csv",
                                            "potentials.csv", "summary.json",       "attention.csv"};
  static const std::set<std::string> ensemble = {"members.csv", "summary.csv", "summary.json"};
  static const std::set<std::string> train = {"config.json",    "metrics.csv",   "cls_attention.csv", "attention.json",
                                              "summary.json",   "attention.npy", "checkpoint.pt"};
  static const std::set<std::string> stats = {"heads.csv", "summary.json", "fig7.png", "fig7.svg", "fig7.pdf",
                                              "fig7.csv"};
  static const std::set<std::string> none;
  return kind == "run" ? run : kind == "ensemble" ? ensemble : kind == "train" ? train
                             : kind == "attention_stats" ? stats : none;
}

// What a sweep keeps in each run's folder beside the training run (core/sweep/executor.cpp, run_status.cpp).
const std::set<std::string>& sweep_file_names() {
  static const std::set<std::string> names = {".lock", "status.json", "train.log", "attempts.log"};
  return names;
}

std::string kind_label(const std::string& kind) {
  return kind == "run" ? "simulate run" : kind == "train" ? "training run" : kind == "attention_stats" ? "attention stats" : kind;
}

// A temporary file or folder of a polarlab writer that was killed: "x.tmp.<pid>" (write_file_atomically),
// "checkpoint.pt.tmp" (the trainer), ".polarlab-*" (this file's in-place staging folder).
bool is_leftover(const std::string& name) {
  const auto ends_with = [&](const std::string& s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return name.find(".tmp.") != std::string::npos || ends_with(".tmp") || name.rfind(".polarlab-", 0) == 0;
}

// The folder as given, absolute, without a trailing separator, symlinks resolved where it exists (a link to
// a folder keeps pointing at the same place: the folder it names is replaced, not the link).
fs::path normalized(const std::string& path) {
  fs::path p = fs::absolute(fs::path(path)).lexically_normal();
  if (p.filename().empty() && p.has_relative_path()) p = p.parent_path();
  std::error_code ec;
  if (fs::exists(p, ec)) {
    const fs::path c = fs::canonical(p, ec);
    if (!ec) p = c;
  }
  return p;
}

std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) out.push_back(it->path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Files in `dir` that are not a previous run of this kind: not in its manifest (a manifest of another kind, say a
// training run where attention stats would go, lists nothing of this kind's), or, without a manifest, not one
// of this kind's names. A training run's sweep bookkeeping and temporary leftovers do not count.
std::vector<std::string> foreign_entries(const fs::path& dir, const std::string& kind) {
  auto manifest = read_manifest(dir.string());
  if (manifest && manifest->kind != kind) manifest->files.clear();
  std::vector<std::string> out;
  for (const std::string& name : entries(dir)) {
    if (name == kManifestFile && manifest && manifest->kind == kind) continue;
    if (is_leftover(name)) continue;
    if (kind == "train" && sweep_file_names().count(name)) continue;
    if (manifest ? manifest->lists(name) : polarlab_file_names(kind).count(name) > 0) continue;
    out.push_back(name);
  }
  return out;
}

// The previous run's files: its manifest's (of this kind); without one, this kind's names, unless the folder
// holds other files too (then a file named like polarlab's may be someone else's, and is kept).
std::vector<std::string> previous_run_files(const fs::path& dir, const std::string& kind) {
  if (const auto m = read_manifest(dir.string())) return m->kind == kind ? m->files : std::vector<std::string>{};
  if (!foreign_entries(dir, kind).empty()) return {};
  std::vector<std::string> out;
  for (const std::string& name : entries(dir))
    if (polarlab_file_names(kind).count(name)) out.push_back(name);
  return out;
}

// Regular files a writer put into `dir` (the manifest's list).
std::vector<std::string> written_files(const fs::path& dir) {
  std::vector<std::string> out;
  for (const std::string& name : entries(dir)) {
    std::error_code ec;
    if (name == kManifestFile || is_leftover(name) || !fs::is_regular_file(dir / name, ec)) continue;
    out.push_back(name);
  }
  return out;
}

std::string unique_suffix() {
  static std::atomic<int> counter{0};
  return std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

// Moves `from` onto `to` (same folder tree; a copy then a rename where they lie on two filesystems).
void move_file(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (!ec) return;
  const fs::path tmp = to.string() + ".tmp." + std::to_string(::getpid());
  fs::copy_file(from, tmp, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(tmp, to, ec);
  if (ec) {
    fs::remove(tmp);
    throw std::runtime_error("cannot write '" + to.string() + "': " + ec.message());
  }
}

// The files staged in `staging` become the run in `dir`, beside files that are not the previous run's.
void install_in_place(const fs::path& staging, const fs::path& dir, const std::string& kind) {
  const std::vector<std::string> old = previous_run_files(dir, kind);
  const std::vector<std::string> now = written_files(staging);
  std::error_code ec;
  if (const auto m = read_manifest(dir.string()); m && m->kind == kind)
    fs::remove(dir / kManifestFile, ec);  // no reader trusts the old list while its files change
  for (const std::string& name : now) move_file(staging / name, dir / name);
  for (const std::string& name : old)
    if (std::find(now.begin(), now.end(), name) == now.end()) fs::remove(dir / name, ec);
  write_manifest(dir.string(), kind, now);
}

}  // namespace

bool FolderManifest::lists(const std::string& name) const {
  return std::find(files.begin(), files.end(), name) != files.end();
}

std::optional<FolderManifest> read_manifest(const std::string& dir) {
  const auto text = read_text_file(dir + "/" + kManifestFile);
  if (!text) return std::nullopt;
  const auto j = nlohmann::json::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("polarlab") || !j["polarlab"].is_string() ||
      !j.contains("files") || !j["files"].is_array())
    return std::nullopt;
  FolderManifest m;
  m.kind = j["polarlab"].get<std::string>();
  for (const auto& f : j["files"])
    if (f.is_string()) m.files.push_back(f.get<std::string>());
  return m;
}

bool run_file_listed(const std::string& dir, const std::string& name) {
  if (const auto m = read_manifest(dir)) return m->lists(name);
  std::error_code ec;
  return fs::exists(fs::path(dir) / name, ec);
}

void check_output_folder(const std::string& path, const std::string& flag, const std::string& kind, bool force) {
  if (path.empty()) throw ConfigError(flag, "give a folder");
  const fs::path p = normalized(path);
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (fs::exists(st) && !fs::is_directory(st))
    throw ConfigError(flag, "'" + path + "' is a file, not a folder; give a folder (it is created)");
  if (!fs::exists(st)) {
    // Creating it (and removing it again) is the one sure test: permissions, a read-only or special filesystem.
    fs::create_directories(p.parent_path(), ec);
    if (!ec) fs::create_directory(p, ec);
    if (ec) throw ConfigError(flag, "cannot create '" + path + "': " + ec.message());
    fs::remove(p, ec);
    return;
  }
  const std::vector<std::string> foreign = foreign_entries(p, kind);
  if (!foreign.empty() && !force) {
    std::string names;
    for (std::size_t i = 0; i < foreign.size() && i < 3; ++i) names += (i ? ", '" : "'") + foreign[i] + "'";
    if (foreign.size() > 3) names += " and " + std::to_string(foreign.size() - 3) + " more";
    const std::string how = flag.rfind("--", 0) == 0 ? "pass --force to write the run beside them (they are left alone)"
                                                      : "empty it";
    const auto m = read_manifest(p.string());
    const std::string what = m && m->kind != kind ? "holds polarlab's " + kind_label(m->kind) + " output (" + names + "), not its " + kind_label(kind)
                                                  : "holds " + names + ", which polarlab did not write";
    throw ConfigError(flag, "'" + path + "' is not a polarlab " + kind_label(kind) + " folder: it " + what +
                                "; pick another folder, or " + how);
  }
  const fs::path probe = p / (".polarlab-probe-" + unique_suffix());
  {
    std::ofstream f(probe, std::ios::binary);
    if (!f) throw ConfigError(flag, "cannot write in '" + path + "': " + std::strerror(errno));
  }
  fs::remove(probe, ec);
}

void write_owned_folder(const std::string& path, const std::string& kind,
                        const std::function<void(const std::string& dir)>& fill) {
  const fs::path p = normalized(path);
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  const bool exists = fs::is_directory(p, ec);
  // Files polarlab did not write (--force, or put there while the run went) are never removed: in place. So is
  // the working directory (--out .) or a folder holding it: renamed away, the shell would be left in the old one.
  const fs::path cwd = fs::current_path(ec);
  const auto [end, _] = std::mismatch(p.begin(), p.end(), cwd.begin(), cwd.end());
  const bool holds_cwd = !ec && end == p.end();
  bool in_place = exists && (holds_cwd || !foreign_entries(p, kind).empty());
  const fs::path beside = p.parent_path() / ("." + p.filename().string() + ".polarlab-new-" + unique_suffix());
  if (!in_place && !fs::create_directory(beside, ec)) in_place = true;  // the parent is not writable: in place
  if (in_place) {
    fs::create_directories(p, ec);
    const fs::path staging = p / (".polarlab-new-" + unique_suffix());
    if (!fs::create_directory(staging, ec))
      throw std::runtime_error("cannot write in '" + p.string() + "': " + ec.message());
    try {
      fill(staging.string());
      install_in_place(staging, p, kind);
    } catch (...) {
      fs::remove_all(staging, ec);
      throw;
    }
    fs::remove_all(staging, ec);
    return;
  }
  try {
    fill(beside.string());
    write_manifest(beside.string(), kind, written_files(beside));
  } catch (...) {
    fs::remove_all(beside, ec);
    throw;
  }
  if (!exists) {
    fs::rename(beside, p, ec);
    if (ec) {
      fs::remove_all(beside);
      throw std::runtime_error("cannot move '" + beside.string() + "' to '" + p.string() + "': " + ec.message());
    }
    return;
  }
  // One atomic exchange: a reader finds the old folder or the new one. Filesystems without RENAME_EXCHANGE:
  // two renames (for a moment there is no folder at all, never a mixed one).
  if (::renameat2(AT_FDCWD, beside.c_str(), AT_FDCWD, p.c_str(), RENAME_EXCHANGE) == 0) {
    fs::remove_all(beside, ec);  // now the old run
    return;
  }
  const fs::path old = p.parent_path() / ("." + p.filename().string() + ".polarlab-old-" + unique_suffix());
  fs::rename(p, old, ec);
  if (ec) {  // a mount point, say: the files go in one by one
    try {
      install_in_place(beside, p, kind);
    } catch (...) {
      fs::remove_all(beside, ec);
      throw;
    }
    fs::remove_all(beside, ec);
    return;
  }
  fs::rename(beside, p, ec);
  if (ec) {
    std::error_code ec2;
    fs::rename(old, p, ec2);
    fs::remove_all(beside, ec2);
    throw std::runtime_error("cannot move '" + beside.string() + "' to '" + p.string() + "': " + ec.message());
  }
  fs::remove_all(old, ec);
}

void begin_in_place_run(const std::string& path, const std::string& kind, const std::vector<std::string>& files) {
  const fs::path p = normalized(path);
  fs::create_directories(p);
  const std::vector<std::string> old = previous_run_files(p, kind);
  std::error_code ec;
  if (const auto m = read_manifest(p.string()); m && m->kind == kind) fs::remove(p / kManifestFile, ec);
  for (const std::string& name : old) fs::remove(p / name, ec);
  write_manifest(p.string(), kind, files);
}

void write_manifest(const std::string& dir, const std::string& kind, const std::vector<std::string>& files) {
  std::vector<std::string> sorted = files;
  std::sort(sorted.begin(), sorted.end());
  const nlohmann::json j = {{"polarlab", kind}, {"version", 1}, {"files", sorted}};
  write_file_atomically(dir + "/" + kManifestFile, [&](std::ostream& os) { os << j.dump(2) << '\n'; });
}

}  // namespace polarlab
