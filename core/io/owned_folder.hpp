// Output folders polarlab owns (a simulate run, an ensemble, a training run, attention stats): each holds a
// manifest.json written last, {"polarlab": KIND, "version": 1, "files": [...]}, naming the files of the one run
// that wrote it. Writing into an existing folder replaces that run as a whole, so a reused folder never keeps
// another run's files (a sink run's attention.csv under a fig2 run, a p = 8 run's potentials.csv under p = 40),
// and readers read only the files the manifest lists.
//
//   check_output_folder   before any work: the flag's folder can be written and is not someone else's
//   write_owned_folder    the run's files built in a folder beside it, then swapped in with one rename
//   begin_in_place_run    a training run (files grow while it runs; --resume continues them): the previous
//                         run's files are removed, the manifest names the new run's
//   run_file_listed       readers: is DIR/NAME this run's file?
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace polarlab {

inline constexpr const char* kManifestFile = "manifest.json";

struct FolderManifest {
  std::string kind;                // "run", "ensemble", "train", "attention_stats"
  std::vector<std::string> files;  // the run's files (manifest.json itself not included)
  bool lists(const std::string& name) const;
};

// DIR/manifest.json; nullopt when the folder has none (written by an older polarlab, or not by polarlab) or it is
// not a polarlab manifest.
std::optional<FolderManifest> read_manifest(const std::string& dir);

// For readers: whether DIR/NAME is the run's own file: listed in its manifest, or, in a folder an older polarlab
// wrote (no manifest), present.
bool run_file_listed(const std::string& dir, const std::string& name);

// Checks, before any work, that `path` can be written as a folder of this kind; throws ConfigError naming `flag`:
// a path that is a file, a folder that cannot be created or written, or a non-empty folder holding files polarlab
// did not write (refused unless `force`; with force they are left alone and the run's files go beside them).
// Missing parent folders are created (as the run would create them).
void check_output_folder(const std::string& path, const std::string& flag, const std::string& kind, bool force);

// Writes a whole folder: fill(dir) writes the run's files into a fresh folder beside `path`; the manifest (every
// file fill wrote) goes in last and the new folder takes the old one's place in one rename (renameat2
// RENAME_EXCHANGE), so a reader sees the old run or the new one, never a mix; the old folder is then removed. A
// folder that holds files polarlab did not write (check_output_folder's --force) is written in place instead: the
// run's files are moved in one by one, the previous run's files that this run does not write are removed, and
// the other files are left alone.
void write_owned_folder(const std::string& path, const std::string& kind,
                        const std::function<void(const std::string& dir)>& fill);

// A folder written in place while the run goes (training): removes the previous run's files (those its manifest
// lists; in a folder without a manifest, polarlab's file names) and writes a manifest that lists `files`. Files
// that are not the previous run's (a sweep's status.json, train.log) are left alone.
void begin_in_place_run(const std::string& path, const std::string& kind, const std::vector<std::string>& files);
// The manifest alone (a resumed run keeps its files and renames nothing).
void write_manifest(const std::string& dir, const std::string& kind, const std::vector<std::string>& files);

}  // namespace polarlab
