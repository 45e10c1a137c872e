// Helpers the plot panels share: a plot of one vector observable per coordinate, line styles.
#pragma once
#include <vector>

#include "app/gui/app.hpp"
#include "app/widgets/plot.hpp"

namespace polarlab::gui {

float line_width(const AppState& app, bool emphasis = false);
// Style of run k (the second run, flow in "both", is dashed).
widgets::LineStyle run_style(const AppState& app, std::size_t run, ImU32 color, bool emphasis = false);
// One line per coordinate of History::*member (s, u or a), coloured by coordinate, winner emphasised.
void coordinate_plot(AppState& app, const char* id, const char* title, const char* sym,
                     std::vector<std::vector<double>> History::*member, widgets::Scale yscale,
                     double fixed_lo = 0.0, double fixed_hi = 0.0);
// A plot against the training step: loss-like (log y) or a score in [0, 1] (transformer and sweeps views).
widgets::PlotOptions step_plot_options(const char* title, bool log_y);
// "t = 12.3, step 123" for a plot's note.
std::string now_note(const AppState& app);

}  // namespace polarlab::gui
