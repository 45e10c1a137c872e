#include "app/gui/app.hpp"

#include "app/gui/views_common.hpp"
#include "app/widgets/colormap.hpp"

namespace polarlab::gui {

const char* panel_name(Panel p) {
  switch (p) {
    case Panel::scores: return "Scores s";
    case Panel::projections: return "Projections u";
    case Panel::logits: return "Logits a";
    case Panel::loss: return "Loss & entropy";
    case Panel::gamma: return "γ and ∫γ";
    case Panel::bound: return "Bound vs ratio";
    case Panel::potentials: return "Potentials Φ";
    case Panel::singular: return "Singular values";
    case Panel::attention: return "Attention σ(A)";
    default: return "";
  }
}

const char* panel_key(Panel p) {
  static const char* const keys[] = {"scores", "projections", "logits", "loss", "gamma",
                                     "bound", "singular", "potentials", "attention"};
  static_assert(std::size(keys) == static_cast<std::size_t>(kPanelCount));
  return p == Panel::count ? "" : keys[static_cast<int>(p)];
}

Panel panel_from_key(const std::string& key) {
  for (int i = 0; i < kPanelCount; ++i)
    if (key == panel_key(static_cast<Panel>(i))) return static_cast<Panel>(i);
  return Panel::count;
}

const PresetInfo* find_preset(const AppState& app, const std::string& name) {
  for (const PresetInfo& p : app.presets)
    if (p.name == name) return &p;
  return nullptr;
}

ImU32 coord_color(int i, int alpha) {
  return widgets::pack(widgets::series_color(i), static_cast<std::uint8_t>(alpha));
}

std::string coord_label(const char* sym, int i, int winner) {
  std::string s = std::string(sym) + "_" + std::to_string(i);
  if (i == winner) s += " ★";
  return s;
}

bool AppState::apply(const ExperimentConfig& cfg_in, MethodChoice m) {
  ExperimentConfig cfg = cfg_in;
  cfg.method = m == MethodChoice::flow ? Method::flow : Method::gd;
  try {
    // Through JSON and back: the panel's values get exactly the checks (ranges included) the CLI's
    // config files get; validate() alone does not check ranges such as d ≥ 1.
    cfg = config_from_json(config_to_json(cfg));
    validate(cfg);
    std::vector<Run> fresh;
    auto make = [&](const ExperimentConfig& c, const char* tag) {
      Run r;
      r.worker = std::make_unique<Worker>(c, true, speed_mode, speed_value);
      r.tag = tag;
      fresh.push_back(std::move(r));
    };
    make(cfg, cfg.method == Method::flow ? "flow" : "GD");
    if (m == MethodChoice::both) {
      ExperimentConfig f = cfg;
      f.method = Method::flow;
      make(f, "flow");
    }
    runs = std::move(fresh);
    ++restarts;
  } catch (const std::exception& e) {
    // The panel goes back to the running values; the reason names the refused one.
    refused = e.what();
    if (!runs.empty()) {
      draft = edit;
      draft_method = method;
    }
    return false;
  }
  edit = cfg;
  method = m;
  draft = cfg;
  draft_method = m;
  refused.clear();
  pairs_auto = true;
  return true;
}

bool AppState::load_preset(const std::string& name, const nlohmann::json& overrides) {
  try {
    const ExperimentConfig cfg = resolve_preset(name, overrides);
    const MethodChoice m = cfg.method == Method::flow ? MethodChoice::flow : MethodChoice::gd;
    if (!apply(cfg, m)) return false;
    preset = name;
    return true;
  } catch (const std::exception& e) {
    refused = e.what();
    return false;
  }
}

void AppState::play_pause() {
  const bool playing = runs.front().history.snap && runs.front().history.snap->playing;
  for (Run& r : runs) playing ? r.worker->pause() : r.worker->play();
}
void AppState::step() {
  for (Run& r : runs) r.worker->step();
}
void AppState::reset() {
  for (Run& r : runs) r.worker->reset();
}
void AppState::push_speed() {
  for (Run& r : runs) r.worker->set_speed(speed_mode, speed_value);
}

void draw_panel(AppState& app, Panel p) {
  switch (p) {
    case Panel::scores: view_scores(app); break;
    case Panel::projections: view_projections(app); break;
    case Panel::logits: view_logits(app); break;
    case Panel::loss: view_loss(app); break;
    case Panel::gamma: view_gamma(app); break;
    case Panel::bound: view_bound(app); break;
    case Panel::potentials: view_potentials(app); break;
    case Panel::singular: view_singular(app); break;
    case Panel::attention: view_attention(app); break;
    default: break;
  }
}

}  // namespace polarlab::gui
