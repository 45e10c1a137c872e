// The side panel: presets, transport (play, step, reset, speed, run to t), the experiment's settings,
// save/open of the config JSON and CSV export. Every settings change restarts the run; a refused
// change keeps the old run and shows the reason in red.
#include <cmath>
#include <fstream>
#include <sstream>

#include "app/gui/focus.hpp"
#include "app/gui/views_common.hpp"
#include "app/widgets/axis.hpp"
#include "core/experiment/experiment.hpp"
#include "core/io/run_directory.hpp"

#ifdef HAVE_POLARLAB_FIGURE
#include "core/figure/figure.hpp"
#endif

namespace polarlab::gui {

namespace {

bool combo(const char* label, std::string& value, const std::vector<std::string>& items) {
  bool changed = false;
  if (ImGui::BeginCombo(label, value.c_str())) {
    for (const auto& it : items) {
      if (ImGui::Selectable(it.c_str(), it == value)) value = it, changed = true;
    }
    ImGui::EndCombo();
  }
  return changed;
}

// Text fields commit when the user leaves them (or presses Enter), not on every keystroke.
bool input_int(const char* label, long long& v) {
  ImGui::InputScalar(label, ImGuiDataType_S64, &v);
  note_value_widget();
  return ImGui::IsItemDeactivatedAfterEdit();
}
bool input_int(const char* label, Index& v) {
  long long x = v;
  const bool c = input_int(label, x);
  v = static_cast<Index>(x);
  return c;
}
bool input_double(const char* label, double& v, const char* fmt = "%.6g") {
  ImGui::InputDouble(label, &v, 0.0, 0.0, fmt);
  note_value_widget();
  return ImGui::IsItemDeactivatedAfterEdit();
}
bool input_text(const char* label, std::string& s) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%s", s.c_str());
  ImGui::InputText(label, buf, sizeof buf);
  note_value_widget();
  s = buf;
  return ImGui::IsItemDeactivatedAfterEdit();
}

// "0.1, -0.2, 3" → vector; empty text → nullopt.
std::optional<Vec> parse_values(const std::string& text, std::string& error) {
  std::vector<double> v;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.find_first_not_of(" \t") == std::string::npos) continue;
    try {
      std::size_t used = 0;
      v.push_back(std::stod(item, &used));
    } catch (...) {
      error = "not a number: '" + item + "'";
      return std::nullopt;
    }
  }
  if (v.empty()) return std::nullopt;
  return Eigen::Map<Vec>(v.data(), static_cast<Index>(v.size()));
}

void transport(AppState& app) {
  const auto& snap = app.primary().history.snap;
  const bool playing = snap && snap->playing;
  const float w = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  if (ImGui::Button(playing ? "Pause" : "Play", ImVec2(w, 0))) app.play_pause();
  ImGui::SameLine();
  if (ImGui::Button("Step", ImVec2(w, 0))) app.step();
  ImGui::SameLine();
  if (ImGui::Button("Reset", ImVec2(w, 0))) app.reset();

  static const char* modes[] = {"as fast as possible", "records per second", "time units per second"};
  int m = static_cast<int>(app.speed_mode);
  if (ImGui::Combo("speed", &m, modes, 3)) {
    app.speed_mode = static_cast<SpeedMode>(m);
    app.push_speed();
  }
  if (app.speed_mode != SpeedMode::max) {
    ImGui::SliderFloat("rate", &app.speed_value, 1.0f, 100000.0f, "%.0f", ImGuiSliderFlags_Logarithmic);
    note_value_widget();
    if (ImGui::IsItemDeactivatedAfterEdit()) app.push_speed();
  }
  ImGui::InputFloat("##runto", &app.run_to, 0, 0, "%.4g");
  note_value_widget();
  ImGui::SameLine();
  if (ImGui::Button("run to t")) {
    for (Run& r : app.runs) r.worker->run_to(app.run_to);
  }
  if (!snap) return;
  char buf[160];
  std::snprintf(buf, sizeof buf, "t = %s / %s", widgets::format_number(snap->t, 4).c_str(),
                widgets::format_number(snap->info->config.end_time(), 3).c_str());
  ImGui::ProgressBar(static_cast<float>(snap->progress), ImVec2(-1, 0), buf);
  // What each number counts: solver steps (GD iterations, or the flow's accepted Dopri5 steps) and records kept.
  const bool flow = snap->info->config.method == Method::flow;
  ImGui::Text("%s %lld · records %zu · %s/s", flow ? "accepted steps" : "GD steps", static_cast<long long>(snap->steps),
              snap->total_records, widgets::format_number(std::max(0.0, snap->steps_per_second), 3).c_str());
  // One line per run, always there (running, paused, finished or failed), so the controls below never move
  // when a run's state changes under the mouse; a long failure reason is in the tooltip and the status bar.
  for (const Run& r : app.runs) {
    const auto& s = r.history.snap;
    const bool failed = s && s->status.state == RunState::failed;
    const char* state = !s ? "starting" : failed ? "FAILED" : s->status.state == RunState::finished ? "finished"
                                             : s->playing ? "running" : "paused";
    if (failed) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextDisabled("%s: %s", r.tag.c_str(), state);
    if (failed) {
      ImGui::PopStyleColor();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s->status.message.c_str());
    }
    if (s && !s->refused.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("refused: %s", s->refused.c_str());
  }
}

void presets(AppState& app) {
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - 2 * sp) / 3;
  int k = 1;
  for (const PresetInfo& p : app.presets) {
    char label[64];
    std::snprintf(label, sizeof label, "%d  %s", k, p.name.c_str());
    if ((k - 1) % 3 != 0) ImGui::SameLine();
    const bool current = p.name == app.preset;
    if (current) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetColorU32(ImGuiCol_ButtonActive));
    if (ImGui::Button(label, ImVec2(w, 0))) app.load_preset(p.name);
    if (current) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n%s\n%s", p.figure.c_str(), p.description.c_str(), p.theorem.c_str());
    ++k;
  }
  // A preset's own slider (its file's "gui.slider"; fig3: κ, the design matrix's condition number): moving it
  // reloads the preset with that value.
  const PresetInfo* info = find_preset(app, app.preset);
  if (info && info->slider.contains("key")) {
    const nlohmann::json& sl = info->slider;
    const std::string key = sl.value("key", "");
    nlohmann::json cfg = config_to_json(app.draft);
    float v = cfg.contains(key) && cfg[key].is_number() ? cfg[key].get<float>() : sl.value("min", 0.0f);
    const std::string label = sl.value("label", key) + " (" + app.preset + ")";
    ImGui::SliderFloat(label.c_str(), &v, sl.value("min", 0.0f), sl.value("max", 1.0f), "%.2f");
    note_value_widget();
    if (ImGui::IsItemEdited()) {
      try {  // the slider shows the dragged value until the release reloads the preset
        cfg[key] = v;
        app.draft = config_from_json(cfg);
      } catch (const std::exception&) {
      }
    }
    if (ImGui::IsItemDeactivatedAfterEdit()) app.load_preset(app.preset, {{key, v}});
  }
}

void settings(AppState& app) {
  ExperimentConfig& c = app.draft;
  bool commit = false;
  std::string model = model_name(c.model), loss = loss_name(c.loss), map = map_name(c.map);
  if (combo("model", model, model_names())) c.model = *parse_model(model), commit = true;
  if (combo("loss", loss, loss_names())) c.loss = *parse_loss(loss), commit = true;
  if (combo("map", map, map_names())) c.map = *parse_map(map), commit = true;
  const bool tied = c.model == ModelKind::tied, sink = c.model == ModelKind::sink;
  if (tied) {
    commit |= input_int("D", c.d);
    c.p = c.d;
  } else if (sink) {
    commit |= input_int("T (tokens)", c.p);
    commit |= input_int("d (value dim)", c.d);
    if (ImGui::Checkbox("causal mask", &c.causal)) commit = true;
  } else {
    commit |= input_int("d", c.d);
    commit |= input_int("p", c.p);
  }
  if (c.model == ModelKind::regression) {
    commit |= input_int("n (rows of X)", c.n);
    commit |= input_double("κ", c.kappa);
  }
  if (c.loss == LossKind::square) commit |= input_double("c (loss scale)", c.loss_scale);
  static const char* methods[] = {"GD", "gradient flow (Dopri5)", "both side by side"};
  int m = static_cast<int>(app.draft_method);
  if (ImGui::Combo("method", &m, methods, 3)) app.draft_method = static_cast<MethodChoice>(m), commit = true;
  if (app.draft_method != MethodChoice::flow) {
    commit |= input_double("η (lr)", c.lr);
    long long steps = c.steps;
    if (input_int("steps", steps)) c.steps = steps, commit = true;
  }
  if (app.draft_method != MethodChoice::gd) {
    commit |= input_double("t_end", c.t_end);
    commit |= input_double("rtol", c.rtol, "%.1e");
    commit |= input_double("atol", c.atol, "%.1e");
  }
  long long rec = c.records;
  if (input_int("records", rec)) c.records = static_cast<int>(rec), commit = true;
  long long seed = c.seed;
  if (input_int("seed", seed)) c.seed = static_cast<std::uint32_t>(std::max(0LL, seed)), commit = true;

  std::vector<std::string> kinds = {"assumption_3_1", "assumption_3_4", "gaussian", "explicit"};
  if (c.init.kind == InitKind::recipe) kinds.insert(kinds.begin(), "recipe");
  std::string kind = init_kind_name(c.init.kind);
  if (combo("initialization", kind, kinds)) c.init.kind = *parse_init_kind(kind), commit = true;
  if (c.init.kind == InitKind::gaussian || c.init.kind == InitKind::assumption_3_4 ||
      c.init.kind == InitKind::assumption_3_1) {
    commit |= input_double("V scale", c.init.v_scale);
    if (c.init.kind != InitKind::assumption_3_1) {
      commit |= input_double("a scale", c.init.a_scale);
      commit |= input_double("a mean", c.init.a_mean);
    }
  }
  if (ImGui::Checkbox("order by u(0)", &c.init.order_by_u0)) commit = true;
  if (c.init.kind == InitKind::explicit_values) {
    ImGui::TextDisabled("typed values, comma separated (empty: drawn)");
    bool typed = input_text("a(0)", app.typed_a);
    typed |= input_text("target β*", app.typed_beta);
    if (typed) {
      std::string err;
      c.init.a = parse_values(app.typed_a, err);
      c.init.beta_star = parse_values(app.typed_beta, err);
      if (!err.empty()) app.refused = "typed values: " + err;
      else commit = true;
    }
  }
  if (commit) {
    app.preset.clear();
    app.apply(c, app.draft_method);
  }
}

void files(AppState& app) {
  // Relative file names land in the output folder (kept in the settings); messages name absolute paths.
  std::string dir = app.output_dir;
  if (input_text("output folder", dir)) app.output_dir = dir;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("relative names below are written to %s", output_path(app, ".").c_str());
  ImGui::InputText("config", app.config_path, sizeof app.config_path);
  note_value_widget();
  if (ImGui::Button("Save config")) {
    const std::string path = output_path(app, app.config_path);
    std::ofstream f(path);
    f << config_to_json(app.edit).dump(2) << "\n";
    app.message = f ? "saved " + path : "cannot write " + path + " (check the folder exists and is writable)";
  }
  ImGui::SameLine();
  if (ImGui::Button("Open config")) {
    const std::string path = output_path(app, app.config_path);
    try {
      const ExperimentConfig cfg = config_from_json(read_json_file(path));
      if (app.apply(cfg, cfg.method == Method::flow ? MethodChoice::flow : MethodChoice::gd)) {
        app.preset.clear();
        app.message = "opened " + path;
      }
    } catch (const std::exception& e) {
      app.refused = path + ": " + e.what();
    }
  }
  ImGui::InputText("CSV", app.csv_path, sizeof app.csv_path);
  note_value_widget();
  if (ImGui::Button("Export trajectory CSV")) {
    // From the records the UI already holds: export never touches the live solver.
    const History& h = app.primary().history;
    try {
      const Experiment ex = build_experiment(h.info->config);
      std::vector<Record> recs;
      recs.reserve(h.records.size());
      for (const Record* r : h.records) recs.push_back(*r);
      const std::string path = output_path(app, app.csv_path);
      write_trajectory_csv(path, ex, recs);
      app.message = "wrote " + std::to_string(recs.size()) + " records to " + path;
    } catch (const std::exception& e) {
      app.message = std::string("export failed: ") + e.what();
    }
  }
#ifdef HAVE_POLARLAB_FIGURE
  // Publication figure of the whole view, drawn by the same Cairo renderer as `polarlab-cli figure`.
  static char figure_path[512] = "polarlab-figure.pdf";
  static int kind = 0, style = 0;
  ImGui::InputText("figure", figure_path, sizeof figure_path);
  note_value_widget();
  const auto& kinds = figure::figure_kinds();
  ImGui::Combo("kind", &kind, [](void*, int i, const char** out) {
    *out = figure::figure_kinds()[static_cast<std::size_t>(i)].c_str();
    return true;
  }, nullptr, static_cast<int>(kinds.size()));
  ImGui::Combo("style", &style, "paper\0slides\0");
  if (ImGui::Button("Export figure...")) export_figure(app, kinds[static_cast<std::size_t>(kind)], figure_path, style == 1);
  ImGui::SameLine();
  ImGui::TextDisabled("(or right-click a panel)");
#endif
  if (!app.message.empty()) ImGui::TextWrapped("%s", app.message.c_str());
}

}  // namespace

void view_controls(AppState& app) {
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  ImGui::TextDisabled("presets (keys 1-6)");
  presets(app);
  ImGui::Separator();
  transport(app);
  ImGui::Separator();
  if (ImGui::CollapsingHeader("Experiment", ImGuiTreeNodeFlags_DefaultOpen)) settings(app);
  // Below the settings, so a refusal moves nothing the mouse is aiming at. The fields show the running values.
  if (!app.refused.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextWrapped("refused: %s", app.refused.c_str());
    ImGui::PopStyleColor();
  }
  if (ImGui::CollapsingHeader("Files")) files(app);
  if (ImGui::CollapsingHeader("Panels")) {
    for (int i = 0; i < kPanelCount; ++i) ImGui::Checkbox(panel_name(static_cast<Panel>(i)), &app.show[static_cast<std::size_t>(i)]);
    ImGui::Checkbox("lecture mode (L)", &app.lecture);
  }
  ImGui::PopItemWidth();
}

}  // namespace polarlab::gui
