// The live lab's state: the dynamics workspace's (DynamicsState, dynamics/state.hpp) and what the shell and the
// lecture share with it: fonts, the lecture deck and replay, recording, messages, the workspaces and the job
// host. Each dynamics panel is one dynamics/view_*.cpp file that reads this and the runs' histories.
#pragma once
#include <imgui.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "app/gui/dynamics/state.hpp"
#include "app/gui/lecture/deck.hpp"
#include "app/gui/lecture/replay.hpp"
#include "app/gui/shell/workspace.hpp"
#include "core/experiment/presets.hpp"

namespace polarlab::gui {

const PresetInfo* find_preset(const AppState& app, const std::string& name);

struct AppState : DynamicsState {
  float side_width = 340.0f;
  std::string message;                  // last save/export result (in the Files section)
  bool message_failed = false;          // ... a failure: shown in red
  bool lecture = false;
  bool fullscreen = false;
  ImFont* font = nullptr;
  ImFont* font_large = nullptr;
  float dpi_scale = 1.0f;
  // The smallest text a lecture shows, the speaker's reminders included: 18 px at 720 lines (× the DPI scale).
  float lecture_min_text_px() const { return 18.0f * dpi_scale; }
  double fps = 0.0;
  bool fullscreen_request = false;      // F: the window toggles full screen (App::take_fullscreen_toggle)
  JobHost* jobs = nullptr;              // the App's job host (shell/job_host.hpp): every worker starts there
  WorkspaceStates workspaces;           // the tab bar's workspaces (workspace.hpp)
  bool blank = false;                   // B or period (a clicker's "blank screen"): everything black
  std::string key_hint;                 // why a key did nothing (shown in the status line until Esc)
  // A key's effect in lecture mode (pace, parameter, blank), shown briefly on screen until `confirm_until` on
  // `clock`: the speaker sees that the key was taken (lecture/deck.hpp: confirm_key, draw_key_confirmation).
  std::string confirm;
  double confirm_until = 0.0;
  std::string output_dir;               // where exports go ("" = the working directory); kept in the settings
  Replay replay;                        // the timeline: live, or the runs shown up to a cursor time
  LectureDeck deck;                     // a lecture script's scenes (--lecture-script), and its errors
  // Recording (the App carries it out: shell/app.cpp): the Record button asks, `recording` names the file being
  // written ("" none), `record_message` says what was written or why not.
  bool record_toggle = false;
  std::string recording;
  std::string record_message;
  // Launch state: lecture mode that --lecture or a lecture script turned on is this launch's, not the next one's;
  // the settings file keeps `lecture_saved` (its own value, or the user's choice once they leave lecture mode).
  bool lecture_imposed = false;
  bool lecture_saved = false;
  // One moment on screen: what each view drew as "now" in the last frame built ("status", "side panel",
  // "timeline", "heatmap …", "plot: <title>" for the t of the last record a plot drew). The App refills it every
  // frame; tests compare the entries with each other and with the replay's cursor.
  std::vector<std::pair<std::string, double>> shown_t;
  // The status bar's message slot: the last action's result (export, save, open, record), failures in red, shown
  // until `notice_until` on `clock` (seconds of frames built), so a failure is seen where the user looks even
  // when the section that reports it is collapsed or below the fold.
  std::string notice;
  bool notice_failed = false;
  double notice_until = 0.0;
  double clock = 0.0;
  void report(const std::string& text, bool failed);

  // Restart with `cfg` (validated first); on refusal the reason goes to `refused` and nothing changes.
  bool apply(const ExperimentConfig& cfg, MethodChoice method);
  // `method`: "gd", "flow" or "both" (a lecture scene's choice); empty: the preset's own.
  bool load_preset(const std::string& name, const nlohmann::json& overrides = nlohmann::json::object(),
                   const std::string& method = {});
  void play_pause();
  // The replay's play/pause (P, the timeline's button, space in lecture mode): from live or from the end it starts
  // over; playing it also resumes a paused solver, or a replay that caught up would wait for ever.
  void replay_play_pause();
  void replay_from_start();
  void step();
  void reset();
  void push_speed();
};

// Colours: one per coordinate across every panel.
ImU32 coord_color(int i, int alpha = 255);
// "s_3" plus " ★" for the predicted winner.
std::string coord_label(const char* sym, int i, int winner);

// What an export did: the absolute paths written, or why nothing was.
struct ExportResult {
  bool ok = false;
  std::vector<std::string> files;  // absolute paths
  std::string message;             // "wrote /abs/fig.pdf and /abs/fig.csv" or the error
};
// A relative path goes into app.output_dir (when set); the result is absolute.
std::string output_path(const AppState& app, const std::string& path);

// Method "both" is one config run twice. The config format has no "both" (and refuses unknown keys), so Save config
// writes the file as the CLI reads it (method gd) and its flow twin <stem>-flow<ext> beside it (method flow): each
// runs in polarlab-cli, and Open config (or --config without --method) reads such a pair back as both.
std::string flow_twin_path(const std::string& config_path);
// Whether the file `twin` holds `gd`'s config (method gd) with method flow, every other field equal.
bool is_flow_twin(const ExperimentConfig& gd, const std::string& twin);

// The Record button's file: polarlab-<preset>-<YYYYmmdd-HHMMSS>.mp4 (in the output folder).
std::string default_recording_name(const AppState& app);

// Publication figures through core/figure (dynamics/export_figure.cpp); the message also goes to app.message.
bool figures_available();
ExportResult export_figure(AppState& app, const std::string& kind, const std::string& path, bool slides);
std::string figure_kind_for_panel(const AppState& app, Panel panel);
// A panel's right-click menu: export the figure it belongs to (PDF/SVG/PNG, paper or slides).
void panel_export_menu(AppState& app, Panel panel);

// Panels (one file each).
void view_controls(AppState& app);
void view_scores(AppState& app);
void view_projections(AppState& app);
void view_logits(AppState& app);
void view_loss(AppState& app);
void view_gamma(AppState& app);
void view_bound(AppState& app);
void view_potentials(AppState& app);
void view_singular(AppState& app);
void view_attention(AppState& app);
void view_caption(AppState& app);   // lecture caption + status line
void view_status(AppState& app);    // the status bar under the plots
void view_timeline(AppState& app);  // the replay's timeline, pace and Record under the plots
void draw_panel(AppState& app, Panel p);
// The whole window for one frame: tab bar, side panel, panels laid out for the window's size (dynamics/layout.cpp).
void draw_frame(AppState& app);
// The dynamics workspace: side panel and panels, or lecture mode's caption and four panels. `lecture` is the
// value the frame started with (a checkbox drawn inside may switch app.lecture).
void draw_dynamics(AppState& app, bool lecture);

// Saving the framebuffer as PNG.
bool save_screenshot(const std::string& path, int width, int height, std::string& error);

}  // namespace polarlab::gui
