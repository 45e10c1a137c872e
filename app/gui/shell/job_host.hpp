// The App's one job host: every background job of the GUI (a dynamics run, an ensemble, a training, a sweep
// database read, an attention import, the libtorch probe) is started here, listed here (name, progress,
// cancel: the footer) and joined here. It retires replaced jobs without blocking the frame: a retired worker
// is told to stop and destroyed once its job has ended.
//
// A job is a slice function: one bounded unit of its work per call, saying whether there is more, nothing to do
// until something changes (idle), or the job has ended. The host has two executors:
//   threads: a thread per job calls the slice until it ends; the slice may block (a wait for commands, a pause);
//   inline:  run_slices() calls the slices round robin inside the frame for a time budget; nothing blocks
//            (single-threaded targets such as a browser build; the headless App tests run both).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/job/job.hpp"

namespace polarlab::gui {

enum class Executor { threads, inline_slices };
const char* executor_name(Executor e);  // "threads", "inline"
std::optional<Executor> parse_executor(std::string_view name);  // the names above; nullopt otherwise

enum class Slice { more, idle, ended };

// The slice's view of how it runs: may it block (threads) or must it return at once (inline)?
struct SliceContext {
  bool may_block = true;
};
using SliceFn = std::function<Slice(JobControl&, const SliceContext&)>;

// What the footer shows of a job.
struct JobRow {
  std::uint64_t id = 0;
  std::string name;       // "ensemble: fig3, 200 runs × 10 κ"
  std::string workspace;  // the workspace that owns it ("ensemble"); the footer lists the others' jobs
  JobState state = JobState::preparing;
  double fraction = 0.0;  // progress, 0 when unknown
  bool stopping = false;  // its cancel was requested
};

class JobHost {
 public:
  explicit JobHost(Executor e = Executor::threads) : executor_(e) {}
  ~JobHost() { shutdown(); }
  JobHost(const JobHost&) = delete;
  JobHost& operator=(const JobHost&) = delete;

  Executor executor() const { return executor_; }

  // One started job; its owner (a JobWorker) keeps it and hands it back to end().
  struct Entry;
  // Starts `slice` over `control` (both outlive the job: the owner calls end() before they go).
  // `listed`: shown in the footer with a Cancel button (not the dynamics run or the sweeps reader, which live as
  // long as their workspace and are stopped from it).
  std::shared_ptr<Entry> start(std::string name, std::string workspace, JobControl& control, SliceFn slice,
                               bool listed = true);
  // Runs the job to its end (threads: joins its thread; inline: calls its slice until it ends) and unlists it.
  // Owners ask their job to end first (a cancel), so this waits only for the slice in progress.
  void end(const std::shared_ptr<Entry>& e);
  // The job's slice returned ended (joining its thread does not wait).
  static bool ended(const Entry& e);

  // Inline executor: advances every unpaused job, round robin, until all are idle or ended or `seconds` pass.
  // Returns how many slices ran (0 with the thread executor).
  int run_slices(double seconds);
  // The last run_slices() stopped at its budget with work left: the frame loop should not sleep.
  bool pending() const { return pending_; }

  // A replaced worker: `stop` asks it to end now; it is destroyed (joined) by poll() once `ended` says so, so the
  // frame never waits for a training that is still building its data set.
  template <class W>
  void retire(std::unique_ptr<W> w, const std::function<void(W&)>& stop, std::function<bool(const W&)> ended) {
    if (!w) return;
    stop(*w);
    std::shared_ptr<W> held(std::move(w));
    retired_.push_back({held, [held, ended = std::move(ended)] { return ended(*held); }});
  }
  // Destroys the retired workers that have ended; returns how many are still stopping.
  std::size_t poll();
  std::size_t retired() const { return retired_.size(); }

  // The listed jobs now running (started and not yet end()ed), oldest first.
  std::vector<JobRow> jobs() const;
  // Requests the cancel of job `id` (the footer's button); false when it is not listed.
  bool cancel(std::uint64_t id);

  // Joins every retired worker (blocking): only at shutdown, after the workspaces ended their own jobs.
  void shutdown() { retired_.clear(); }

 private:
  struct Retired {
    std::shared_ptr<void> worker;
    std::function<bool()> ended;
  };
  Executor executor_;
  std::uint64_t next_id_ = 1;
  std::vector<std::shared_ptr<Entry>> entries_;
  std::size_t next_slice_ = 0;  // round robin over entries_
  bool pending_ = false;
  std::vector<Retired> retired_;
};

struct JobHost::Entry {
  std::uint64_t id = 0;
  std::string name, workspace;
  JobControl* control = nullptr;
  SliceFn slice;
  std::atomic<bool> ended{false};
  bool listed = true;
  std::thread thread;  // threads executor
};

}  // namespace polarlab::gui
