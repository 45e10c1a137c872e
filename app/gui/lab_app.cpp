#include "app/gui/lab_app.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "app/gui/focus.hpp"
#include "app/gui/retired_workers.hpp"
#include "app/gui/settings.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::gui {

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
  // Glyphs on whole pixels, texels 1:1: the atlas can be sampled GL_NEAREST (font_textures.hpp).
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
  return {};
}

App::App(const AppOptions& options) : options_(options), width_(options.width), height_(options.height) {
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
  app.show.fill(true);
  app.dpi_scale = options_.dpi_scale;
  map_keys(io);
  register_layout_settings(app);
  // Scripted runs (screenshots, tests, bench) neither read nor write the user's layout: reproducible PNGs.
  ini_ = options_.scripted ? std::string() : options_.ini_path;
  io.IniFilename = ini_.empty() ? nullptr : ini_.c_str();
  if (!ini_.empty()) ImGui::LoadIniSettingsFromDisk(ini_.c_str());
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
  MethodChoice method = first.method == Method::flow ? MethodChoice::flow : MethodChoice::gd;
  if (options_.method == "gd") method = MethodChoice::gd;
  if (options_.method == "flow") method = MethodChoice::flow;
  if (options_.method == "both") method = MethodChoice::both;
  if (!app.apply(first, method)) {
    const std::string why = app.refused;
    shutdown();
    ImGui::DestroyContext(context_);
    throw AppError(why);
  }
  app.preset = options_.config.empty() ? options_.preset : std::string();
  if (const std::string err = launch_workspace(app, *workspace_from_key(options_.workspace), options_.launch);
      !err.empty()) {
    shutdown();
    ImGui::DestroyContext(context_);
    throw AppError(err);
  }
}

App::~App() {
  ImGui::SetCurrentContext(context_);
  if (!ini_.empty()) ImGui::SaveIniSettingsToDisk(ini_.c_str());
  shutdown();
  ImGui::DestroyContext(context_);
}

void App::shutdown() {
  if (!state_) return;
  shutdown_workspaces(*state_);  // join the training and ensemble workers too
  state_->runs.clear();          // join the dynamics workers
  retired_workers().join_all();  // and the replaced ones still stopping
}

void App::resize(int width, int height, float fb_scale_x, float fb_scale_y) {
  width_ = std::max(1, width);
  height_ = std::max(1, height);
  fb_scale_x_ = fb_scale_x > 0 ? fb_scale_x : 1.0f;
  fb_scale_y_ = fb_scale_y > 0 ? fb_scale_y : 1.0f;
  idle_frames_ = 0;
}

bool App::take_fullscreen_toggle() { return std::exchange(fullscreen_toggle_, false); }

bool App::frame(double dt, bool force) {
  ImGui::SetCurrentContext(context_);
  AppState& app = *state_;
  bool fresh = !input_.empty();
  for (Run& r : app.runs) {
    auto s = r.worker->snapshot();
    fresh |= !r.history.snap || s->seq != r.history.snap->seq;
    r.history.sync(std::move(s));
  }
  fresh |= poll_workspaces(app);
  retired_workers().poll();
  if (fresh) idle_frames_ = 0;
  // Nothing new from the workers and no input for a few frames: an unchanged screen need not be redrawn.
  if (!force && idle_frames_ >= 3 && frames_ > 0) return false;
  ++idle_frames_;
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
  io.DisplayFramebufferScale = ImVec2(fb_scale_x_, fb_scale_y_);
  io.DeltaTime = static_cast<float>(std::clamp(dt, 1e-4, 1.0));
  const std::vector<KeyPress> presses = input_.apply(io);
  ImGui::NewFrame();
  widgets::text_cache_new_frame();
  focus_new_frame();
  handle_keys(presses);
  draw_frame(app);
  ImGui::Render();
  ++frames_;
  return true;
}

void App::handle_keys(const std::vector<KeyPress>& presses) {
  AppState& app = *state_;
  for (const KeyPress& k : presses) {
    // A field being typed into or a widget held by the mouse owns the keys.
    if (ImGui::GetIO().WantTextInput || GImGui->ActiveId != 0) continue;
    if (k.ctrl || k.alt) {
      if (!app.lecture && app.workspaces.current != kDynamics) workspace_keyboard(app, app.workspaces.current, k);
      continue;
    }
    if (app.lecture || app.workspaces.current == kDynamics) dynamics_key(k);
    else workspace_keyboard(app, app.workspaces.current, k);
  }
}

void App::dynamics_key(const KeyPress& k) {
  AppState& app = *state_;
  // Keys a focused slider or field may mean for itself: after a click on κ, "5" is not preset 5.
  const bool typed = (k.key >= GLFW_KEY_0 && k.key <= GLFW_KEY_9) || (k.key >= GLFW_KEY_A && k.key <= GLFW_KEY_Z) ||
                     k.key == GLFW_KEY_PERIOD || k.key == GLFW_KEY_RIGHT;
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
      app.blank = false;
      return;
    case GLFW_KEY_SPACE: app.play_pause(); return;
    case GLFW_KEY_RIGHT: app.step(); return;
    case GLFW_KEY_R: app.reset(); return;
    case GLFW_KEY_L: app.lecture = !app.lecture; return;
    case GLFW_KEY_F: fullscreen_toggle_ = true; return;
    // Presentation clickers: PageDown/PageUp walk the presets, B or period blanks the screen.
    case GLFW_KEY_PAGE_DOWN: preset_at(current_preset() + 1); return;
    case GLFW_KEY_PAGE_UP: preset_at(current_preset() < 0 ? n_presets - 1 : current_preset() - 1); return;
    case GLFW_KEY_B:
    case GLFW_KEY_PERIOD: app.blank = !app.blank; return;
    default: break;
  }
  if (k.key >= GLFW_KEY_1 && k.key <= GLFW_KEY_9 && k.key - GLFW_KEY_1 < n_presets) preset_at(k.key - GLFW_KEY_1);
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
