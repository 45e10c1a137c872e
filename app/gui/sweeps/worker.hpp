// The Sweeps workspace's loader: a JobWorker (shell/job_worker.hpp) whose thread opens or collects a results database
// and reads a run's files, so a big database (a full grid is 8,640 + 12,960 rows) or a slow shared filesystem
// never blocks a frame. The UI asks (open, collect, open_run); the newest request of each kind wins; results come
// back as one immutable snapshot the UI swaps in, as the other workspaces do. Its job lasts as long as the
// loader: running, cancelled when it goes; a request that fails says why in the snapshot, not as the job's error.
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "app/gui/shell/job_worker.hpp"
#include "app/gui/sweeps/model.hpp"

namespace polarlab::gui {

struct SweepsSnapshot {
  std::shared_ptr<const SweepData> sweep;  // the last database read (null before the first)
  std::string sweep_error;                 // why the last open/collect failed ("" when it worked)
  std::shared_ptr<const RunDetail> run;    // the last run read
  std::string run_error;                   // why it could not be read at all
  std::string busy;                        // "reading …", "collecting …", "" when idle
  unsigned long seq = 0;                   // changes with every publication
};

class SweepsWorker {
 public:
  explicit SweepsWorker(JobHost& host);
  ~SweepsWorker();  // finishes the request in progress (a database read or a collect); the JobWorker joins
  SweepsWorker(const SweepsWorker&) = delete;
  SweepsWorker& operator=(const SweepsWorker&) = delete;

  // Reads `path` (a sweep folder or its results.sqlite); with collect, runs `sweep collect` first.
  void open(const std::string& path, bool collect);
  // Reads runs/<id>/ of the sweep shown.
  void open_run(std::shared_ptr<const SweepData> sweep, const std::string& id);
  std::shared_ptr<const SweepsSnapshot> snapshot() const { return worker_.snapshot(); }
  const JobControl& job() const { return worker_.job(); }

 private:
  struct OpenRequest {
    std::string path;
    bool collect = false;
  };
  struct RunRequest {
    std::shared_ptr<const SweepData> sweep;
    std::string id;
  };
  // One request handled (threads: waits for one; inline: idle when there is none).
  Slice slice(JobControl& job, const SliceContext& ctx);
  void publish(const std::function<void(SweepsSnapshot&)>& change);  // under mutex_: copy, change, swap
  std::string busy_text() const;                                    // under mutex_

  // Guards the requests and working_; every publication happens under it, so none overwrites a newer one.
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<OpenRequest> open_request_;
  std::optional<RunRequest> run_request_;
  std::string working_;  // what the thread is doing now
  JobWorker<SweepsSnapshot> worker_;  // last: starts after everything above exists, joins before it goes
};

}  // namespace polarlab::gui
