#include "app/gui/shell/app.hpp"
#include "app/gui/shell/job_footer.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "app/gui/shell/focus.hpp"
#include "app/gui/shell/settings.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/plot.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::gui {

namespace {
// The inline executor's share of a frame: enough to keep a run moving at the frame rate, short enough that
// input stays responsive (the thread executor's slices are 8 ms too: dynamics/worker.cpp).
constexpr double kInlineSliceSeconds = 0.010;
}  // namespace

namespace {

constexpr const char* kFontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

void load_fonts(AppState& app) {
  ImGuiIO& io = ImGui::GetIO();
  // Latin plus Greek (σ Φ γ β κ η δ), sub/superscripts, arrows, ∫ ‖ ≤, and ★ for the winner.
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesDefault());
    static const ImWchar extra[] = {0x0370, 0x03FF, 0x2000, 0x206F, 0x2070, 0x209F, 0x2190, 0x21FF,
                                    0x2200, 0x22FF, 0x2600, 0x26FF, 0x1D00, 0x1DBF, 0};
    b.AddRanges(extra);
    b.BuildRanges(&ranges);
  }
  const float s = app.dpi_scale;
  // Glyphs on whole pixels, texels 1:1: the atlas can be sampled GL_NEAREST (shell/font_textures.hpp).
  ImFontConfig pixel_exact = widgets::pixel_exact_font_config();
  if (std::filesystem::exists(kFontPath)) {
    app.font = io.Fonts->AddFontFromFileTTF(kFontPath, std::round(16.0f * s), &pixel_exact, ranges.Data);
    app.font_large = io.Fonts->AddFontFromFileTTF(kFontPath, std::round(27.0f * s), &pixel_exact, ranges.Data);
  }
  if (!app.font || !app.font_large) {
    std::fprintf(stderr, "polarlab: %s not found (apt install fonts-dejavu-core); using ImGui's font\n", kFontPath);
    ImFontConfig cfg;
    cfg.SizePixels = 13.0f * s;
    app.font = io.Fonts->AddFontDefault(&cfg);
    cfg.SizePixels = 24.0f * s;
    app.font_large = io.Fonts->AddFontDefault(&cfg);
  }
}

// ImGui's named keys in GLFW's codes, as the GLFW backend maps them (tests inject GLFW codes too).
void map_keys(ImGuiIO& io) {
  const std::pair<ImGuiKey_, int> keys[] = {
      {ImGuiKey_Tab, GLFW_KEY_TAB},         {ImGuiKey_LeftArrow, GLFW_KEY_LEFT},   {ImGuiKey_RightArrow, GLFW_KEY_RIGHT},
      {ImGuiKey_UpArrow, GLFW_KEY_UP},      {ImGuiKey_DownArrow, GLFW_KEY_DOWN},   {ImGuiKey_PageUp, GLFW_KEY_PAGE_UP},
      {ImGuiKey_PageDown, GLFW_KEY_PAGE_DOWN}, {ImGuiKey_Home, GLFW_KEY_HOME},     {ImGuiKey_End, GLFW_KEY_END},
      {ImGuiKey_Insert, GLFW_KEY_INSERT},   {ImGuiKey_Delete, GLFW_KEY_DELETE},    {ImGuiKey_Backspace, GLFW_KEY_BACKSPACE},
      {ImGuiKey_Space, GLFW_KEY_SPACE},     {ImGuiKey_Enter, GLFW_KEY_ENTER},      {ImGuiKey_Escape, GLFW_KEY_ESCAPE},
      {ImGuiKey_KeyPadEnter, GLFW_KEY_KP_ENTER}, {ImGuiKey_A, GLFW_KEY_A},         {ImGuiKey_C, GLFW_KEY_C},
      {ImGuiKey_V, GLFW_KEY_V},             {ImGuiKey_X, GLFW_KEY_X},              {ImGuiKey_Y, GLFW_KEY_Y},
      {ImGuiKey_Z, GLFW_KEY_Z}};
  for (const auto& [imgui_key, glfw_key] : keys) io.KeyMap[imgui_key] = glfw_key;
}

}  // namespace

std::string check_options(const AppOptions& o) {
  if (!workspace_from_key(o.workspace))
    return "--workspace: unknown '" + o.workspace + "' (expected " + workspace_keys() + ")";
  if (!o.method.empty() && o.method != "gd" && o.method != "flow" && o.method != "both")
    return "--method: unknown '" + o.method + "' (expected gd, flow or both)";
  if (o.width < kMinWidth || o.height < kMinHeight)
    return "--size: " + std::to_string(o.width) + "x" + std::to_string(o.height) + " is smaller than the minimum " +
           std::to_string(kMinWidth) + "x" + std::to_string(kMinHeight);
  if (o.scene < 1) return "--scene: " + std::to_string(o.scene) + " is not a scene number (they count from 1)";
  if (o.pace < 0.0 || (o.pace > 0.0 && (o.pace < Replay::kMinPace || o.pace > Replay::kMaxPace)))
    return "--pace: " + std::to_string(o.pace) + " decades per second is outside " + std::to_string(Replay::kMinPace) +
           " .. " + std::to_string(Replay::kMaxPace);
  return {};
}

App::App(const AppOptions& options)
    : options_(options), jobs_(std::make_unique<JobHost>(options.executor)), width_(options.width),
      height_(options.height) {
  if (const std::string err = check_options(options_); !err.empty()) throw AppError(err);
  // The preset or config first, so a typo is a plain error before any context exists.
  ExperimentConfig first;
  try {
    nlohmann::json over = nlohmann::json::object();
    // Enough steps that the solver is still running when the series pass 1e5 points and during the measurement.
    if (options_.bench) over = {{"records", 400000}, {"steps", 30000000}};
    first = options_.config.empty() ? resolve_preset(options_.preset, over)
                                    : config_from_json(read_json_file(options_.config));
    validate(first);
  } catch (const std::exception& e) {
    throw AppError(e.what());
  }

  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  state_ = std::make_unique<AppState>();
  AppState& app = *state_;
  app.jobs = jobs_.get();
  app.show.fill(true);
  app.dpi_scale = options_.dpi_scale;
  map_keys(io);
  register_layout_settings(app);
  // Scripted runs (screenshots, tests, bench) neither read nor write the user's layout: reproducible PNGs.
  ini_ = options_.scripted ? std::string() : options_.ini_path;
  io.IniFilename = ini_.empty() ? nullptr : ini_.c_str();
  if (!ini_.empty()) ImGui::LoadIniSettingsFromDisk(ini_.c_str());
  app.lecture_saved = app.lecture;
  // A flag or a script turns lecture mode on for this launch only (settings.cpp writes lecture_saved then).
  app.lecture_imposed = options_.lecture || !options_.lecture_script.empty();
  if (options_.lecture) app.lecture = true;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().ScaleAllSizes(app.dpi_scale);
  // Widgets' lines use geometry for anti-aliasing; only the plots' series use the textured path, with a
  // filtered twin of the atlas (widgets::SmoothLines).
  ImGui::GetStyle().AntiAliasedLinesUseTex = false;
  load_fonts(app);
  io.FontDefault = app.font;
  widgets::text_cache_reserve(io.Fonts);
  io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
  if (options_.headless) {
    // The atlas stays on the CPU; any non-null id lets ImGui build draw lists as with a texture.
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(1)));
  }

  app.presets = list_presets();
  if (options_.bench) app.speed_mode = SpeedMode::max;
  MethodChoice method = method_choice(options_.method, first.method);
  // A config saved with method both (a GD file and its flow twin beside it) opens as both, as Open config does.
  if (options_.method.empty() && !options_.config.empty() && is_flow_twin(first, flow_twin_path(options_.config)))
    method = MethodChoice::both;
  if (!app.apply(first, method)) {
    const std::string why = app.refused;
    shutdown();
    ImGui::DestroyContext(context_);
    throw AppError(why);
  }
  app.preset = options_.config.empty() ? options_.preset : std::string();
  if (options_.pace > 0.0) app.replay.pace = options_.pace;
  if (const std::string err = launch_workspace(app, *workspace_from_key(options_.workspace), options_.launch);
      !err.empty()) {
    shutdown();
    ImGui::DestroyContext(context_);
    throw AppError(err);
  }
  if (!options_.lecture_script.empty()) {
    // A script's problem is shown in the window (the lab stays on the preset); a scripted run exits 2 with it.
    const bool loaded = load_lecture_script(app, options_.lecture_script);
    std::string err = loaded || !options_.scripted ? std::string() : app.deck.error;
    if (loaded && options_.scene > static_cast<int>(app.deck.scenes.size()))
      err = "--scene: " + std::to_string(options_.scene) + " is past the last scene of " + options_.lecture_script +
            " (it has " + std::to_string(app.deck.scenes.size()) + ")";
    if (!err.empty()) {
      shutdown();
      ImGui::DestroyContext(context_);
      throw AppError(err);
    }
    app.deck.pace = options_.pace;
    if (loaded) go_to_scene(app, options_.scene - 1);
  }
}

App::~App() {
  ImGui::SetCurrentContext(context_);
  recorder_.reset();  // a window closed while recording keeps the video so far
  if (!ini_.empty()) ImGui::SaveIniSettingsToDisk(ini_.c_str());
  shutdown();
  ImGui::DestroyContext(context_);
}

void App::shutdown() {
  if (!state_) return;
  shutdown_workspaces(*state_);  // join the training and ensemble workers too
  state_->runs.clear();          // join the dynamics workers
  jobs_->shutdown();             // and the replaced ones still stopping
}

void App::resize(int width, int height, float fb_scale_x, float fb_scale_y) {
  width_ = std::max(1, width);
  height_ = std::max(1, height);
  fb_scale_x_ = fb_scale_x > 0 ? fb_scale_x : 1.0f;
  fb_scale_y_ = fb_scale_y > 0 ? fb_scale_y : 1.0f;
  idle_frames_ = 0;
}

bool App::take_fullscreen_toggle() { return std::exchange(state_->fullscreen_request, false); }

bool App::frame(double dt, bool force) {
  ImGui::SetCurrentContext(context_);
  AppState& app = *state_;
  // Inline executor: the jobs' slices run here, before their snapshots are read (threads: nothing to do).
  jobs_->run_slices(kInlineSliceSeconds);
  bool fresh = !input_.empty();
  // Every workspace takes its workers' news (the dynamics runs' records into their histories).
  fresh |= poll_workspaces(app);
  if (std::exchange(app.record_toggle, false)) {
    if (recorder_) stop_recording();
    else if (const std::string err = start_recording(default_recording_name(app)); !err.empty())
      app.record_message = err, app.report(err, true);
  }
  poll_recording();
  fresh |= update_replay(dt, std::exchange(app.primary_changed, false));
  jobs_->poll();
  // The status bar's message runs out: that frame must be drawn (else it stays until the next event).
  if (!app.notice.empty() && app.clock + dt >= app.notice_until) fresh = true, app.notice.clear();
  if (fresh) idle_frames_ = 0;
  // Nothing new from the workers and no input for a few frames: an unchanged screen need not be redrawn.
  if (!force && idle_frames_ >= 3 && frames_ > 0) return false;
  ++idle_frames_;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
  io.DisplayFramebufferScale = ImVec2(fb_scale_x_, fb_scale_y_);
  io.DeltaTime = static_cast<float>(std::clamp(dt, 1e-4, 1.0));
  app.clock += dt;  // dt counts since the last frame built (main.cpp), so idle time counts once
  const std::vector<KeyPress> presses = input_.apply(io);
  ImGui::NewFrame();
  widgets::text_cache_new_frame();
  focus_new_frame();
  handle_keys(presses);
  app.shown_t.clear();
  draw_frame(app);
  draw_job_footer(app, *jobs_, recorder_ != nullptr);
  for (const widgets::Plot::DrawnEnd& e : widgets::Plot::drawn_ends()) app.shown_t.emplace_back("plot: " + e.title, e.x);
  // Lecture mode left (L or its checkbox): what the settings keep is the user's choice from now on.
  if (app.lecture_imposed && !app.lecture) app.lecture_imposed = false;
  // While recording, the window is the video: no tooltip in it (the pointer rests on Record after the click).
  if (recorder_ && !rec_finishing_)
    for (ImGuiWindow* w : GImGui->Windows)
      if (w->Flags & ImGuiWindowFlags_Tooltip) w->Hidden = true;
  ImGui::Render();
  build_overlay();
  ++frames_;
  return true;
}

bool App::update_replay(double dt, bool primary_changed) {
  AppState& app = *state_;
  animating_ = false;
  if (app.runs.empty()) return false;
  Replay& rp = app.replay;
  const ReplayRange range = replay_range(app.primary().history, rp.start_t, rp.end_t);
  bool moved = false;
  if (primary_changed) {
    // A new run (preset, scene, reset): a recording of the old one ends with it; lecture mode replays the new one
    // from its start at the speaker's pace, elsewhere the panels go live.
    if (recorder_ && rec_started_) stop_recording();
    if (app.lecture) rp.restart(range);
    else rp.go_live();
    moved = true;
  }
  if (recorder_ && !rec_finishing_) {
    recording_clock(range);
    animating_ = true;
    moved |= rec_due_;
  } else if (rp.active && rp.playing) {
    moved |= rp.advance(rp.pace * dt, range);
    animating_ = true;  // also while waiting for the solver to get further
  }
  for (Run& r : app.runs) r.history.set_limit(rp.t_max());
  return moved;
}

std::string default_recording_name(const AppState& app) {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return "polarlab-" + (app.preset.empty() ? std::string("run") : app.preset) + "-" + stamp + ".mp4";
}

std::string App::start_recording(const std::string& path_in, int fps) {
  AppState& app = *state_;
  if (recorder_) return "already recording to " + app.recording;
  if (fps <= 0 || fps > 240) return "record: " + std::to_string(fps) + " frames per second is outside 1 .. 240";
  const std::string path = std::filesystem::absolute(output_path(app, path_in)).lexically_normal().string();
  try {
    recorder_ = std::make_unique<FrameRecorder>(*jobs_, path, framebuffer_width(), framebuffer_height(), fps);
  } catch (const std::exception& e) {
    return std::string("record: ") + e.what();
  }
  rec_k_ = 0;
  rec_started_ = rec_due_ = rec_last_ = rec_finishing_ = false;
  rec_step_ = app.replay.pace / fps;
  app.recording = path;
  app.record_message = "recording " + path;
  // The video is the run from its start: the solver must produce the moments the clock asks for.
  for (Run& r : app.runs) r.worker->play();
  idle_frames_ = 0;
  return {};
}

void App::stop_recording() {
  if (!recorder_ || rec_finishing_) return;
  recorder_->finish();
  rec_finishing_ = true;
  rec_due_ = false;
}

void App::recording_clock(const ReplayRange& r) {
  rec_due_ = false;
  if (!r.valid) return;
  // The video is the dynamics view: while another workspace or the blank screen is up, its clock waits.
  const AppState& app = *state_;
  if (app.blank || (!app.lecture && app.workspaces.current != kDynamics)) return;
  // A lecture scene that trains: no replay to follow; every frame is taken until the run reaches its step budget.
  if (const std::optional<bool> done = lecture_training_done(app)) {
    rec_started_ = true;
    rec_due_ = true;
    rec_last_ = *done;
    return;
  }
  if (!rec_started_) {
    rec_lo_ = r.lo;
    rec_started_ = true;
  }
  double target = rec_lo_ + rec_k_ * rec_step_;
  bool last = false;
  if (target >= r.end - 1e-9) target = r.end, last = true;
  if (target > r.hi + 1e-12) {
    if (!r.finished) return;  // the solver is not there yet: this moment waits for it (no frame, no step)
    target = r.hi, last = true;
  }
  Replay& rp = state_->replay;
  rp.active = true;
  rp.playing = false;
  rp.log_t = target;
  rec_due_ = true;
  rec_last_ = last;
}

void App::deliver_recording_frame(figure::Bitmap frame) {
  if (!recorder_ || !rec_due_) return;
  rec_due_ = false;
  if (!recorder_->push(std::move(frame))) return;  // the encoder is behind: the same moment again next frame
  ++rec_k_;
  if (rec_last_) stop_recording();
}

void App::poll_recording() {
  if (!recorder_) return;
  const auto snap = recorder_->snapshot();
  if (!snap || !snap->done) return;
  AppState& app = *state_;
  const bool ok = snap->error.empty();
  char buf[96];
  std::snprintf(buf, sizeof buf, " (%d frames, %.1f s at %d fps)", snap->frames,
                static_cast<double>(snap->frames) / recorder_->fps(), recorder_->fps());
  app.record_message = ok ? "wrote " + recorder_->path() + buf : "record: " + snap->error;
  app.report(app.record_message, !ok);
  rec_result_ = std::make_pair(ok, app.record_message);
  recorder_.reset();
  app.recording.clear();
  rec_due_ = false;
}

bool App::take_recording_result(bool& ok, std::string& message) {
  if (!rec_result_) return false;
  ok = rec_result_->first;
  message = rec_result_->second;
  rec_result_.reset();
  return true;
}

int App::framebuffer_width() const { return static_cast<int>(std::lround(width_ * fb_scale_x_)); }
int App::framebuffer_height() const { return static_cast<int>(std::lround(height_ * fb_scale_y_)); }

void App::build_overlay() {
  if (!recorder_) return;
  ImGuiIO& io = ImGui::GetIO();
  if (!overlay_list_) overlay_list_ = std::make_unique<ImDrawList>(ImGui::GetDrawListSharedData());
  ImDrawList& dl = *overlay_list_;
  dl._ResetForNewFrame();
  dl.PushTextureID(io.Fonts->TexID);
  dl.PushClipRect(ImVec2(0, 0), io.DisplaySize);
  const AppState& app = *state_;
  ImFont* font = app.font ? app.font : ImGui::GetFont();
  char text[64];
  const double seconds = static_cast<double>(rec_k_) / std::max(1, recorder_->fps());
  std::snprintf(text, sizeof text, rec_finishing_ ? "REC  writing…" : "REC  %d:%04.1f", static_cast<int>(seconds) / 60,
                std::fmod(seconds, 60.0));
  const float s = app.dpi_scale, pad = 8.0f * s, r = 6.0f * s;
  const ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text);
  const ImVec2 max(io.DisplaySize.x - pad, pad + ts.y + 2 * pad);
  const ImVec2 min(max.x - ts.x - 3 * pad - 2 * r, pad);
  dl.AddRectFilled(min, max, IM_COL32(0, 0, 0, 200), 4.0f * s);
  dl.AddCircleFilled(ImVec2(min.x + pad + r, (min.y + max.y) / 2), r, IM_COL32(230, 40, 40, 255));
  dl.AddText(font, font->FontSize, ImVec2(min.x + 2 * pad + 2 * r, min.y + pad), IM_COL32(255, 255, 255, 255), text);
  dl.PopClipRect();
  dl.PopTextureID();
  overlay_lists_[0] = &dl;
  overlay_data_.Valid = true;
  overlay_data_.CmdLists = overlay_lists_;
  overlay_data_.CmdListsCount = 1;
  overlay_data_.TotalVtxCount = dl.VtxBuffer.Size;
  overlay_data_.TotalIdxCount = dl.IdxBuffer.Size;
  overlay_data_.DisplayPos = ImVec2(0, 0);
  overlay_data_.DisplaySize = io.DisplaySize;
  overlay_data_.FramebufferScale = io.DisplayFramebufferScale;
}

ImDrawData* App::overlay() { return recorder_ ? &overlay_data_ : nullptr; }

void App::handle_keys(const std::vector<KeyPress>& presses) {
  AppState& app = *state_;
  for (const KeyPress& k : presses) {
    // A field being typed into or a widget held by the mouse owns the keys.
    if (ImGui::GetIO().WantTextInput || GImGui->ActiveId != 0) continue;
    if (k.ctrl || k.alt) {
      if (!app.lecture && app.workspaces.current != kDynamics) workspace_keyboard(app, app.workspaces.current, k);
      continue;
    }
    if (app.lecture && app.deck.active() && lecture_key(app, k)) continue;
    // Lecture mode is the dynamics lab's (a training scene has no keys of its own beyond the deck's).
    workspace_keyboard(app, app.lecture ? kDynamics : app.workspaces.current, k);
  }
}

ExportResult App::export_figure(const std::string& path, Panel panel, bool slides) {
  ImGui::SetCurrentContext(context_);
  return gui::export_figure(*state_, figure_kind_for_panel(*state_, panel), path, slides);
}

bool App::screenshot(const std::string& path, std::string& error) const {
  if (options_.headless) {
    error = "screenshot: a headless App has no pixels (open a window, or use export_figure)";
    return false;
  }
  return save_screenshot(path, static_cast<int>(std::lround(width_ * fb_scale_x_)),
                         static_cast<int>(std::lround(height_ * fb_scale_y_)), error);
}

}  // namespace polarlab::gui
