// A lecture script's keys in lecture mode: the scenes, as a clicker or a keyboard walks them.
#include <GLFW/glfw3.h>

#include "app/gui/lecture/deck.hpp"
#include "app/gui/shell/app_state.hpp"

namespace polarlab::gui {

bool lecture_key(AppState& app, const KeyPress& k) {
  if (k.repeat) return false;
  const int n = app.deck.current;
  switch (k.key) {
    // A clicker sends PageDown/PageUp; a keyboard → ← and space; Home/End the first and last scene.
    case GLFW_KEY_PAGE_DOWN:
    case GLFW_KEY_RIGHT:
    case GLFW_KEY_SPACE: go_to_scene(app, n + 1); return true;
    case GLFW_KEY_PAGE_UP:
    case GLFW_KEY_LEFT: go_to_scene(app, n - 1); return true;
    case GLFW_KEY_HOME: go_to_scene(app, 0); return true;
    case GLFW_KEY_END: go_to_scene(app, static_cast<int>(app.deck.scenes.size()) - 1); return true;
    case GLFW_KEY_R: go_to_scene(app, n, true); return true;  // the scene again from its start (training: step 0)
    default: return false;
  }
}

}  // namespace polarlab::gui
