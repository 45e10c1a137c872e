// The dynamics lab's keys (also lecture mode's, after the deck's own): presets, play, step, reset, the replay's
// pace, lecture mode, full screen, the blank screen. A focused field keeps the keys it would type.
#include <GLFW/glfw3.h>

#include "app/gui/dynamics/keys.hpp"
#include "app/gui/lecture/deck.hpp"
#include "app/gui/shell/app_state.hpp"
#include "app/gui/shell/focus.hpp"
#include "app/widgets/axis.hpp"

namespace polarlab::gui {

void dynamics_key(AppState& app, const KeyPress& k) {
  // Keys a focused slider or field may mean for itself: after a click on κ, "5" is not preset 5.
  const bool typed = (k.key >= GLFW_KEY_0 && k.key <= GLFW_KEY_9) || (k.key >= GLFW_KEY_A && k.key <= GLFW_KEY_Z) ||
                     k.key == GLFW_KEY_PERIOD || k.key == GLFW_KEY_RIGHT || k.key == GLFW_KEY_MINUS ||
                     k.key == GLFW_KEY_EQUAL || k.key == GLFW_KEY_UP || k.key == GLFW_KEY_DOWN;
  if (typed && value_widget_focused()) {
    app.key_hint = "keys go to the focused field: Esc or a click on a plot gives them back to the lab";
    return;
  }
  const int n_presets = static_cast<int>(app.presets.size());
  auto preset_at = [&](int i) {
    if (n_presets == 0) return;
    app.load_preset(app.presets[static_cast<std::size_t>((i % n_presets + n_presets) % n_presets)].name);
  };
  auto current_preset = [&] {
    for (int i = 0; i < n_presets; ++i)
      if (app.presets[static_cast<std::size_t>(i)].name == app.preset) return i;
    return -1;
  };
  if (k.repeat && k.key != GLFW_KEY_RIGHT) return;  // a held key repeats only the step
  switch (k.key) {
    case GLFW_KEY_ESCAPE:
      clear_widget_focus();
      app.key_hint.clear();
      app.deck.error.clear();
      app.blank = false;
      return;
    case GLFW_KEY_SPACE:
      // In lecture mode the replay is what the audience sees: space pauses it (the solver runs on ahead).
      if (app.lecture && app.replay.active) app.replay_play_pause();
      else app.play_pause();
      return;
    case GLFW_KEY_P: app.replay_play_pause(); return;
    case GLFW_KEY_MINUS:
    case GLFW_KEY_KP_SUBTRACT:
    case GLFW_KEY_LEFT_BRACKET:
    case GLFW_KEY_EQUAL:
    case GLFW_KEY_KP_ADD:
    case GLFW_KEY_RIGHT_BRACKET: {
      const bool slower = k.key == GLFW_KEY_MINUS || k.key == GLFW_KEY_KP_SUBTRACT || k.key == GLFW_KEY_LEFT_BRACKET;
      const double before = app.replay.pace;
      if (slower) app.replay.slower();
      else app.replay.faster();
      // The pace has no other sign in lecture mode: say what the key did (or that it is at its end).
      confirm_key(app, "pace " + widgets::format_number(app.replay.pace, 3) + " decades of t per second" +
                           (app.replay.pace == before ? (slower ? " (slowest)" : " (fastest)") : ""));
      return;
    }
    case GLFW_KEY_UP:
    case GLFW_KEY_DOWN:
      if (app.lecture) change_parameter(app, k.key == GLFW_KEY_UP ? 1 : -1);
      return;
    case GLFW_KEY_RIGHT: app.step(); return;
    case GLFW_KEY_R: app.reset(); return;
    case GLFW_KEY_L:
      app.lecture = !app.lecture;
      // Into lecture mode: the run from its start at the speaker's pace.
      if (app.lecture && !app.replay.active) app.replay_from_start();
      return;
    case GLFW_KEY_F: app.fullscreen_request = true; return;
    // Presentation clickers: PageDown/PageUp walk the presets, B or period blanks the screen.
    case GLFW_KEY_PAGE_DOWN: preset_at(current_preset() + 1); return;
    case GLFW_KEY_PAGE_UP: preset_at(current_preset() < 0 ? n_presets - 1 : current_preset() - 1); return;
    case GLFW_KEY_B:
    case GLFW_KEY_PERIOD:
      app.blank = !app.blank;
      confirm_key(app, app.blank ? "blank: B or . shows the lecture again" : "");
      return;
    default: break;
  }
  if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9 && k.key - GLFW_KEY_1 < n_presets) preset_at(k.key - GLFW_KEY_1);
}


}  // namespace polarlab::gui
