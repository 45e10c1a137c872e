// A lecture script in the live lab (`polarlab --lecture-script FILE [--scene N]`): the scenes read by core/lecture,
// which one is on screen, and the keys' actions on them (next, back, first, last, the parameter keys). The caption
// (dynamics/view_caption.cpp) draws the scene's title, subtitle, annotations and number.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/gui/shell/input_queue.hpp"
#include "core/lecture/script.hpp"

namespace polarlab::gui {

struct AppState;

struct LectureDeck {
  std::string path;
  std::string title;
  std::vector<lecture::Scene> scenes;
  int current = -1;     // the scene on screen (0-based), -1 none
  std::string error;    // the script's problem (file:line, key, allowed values): shown in the window until Esc
  nlohmann::json overrides = nlohmann::json::object();  // the scene's overrides and the parameter keys' changes
  double pace = 0.0;    // > 0: every scene at this pace (--pace) instead of its own

  bool active() const { return current >= 0 && current < static_cast<int>(scenes.size()); }
  const lecture::Scene* scene() const { return active() ? &scenes[static_cast<std::size_t>(current)] : nullptr; }
};

// The names a script may use in this build: presets, panel keys, attention functions.
lecture::Vocabulary lecture_vocabulary();
// The script's problem ("FILE:LINE: KEY: ... (allowed: ...)"), or "" when it reads (main checks before a window).
std::string check_lecture_script(const std::string& path);
// Reads and checks the script; its problem goes to app.deck.error (false), the scenes stay as they were.
bool load_lecture_script(AppState& app, const std::string& path);
// Scene n (0-based, clamped): lecture mode, the preset with the scene's overrides, its panels, the replay from its
// start at its pace; a transformer scene opens the transformer lab and trains the tiny model (once; `restart`,
// the R key: a fresh training run from step 0).
void go_to_scene(AppState& app, int n, bool restart = false);
// A key of the script in lecture mode (scenes: → ← space PageDown PageUp Home End, R again); false: not one.
bool lecture_key(AppState& app, const KeyPress& k);
// A lecture scene that trains the transformer is on screen (the lab shows only its curves and head grid).
bool lecture_training_scene(const AppState& app);
// On a training scene: whether its run has ended (its step budget reached, stopped or failed); empty elsewhere.
// A recording of the scene lasts until then.
std::optional<bool> lecture_training_done(const AppState& app);
// What ↑/↓ change: the scene's parameter, else the preset's slider (fig3: κ); none for other presets.
std::optional<lecture::Parameter> current_parameter(const AppState& app);
// ↑ (+1) or ↓ (−1) by the parameter's step within its range, rerunning the preset; false when there is none or the
// value is at its end (app.key_hint says which).
bool change_parameter(AppState& app, int direction);
// "κ = 5" for the caption; "" without a parameter.
std::string parameter_caption(const AppState& app);
// A key's effect, confirmed on screen for a moment (the confirmation's box is drawn by draw_key_confirmation).
void confirm_key(AppState& app, const std::string& text);
// Draws the current confirmation over the top right of the window (a dark box, the lecture's large font).
void draw_key_confirmation(const AppState& app);

}  // namespace polarlab::gui
