#include "app/gui/shell/app_state.hpp"

#include <filesystem>

#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/colormap.hpp"
#include "core/util/enum_names.hpp"

namespace polarlab::gui {

namespace {
// What a panel's window says.
constexpr EnumName<Panel> kPanelTitles[] = {{Panel::scores, "Scores s"},
                                            {Panel::projections, "Projections u"},
                                            {Panel::logits, "Logits a"},
                                            {Panel::loss, "Loss & entropy"},
                                            {Panel::gamma, "γ and ∫γ"},
                                            {Panel::bound, "Bound vs ratio"},
                                            {Panel::potentials, "Potentials Φ"},
                                            {Panel::singular, "Singular values"},
                                            {Panel::attention, "Attention σ(A)"}};
// How the preset files name a panel.
constexpr EnumName<Panel> kPanelKeys[] = {
    {Panel::scores, "scores"}, {Panel::projections, "projections"}, {Panel::logits, "logits"},
    {Panel::loss, "loss"},     {Panel::gamma, "gamma"},             {Panel::bound, "bound"},
    {Panel::singular, "singular"}, {Panel::potentials, "potentials"}, {Panel::attention, "attention"}};
static_assert(std::size(kPanelTitles) == static_cast<std::size_t>(kPanelCount));
static_assert(std::size(kPanelKeys) == static_cast<std::size_t>(kPanelCount));
}  // namespace

const char* panel_name(Panel p) { return name_of(kPanelTitles, p, ""); }

const char* panel_key(Panel p) { return name_of(kPanelKeys, p, ""); }

Panel panel_from_key(const std::string& key) { return parse_name(kPanelKeys, key).value_or(Panel::count); }

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
    // The experiment table's checks (ranges included), as the CLI's flags and config files get them.
    validate(cfg);
    std::vector<Run> fresh;
    auto make = [&](const ExperimentConfig& c, const char* tag) {
      Run r;
      r.worker = std::make_unique<DynamicsWorker>(*jobs, c, true, speed_mode, speed_value);
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

MethodChoice method_choice(const std::string& name, Method config_method) {
  if (name == "gd") return MethodChoice::gd;
  if (name == "flow") return MethodChoice::flow;
  if (name == "both") return MethodChoice::both;
  return config_method == Method::flow ? MethodChoice::flow : MethodChoice::gd;
}

bool AppState::load_preset(const std::string& name, const nlohmann::json& overrides, const std::string& method) {
  try {
    const ExperimentConfig cfg = resolve_preset(name, overrides);
    if (!apply(cfg, method_choice(method, cfg.method))) return false;
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
void AppState::replay_play_pause() {
  if (runs.empty()) return;
  const ReplayRange r = replay_range(primary().history, replay.start_t, replay.end_t);
  if (!replay.active || (!replay.playing && replay.at_end(r))) return replay_from_start();
  replay.playing = !replay.playing;
  if (replay.playing)
    for (Run& run : runs) run.worker->play();
}

void AppState::replay_from_start() {
  if (runs.empty()) return;
  replay.restart(replay_range(primary().history, replay.start_t, replay.end_t));
  for (Run& run : runs) run.worker->play();
}

void AppState::report(const std::string& text, bool failed) {
  notice = text;
  notice_failed = failed;
  // A failure stays longer: it is the one the user must read (and act on).
  notice_until = clock + (failed ? 8.0 : 5.0);
}

void AppState::step() {
  // A finished (or failed) run has no step left: say so instead of doing nothing silently.
  bool stepped = false;
  for (Run& r : runs) {
    const auto& s = r.history.snap;
    if (s && (s->status.state == RunState::finished || s->status.state == RunState::failed)) continue;
    r.worker->step();
    stepped = true;
  }
  if (!stepped && !runs.empty() && primary().history.snap) {
    const auto& s = primary().history.snap;
    report(std::string("the run has ") + (s->status.state == RunState::failed ? "failed" : "finished") + " at t = " +
               widgets::format_number(s->t, 4) + ": nothing to step; Reset (R) to start again",
           false);
  }
}
void AppState::reset() {
  for (Run& r : runs) r.worker->reset();
}
void AppState::push_speed() {
  for (Run& r : runs) r.worker->set_speed(speed_mode, speed_value);
}

std::string flow_twin_path(const std::string& config_path) {
  const std::filesystem::path p(config_path);
  return (p.parent_path() / (p.stem().string() + "-flow" + p.extension().string())).string();
}

bool is_flow_twin(const ExperimentConfig& gd, const std::string& twin) {
  std::error_code ec;
  if (gd.method != Method::gd || !std::filesystem::exists(twin, ec)) return false;
  try {
    const ExperimentConfig f = config_from_json(read_json_file(twin));
    if (f.method != Method::flow) return false;
    nlohmann::json a = config_to_json(gd), b = config_to_json(f);
    a.erase("method"), b.erase("method");
    return a == b;
  } catch (const std::exception&) {
    return false;  // not a config: not a twin
  }
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
