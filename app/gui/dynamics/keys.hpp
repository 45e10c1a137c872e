// The dynamics lab's keys (keys.cpp): one press, when no widget holds the keys.
#pragma once
#include "app/gui/shell/input_queue.hpp"

namespace polarlab::gui {

struct AppState;
void dynamics_key(AppState& app, const KeyPress& k);

}  // namespace polarlab::gui
