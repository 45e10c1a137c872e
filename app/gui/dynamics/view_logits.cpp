// Logits a_i(t).
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_logits(AppState& app) {
  coordinate_plot(app, "logits", "logits a_i(t)", "a", &History::a, widgets::Scale::linear);
}

}  // namespace polarlab::gui
