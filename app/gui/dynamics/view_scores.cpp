// Attention scores s_i(t): the polarization itself, one coordinate wins.
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_scores(AppState& app) {
  // Auto-fitted, not pinned to [0, 1]: partial polarization (fig3) lives near 1/p.
  coordinate_plot(app, "scores", "attention scores s_i(t)", "s", &History::s, widgets::Scale::linear);
}

}  // namespace polarlab::gui
