#include "app/gui/retired_workers.hpp"

#include <algorithm>

namespace polarlab::gui {

std::size_t RetiredWorkers::poll() {
  // The lambda of an ended worker holds the last reference: erasing it joins a thread that has returned.
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [](const Entry& e) { return e.ended(); }),
                 entries_.end());
  return entries_.size();
}

RetiredWorkers& retired_workers() {
  static RetiredWorkers r;
  return r;
}

}  // namespace polarlab::gui
