// Helpers the plot panels share: a plot of one vector observable per coordinate, line styles.
#pragma once
#include <string>
#include <vector>

#include "app/gui/shell/app_state.hpp"
#include "app/widgets/plot.hpp"
#include "core/experiment/theorem_scope.hpp"

namespace polarlab::gui {

float line_width(const AppState& app, bool emphasis = false);
// Style of run k (the second run, flow in "both", is dashed).
widgets::LineStyle run_style(const AppState& app, std::size_t run, ImU32 color, bool emphasis = false);
// One line per coordinate of History::*member (s, u or a), coloured by coordinate, winner emphasised.
void coordinate_plot(AppState& app, const char* id, const char* title, const char* sym,
                     std::vector<std::vector<double>> History::*member, widgets::Scale yscale,
                     double fixed_lo = 0.0, double fixed_hi = 0.0);
// Whether Theorem 3.3 applies to the primary run (core/observe/theorem_scope), computed once per run.
// A run without info yet, or a config core refuses, gets a scope that predicts nothing.
const TheoremScope& run_scope(const AppState& app);
// argmax u(0) where the theory predicts it (run_scope(app).prediction), else -1.
int predicted_winner(const AppState& app);
// argmax s at the primary run's current state, -1 before the first snapshot: what legends always name.
int current_winner(const AppState& app);
// The coordinate drawn emphasised: the predicted winner where there is one, else the current winner.
int emphasised_winner(const AppState& app);
// Legend label: "s_3", " ★" on the predicted winner, " (max s)" on the current winner.
std::string winner_label(const char* sym, int i, int predicted, int now);
// Wrapped, coloured panel text when the initial state cannot move (∇L(θ0) = 0); returns true if shown.
bool stationary_notice(const AppState& app);
// How many times the notice was drawn in the frame being built (or the last one): once at most (tests).
int stationary_notices_drawn();
// A plot against the training step: loss-like (log y) or a score in [0, 1] (transformer and sweeps views).
widgets::PlotOptions step_plot_options(const char* title, bool log_y);
// "t = 12.3, step 123" for a plot's note.
std::string now_note(const AppState& app);
// A view says which moment it showed this frame (AppState::shown_t).
void note_shown_t(AppState& app, const std::string& what, double t);

// Colour (coordinate index) of each Φ pair in the pairs plot: the coordinate that is not the winner, so the pair
// reads with the other panels; a pair without the winner (picked by hand) takes a colour no other pair has.
std::vector<int> pair_color_indices(const std::vector<std::pair<int, int>>& pairs, int winner);
// The Φ heatmap's symmetric colour scale: ±max|Φ|, or ±1 when Φ is 0 everywhere (a constant at the start).
struct PhiScale {
  double max_abs = 1.0;
  bool all_zero = false;
};
PhiScale phi_color_scale(double max_abs);

}  // namespace polarlab::gui
