#include "app/gui/shell/job_host.hpp"

#include <algorithm>
#include <chrono>

namespace polarlab::gui {

const char* executor_name(Executor e) { return e == Executor::threads ? "threads" : "inline"; }

std::optional<Executor> parse_executor(std::string_view name) {
  if (name == "threads") return Executor::threads;
  if (name == "inline") return Executor::inline_slices;
  return std::nullopt;
}

std::shared_ptr<JobHost::Entry> JobHost::start(std::string name, std::string workspace, JobControl& control,
                                               SliceFn slice, bool listed) {
  auto e = std::make_shared<Entry>();
  e->id = next_id_++;
  e->name = std::move(name);
  e->workspace = std::move(workspace);
  e->control = &control;
  e->slice = std::move(slice);
  e->listed = listed;
  if (executor_ == Executor::threads) {
    Entry* raw = e.get();
    e->thread = std::thread([raw] {
      const SliceContext ctx{true};
      for (Slice r; (r = raw->slice(*raw->control, ctx)) != Slice::ended;)
        if (r == Slice::idle) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // slices here may block
      raw->ended = true;
    });
  }
  entries_.push_back(e);
  return e;
}

void JobHost::end(const std::shared_ptr<Entry>& e) {
  if (!e) return;
  if (e->thread.joinable()) e->thread.join();
  if (executor_ == Executor::inline_slices) {
    const SliceContext ctx{false};
    while (!e->ended)
      if (e->slice(*e->control, ctx) == Slice::ended) e->ended = true;
  }
  entries_.erase(std::remove(entries_.begin(), entries_.end(), e), entries_.end());
}

bool JobHost::ended(const Entry& e) { return e.ended.load(); }

int JobHost::run_slices(double seconds) {
  if (executor_ != Executor::inline_slices) return 0;
  const double t0 = monotonic_seconds();
  const SliceContext ctx{false};
  int ran = 0;
  pending_ = false;
  for (;;) {
    bool any_more = false;
    // A copy: a slice may start or end jobs (a worker's body never does today, but the list must not move
    // under the loop if one does).
    const auto entries = entries_;
    for (std::size_t k = 0; k < entries.size(); ++k) {
      Entry& e = *entries[(next_slice_ + k) % entries.size()];
      if (e.ended) continue;
      const Slice r = e.slice(*e.control, ctx);
      ++ran;
      if (r == Slice::ended) e.ended = true;
      if (r == Slice::more) any_more = true;
      if (monotonic_seconds() - t0 >= seconds) {
        pending_ = any_more;
        next_slice_ = (next_slice_ + k + 1) % std::max<std::size_t>(1, entries.size());
        return ran;
      }
    }
    if (!any_more) return ran;
  }
}

std::size_t JobHost::poll() {
  // The lambda of an ended worker holds the last reference: erasing it joins a thread that has returned.
  retired_.erase(std::remove_if(retired_.begin(), retired_.end(), [](const Retired& r) { return r.ended(); }),
                 retired_.end());
  return retired_.size();
}

std::vector<JobRow> JobHost::jobs() const {
  std::vector<JobRow> rows;
  for (const auto& e : entries_) {
    if (!e->listed || e->ended) continue;
    JobRow r;
    r.id = e->id;
    r.name = e->name;
    r.workspace = e->workspace;
    r.state = e->control->state();
    r.fraction = e->control->fraction();
    r.stopping = e->control->cancel_requested();
    rows.push_back(std::move(r));
  }
  return rows;
}

bool JobHost::cancel(std::uint64_t id) {
  for (const auto& e : entries_)
    if (e->id == id) {
      e->control->request_cancel();
      return true;
    }
  return false;
}

}  // namespace polarlab::gui
