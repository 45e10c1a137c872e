// Workers the UI replaced (a new Start while a run was preparing or running): told to stop at once and joined
// only once they have ended, polled each frame. Joining a run that is still building its data set, or an
// ensemble member that is still integrating, would freeze the window for seconds (the monkey found frames of
// over a second). At shutdown the rest are joined.
#pragma once
#include <functional>
#include <memory>
#include <vector>

namespace polarlab::gui {

class RetiredWorkers {
 public:
  // `stop` asks the worker to end; `ended` says it has (its thread can be joined at no wait).
  template <class W>
  void retire(std::unique_ptr<W> w, const std::function<void(W&)>& stop, std::function<bool(const W&)> ended) {
    if (!w) return;
    stop(*w);
    std::shared_ptr<W> held(std::move(w));
    entries_.push_back({held, [held, ended = std::move(ended)] { return ended(*held); }});
  }
  // Destroys (joins) the workers that have ended; returns how many are still stopping.
  std::size_t poll();
  // Joins every worker (blocking): only at shutdown.
  void join_all() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::shared_ptr<void> worker;
    std::function<bool()> ended;
  };
  std::vector<Entry> entries_;
};

// The UI thread's one instance (the labs that replace workers reach it without an App).
RetiredWorkers& retired_workers();

}  // namespace polarlab::gui
