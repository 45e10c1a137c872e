// Value projections u_i(t) = (Vᵀβ*)_i: they spread apart, their order is preserved (Theorem 3.2).
#include "app/gui/dynamics/views_common.hpp"

namespace polarlab::gui {

void view_projections(AppState& app) {
  coordinate_plot(app, "projections", "value projections u_i(t)", "u", &History::u, widgets::Scale::linear);
}

}  // namespace polarlab::gui
