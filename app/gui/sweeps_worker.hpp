// The Sweeps workspace's loader: one thread that opens or collects a results database and reads a run's files,
// so a big database (a full grid is 8,640 + 12,960 rows) or a slow shared filesystem never blocks a frame. The UI
// asks (open, collect, open_run); the newest request of each kind wins; results come back as one immutable
// snapshot the UI swaps in, as the other workspaces do.
#pragma once
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/gui/sweeps_model.hpp"

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
  SweepsWorker();
  ~SweepsWorker();  // finishes the job in progress (a database read or a collect), then joins
  SweepsWorker(const SweepsWorker&) = delete;
  SweepsWorker& operator=(const SweepsWorker&) = delete;

  // Reads `path` (a sweep folder or its results.sqlite); with collect, runs `sweep collect` first.
  void open(const std::string& path, bool collect);
  // Reads runs/<id>/ of the sweep shown.
  void open_run(std::shared_ptr<const SweepData> sweep, const std::string& id);
  std::shared_ptr<const SweepsSnapshot> snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return snap_;
  }

 private:
  struct OpenJob {
    std::string path;
    bool collect = false;
  };
  struct RunJob {
    std::shared_ptr<const SweepData> sweep;
    std::string id;
  };
  void loop();
  void publish(const std::function<void(SweepsSnapshot&)>& change);  // under mutex_: copy, change, swap
  std::string busy_text() const;                                    // under mutex_

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::optional<OpenJob> open_job_;
  std::optional<RunJob> run_job_;
  std::string working_;  // what the thread is doing now
  std::shared_ptr<const SweepsSnapshot> snap_ = std::make_shared<SweepsSnapshot>();
  std::thread thread_;   // last
};

}  // namespace polarlab::gui
