#include "app/gui/lecture/deck.hpp"

#include "app/gui/transformer/flags.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include "app/gui/shell/app_state.hpp"
#include "app/widgets/axis.hpp"

#ifdef HAVE_POLARLAB_TRANSFORMER
#include "app/gui/transformer/state.hpp"
#include "core/transformer/config.hpp"
#endif

namespace polarlab::gui {

namespace {

std::optional<WorkspaceId> transformer_workspace() { return workspace_from_key("transformer"); }

double config_value(const AppState& app, const std::string& key, double fallback) {
  const nlohmann::json cfg = config_to_json(app.edit);
  return cfg.contains(key) && cfg[key].is_number() ? cfg[key].get<double>() : fallback;
}

}  // namespace

lecture::Vocabulary lecture_vocabulary() {
  lecture::Vocabulary v;
  v.presets = preset_names();
  for (int i = 0; i < kPanelCount; ++i) v.panels.push_back(panel_key(static_cast<Panel>(i)));
#ifdef HAVE_POLARLAB_TRANSFORMER
  v.attentions = transformer::attention_names();
#endif
  return v;
}

std::string check_lecture_script(const std::string& path) {
  AppState probe;
  return load_lecture_script(probe, path) ? std::string() : probe.deck.error;
}

bool load_lecture_script(AppState& app, const std::string& path) {
#ifndef HAVE_POLARLAB_LECTURE
  app.deck.error = path + ": this build cannot read lecture scripts (it needs yaml-cpp: apt install libyaml-cpp-dev, "
                          "then rebuild)";
  return false;
#endif
  try {
    lecture::Script s = lecture::read_script(path, lecture_vocabulary());
    app.deck.path = s.path;
    app.deck.title = s.title;
    app.deck.scenes = std::move(s.scenes);
    app.deck.current = -1;
    app.deck.error.clear();
    return true;
  } catch (const std::exception& e) {
    app.deck.error = e.what();
    return false;
  }
}

bool lecture_training_scene(const AppState& app) {
  const lecture::Scene* sc = app.deck.scene();
  return app.lecture && sc && sc->workspace == "transformer";
}

std::optional<bool> lecture_training_done(const AppState& app) {
  if (!lecture_training_scene(app)) return std::nullopt;
#ifdef HAVE_POLARLAB_TRANSFORMER
  const TransformerState* lab = transformer_lab(app);
  if (!lab || !lab->worker) return true;  // nothing trains (a failed start): nothing to wait for
  return lab->worker->ended();
#else
  return true;
#endif
}

void go_to_scene(AppState& app, int n, bool restart) {
  LectureDeck& deck = app.deck;
  if (deck.scenes.empty()) return;
  n = std::clamp(n, 0, static_cast<int>(deck.scenes.size()) - 1);
  deck.current = n;
  const lecture::Scene& sc = deck.scenes[static_cast<std::size_t>(n)];
  app.lecture = true;
  app.blank = false;
  app.key_hint.clear();
  app.replay.pace = deck.pace > 0.0 ? deck.pace : sc.pace;
  app.replay.start_t = sc.start_t;
  app.replay.end_t = sc.end_t;
  if (sc.workspace == "transformer") {
    const auto w = transformer_workspace();
    if (!w) return;
    WorkspaceLaunch launch;
#ifdef HAVE_POLARLAB_TRANSFORMER
    // The tiny model trains once; coming back to the scene shows where it got to.
    const TransformerState* lab = transformer_lab(app);
    if (!lab || !lab->worker || restart) {
      launch = default_launch();
      TransformerFlags& train = *launch.get<TransformerFlags>();
      train.train_steps = sc.train_steps;
      train.train_tiny = sc.train_tiny;
      train.train_task = sc.train_task;
      train.train_attention = sc.train_attention;
    }
#endif
    if (std::string err = launch_workspace(app, *w, launch); !err.empty()) deck.error = err;
    return;
  }
  if (app.workspaces.current != kDynamics) launch_workspace(app, kDynamics, {});
  deck.overrides = sc.overrides;
  // A new run: the App restarts the replay from the scene's start (shell/app.cpp).
  if (!app.load_preset(sc.preset, deck.overrides, sc.method))
    deck.error = deck.path + ":" + std::to_string(sc.line) + ": scene " + std::to_string(n + 1) + ": " + app.refused;
}

std::optional<lecture::Parameter> current_parameter(const AppState& app) {
  if (const lecture::Scene* sc = app.deck.scene()) {
    if (sc->workspace != "dynamics") return std::nullopt;
    if (sc->parameter) return sc->parameter;
  }
  const PresetInfo* info = find_preset(app, app.preset);
  if (!info || !info->slider.contains("key")) return std::nullopt;
  lecture::Parameter p;
  p.key = info->slider.value("key", "");
  p.label = info->slider.value("label", p.key);
  p.min = info->slider.value("min", 0.0);
  p.max = info->slider.value("max", 1.0);
  p.step = info->slider.value("step", 1.0);
  return p;
}

bool change_parameter(AppState& app, int direction) {
  const auto p = current_parameter(app);
  if (!p) {
    app.key_hint = "↑/↓ change a preset's parameter (fig3: κ); " + (app.preset.empty() ? std::string("this run") : app.preset) +
                   " has none";
    if (app.lecture) confirm_key(app, (app.preset.empty() ? std::string("this run") : app.preset) + " has no parameter");
    return false;
  }
  const double now = config_value(app, p->key, p->min);
  const double next = std::clamp(now + direction * p->step, p->min, p->max);
  if (next == now) {
    app.key_hint = p->label + " is at its " + (direction > 0 ? "maximum " : "minimum ") + widgets::format_number(now, 3);
    if (app.lecture) confirm_key(app, app.key_hint);  // lecture mode shows no hint line
    return false;
  }
  nlohmann::json over = app.deck.scene() ? app.deck.overrides : nlohmann::json::object();
  over[p->key] = next;
  const std::string method = app.deck.scene() ? app.deck.scene()->method : std::string();
  if (!app.load_preset(app.preset, over, method)) return false;
  if (app.deck.scene()) app.deck.overrides = over;
  app.key_hint.clear();
  confirm_key(app, parameter_caption(app) + ": rerun");
  return true;
}

std::string parameter_caption(const AppState& app) {
  const auto p = current_parameter(app);
  if (!p) return {};
  return p->label + " = " + widgets::format_number(config_value(app, p->key, p->min), 3);
}

void confirm_key(AppState& app, const std::string& text) {
  app.confirm = text;
  app.confirm_until = app.clock + 1.5;  // seconds: long enough to read, short enough not to stay on the slide
}

void draw_key_confirmation(const AppState& app) {
  if (app.confirm.empty() || app.clock >= app.confirm_until) return;
  ImFont* font = app.font_large ? app.font_large : ImGui::GetFont();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const ImVec2 ts = font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, app.confirm.c_str());
  const float pad = 10.0f * app.dpi_scale;
  const ImVec2 max(vp->Pos.x + vp->Size.x - pad, vp->Pos.y + pad + ts.y + 2 * pad);
  const ImVec2 min(std::max(vp->Pos.x + pad, max.x - ts.x - 2 * pad), vp->Pos.y + pad);
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  dl->AddRectFilled(min, max, IM_COL32(20, 24, 32, 235), 6.0f * app.dpi_scale);
  dl->AddRect(min, max, IM_COL32(140, 220, 255, 255), 6.0f * app.dpi_scale);
  dl->AddText(font, font->FontSize, ImVec2(min.x + pad, min.y + pad), IM_COL32(255, 255, 255, 255), app.confirm.c_str());
}

}  // namespace polarlab::gui
