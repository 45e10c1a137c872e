// The side panel: presets, transport (play, step, reset, speed, run to t), the experiment's settings,
// save/open of the config JSON and CSV export. Every settings change restarts the run; a refused
// change keeps the old run and shows the reason in red.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/gui/shell/focus.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/experiment/experiment.hpp"
#include "core/experiment/fields.hpp"
#include "core/io/atomic_file.hpp"
#include "core/io/run_directory.hpp"

#ifdef HAVE_POLARLAB_FIGURE
#include "core/figure/figure.hpp"
#endif

namespace polarlab::gui {

namespace {

// A combo's value in the words that fit its box (a narrow window cut "records per second" to "records per seconc",
// which reads as a typo): the full words, else the brief form, else the words cut at a character with "…".
std::string fitting(const std::string& full, const std::string& brief = {}) {
  const float room = ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2 * ImGui::GetStyle().FramePadding.x;
  if (ImGui::CalcTextSize(full.c_str()).x <= room) return full;
  if (!brief.empty() && ImGui::CalcTextSize(brief.c_str()).x <= room) return brief;
  return widgets::fit_text(brief.empty() ? full.c_str() : brief.c_str(), room);
}

bool combo(const char* label, std::string& value, const std::vector<std::string>& items) {
  bool changed = false;
  const std::string shown = fitting(value);
  const bool open = ImGui::BeginCombo(label, shown.c_str());
  if (ImGui::IsItemHovered() && shown != value) ImGui::SetTooltip("%s", value.c_str());
  note_item(label, shown);
  if (open) {
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
  note_item(label);
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
  note_item(label);
  return ImGui::IsItemDeactivatedAfterEdit();
}
bool input_text(const char* label, std::string& s) {
  char buf[1024];
  std::snprintf(buf, sizeof buf, "%s", s.c_str());
  ImGui::InputText(label, buf, sizeof buf);
  note_value_widget();
  note_item(label);
  s = buf;
  return ImGui::IsItemDeactivatedAfterEdit();
}

bool checkbox(const char* label, bool& v) {
  const bool changed = ImGui::Checkbox(label, &v);
  note_item(label);
  return changed;
}
bool button(const char* label, ImVec2 size = ImVec2(0, 0)) {
  const bool pressed = ImGui::Button(label, size);
  note_item(label);
  return pressed;
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
  note_item("Play");  // one control, whichever it says
  ImGui::SameLine();
  if (button("Step", ImVec2(w, 0))) app.step();
  ImGui::SameLine();
  if (button("Reset", ImVec2(w, 0))) app.reset();

  static const char* modes[] = {"as fast as possible", "records per second", "time units per second"};
  static const char* briefs[] = {"fastest", "records/s", "time units/s"};
  const int m = static_cast<int>(app.speed_mode);
  const std::string shown = fitting(modes[m], briefs[m]);
  if (ImGui::BeginCombo("speed", shown.c_str())) {
    for (int k = 0; k < 3; ++k)
      if (ImGui::Selectable(modes[k], k == m) && k != m) {
        app.speed_mode = static_cast<SpeedMode>(k);
        app.push_speed();
      }
    ImGui::EndCombo();
  }
  note_item("speed", shown);
  // Always there (greyed out as fast as possible), so the mode moves nothing below it.
  ImGui::BeginDisabled(app.speed_mode == SpeedMode::max);
  ImGui::SliderFloat("rate", &app.speed_value, 1.0f, 100000.0f, "%.0f", ImGuiSliderFlags_Logarithmic);
  note_value_widget();
  note_item("rate");
  if (ImGui::IsItemDeactivatedAfterEdit()) app.push_speed();
  ImGui::EndDisabled();
  ImGui::InputFloat("##runto", &app.run_to, 0, 0, "%.4g");
  note_value_widget();
  note_item("##runto");
  ImGui::SameLine();
  if (button("run to t")) {
    for (Run& r : app.runs) r.worker->run_to(app.run_to);
  }
  // The progress and counter lines are there before the first snapshot too (a new run has none for a frame or
  // two), so loading a preset moves nothing below them.
  // They are of the moment the panels show (the last record drawn: the replay's cursor, or the latest live), as
  // the status bar is; a replay says so instead of the solver's rate.
  const History& hist = app.primary().history;
  const double shown_t = hist.now_t();
  const double end_t = snap ? snap->info->config.end_time() : 0.0;
  char buf[160] = "starting";
  if (snap) {
    std::snprintf(buf, sizeof buf, "%st = %s / %s", app.replay.active ? "replay " : "",
                  widgets::format_number(shown_t, 4).c_str(), widgets::format_number(end_t, 3).c_str());
    note_shown_t(app, "side panel", shown_t);
  }
  ImGui::ProgressBar(snap && end_t > 0.0 ? static_cast<float>(std::clamp(shown_t / end_t, 0.0, 1.0)) : 0.0f,
                     ImVec2(-1, 0), buf);
  // What each number counts: solver steps (GD iterations, or the flow's accepted Dopri5 steps) and records kept.
  if (snap) {
    const bool flow = snap->info->config.method == Method::flow;
    const Record* shown = hist.now();
    // A GD record carries its update count; the flow's accepted steps are the solver's so far (live only).
    char steps[64] = "";
    if (!flow) std::snprintf(steps, sizeof steps, "GD steps %lld · ", static_cast<long long>(shown ? shown->step : 0));
    else if (!app.replay.active) std::snprintf(steps, sizeof steps, "accepted steps %lld · ", static_cast<long long>(snap->steps));
    if (app.replay.active) ImGui::Text("%srecords %zu of %zu", steps, hist.size(), hist.records.size());
    else ImGui::Text("%srecords %zu · %s/s", steps, hist.size(),
                     widgets::format_number(std::max(0.0, snap->steps_per_second), 3).c_str());
  } else {
    ImGui::TextDisabled("no steps yet");
  }
  // One line per run, always there (running, paused, finished or failed), so the controls below never move
  // when a run's state changes under the mouse; a long failure reason is in the tooltip and the status bar.
  // Two lines whatever the method: "both" adds the flow's line without moving the settings.
  for (std::size_t k = 0; k < 2; ++k) {
    if (k >= app.runs.size()) {
      ImGui::TextDisabled(" ");
      continue;
    }
    const Run& r = app.runs[k];
    const auto& s = r.history.snap;
    const bool failed = s && s->status.state == RunState::failed;
    const char* state = !s ? "starting" : failed ? "FAILED" : s->status.state == RunState::finished ? "finished"
                                             : s->playing ? "running" : "paused";
    if (failed) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    // In a replay the panels show an earlier moment: this line is the solver's, and says so.
    ImGui::TextDisabled(app.replay.active ? "%s solver: %s" : "%s: %s", r.tag.c_str(), state);
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
    if (button(label, ImVec2(w, 0))) app.load_preset(p.name);
    if (current) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\n%s\n%s", p.figure.c_str(), p.description.c_str(), p.theorem.c_str());
    ++k;
  }
  // A preset's own slider (its file's "gui.slider"; fig3: κ, the design matrix's condition number): moving it
  // reloads the preset with that value.
  // Its row is there for every preset (empty without a slider), so loading one moves no control below.
  const PresetInfo* info = find_preset(app, app.preset);
  if (!info || !info->slider.contains("key")) ImGui::Dummy(ImVec2(1.0f, ImGui::GetFrameHeight()));
  if (info && info->slider.contains("key")) {
    const nlohmann::json& sl = info->slider;
    const std::string key = sl.value("key", "");
    const ExperimentField* field = experiment_field(key);
    const nlohmann::json now = field ? field_value(*field, app.draft) : nlohmann::json();
    float v = now.is_number() ? now.get<float>() : sl.value("min", 0.0f);
    const std::string label = sl.value("label", key) + " (" + app.preset + ")";
    ImGui::SliderFloat(label.c_str(), &v, sl.value("min", 0.0f), sl.value("max", 1.0f), "%.2f");
    note_value_widget();
    if (ImGui::IsItemEdited()) {
      // The slider shows the dragged value until the release reloads the preset.
      if (field) set_field_value(*field, app.draft, static_cast<double>(v));
    }
    if (ImGui::IsItemDeactivatedAfterEdit()) app.load_preset(app.preset, {{key, v}});
  }
}

// The rows every configuration has come first, in fixed places: rows that only some losses or methods use are
// greyed out rather than removed, and the model's and the initialization's own rows come after all of them in a
// reserved block, so choosing a preset, a loss or a method moves no control that was on screen before.
void settings(AppState& app) {
  ExperimentConfig& c = app.draft;
  bool commit = false;
  std::string model = model_name(c.model), loss = loss_name(c.loss), map = map_name(c.map);
  if (combo("model", model, model_names())) c.model = *parse_model(model), commit = true;
  if (combo("loss", loss, loss_names())) c.loss = *parse_loss(loss), commit = true;
  ImGui::BeginDisabled(c.loss != LossKind::square);  // the square loss's scale only
  commit |= input_double("c (loss scale)", c.loss_scale);
  ImGui::EndDisabled();
  if (combo("map", map, map_names())) c.map = *parse_map(map), commit = true;
  static const char* methods[] = {"GD", "gradient flow (Dopri5)", "both side by side"};
  static const char* method_briefs[] = {"GD", "flow (Dopri5)", "both"};
  const int m = static_cast<int>(app.draft_method);
  const std::string method_shown = fitting(methods[m], method_briefs[m]);
  if (ImGui::BeginCombo("method", method_shown.c_str())) {
    for (int k = 0; k < 3; ++k)
      if (ImGui::Selectable(methods[k], k == m) && k != m) app.draft_method = static_cast<MethodChoice>(k), commit = true;
    ImGui::EndCombo();
  }
  note_item("method", method_shown);
  ImGui::BeginDisabled(app.draft_method == MethodChoice::flow);  // GD's
  commit |= input_double("η (lr)", c.lr);
  long long steps = c.steps;
  if (input_int("steps", steps)) c.steps = steps, commit = true;
  ImGui::EndDisabled();
  ImGui::BeginDisabled(app.draft_method == MethodChoice::gd);  // the flow's
  commit |= input_double("t_end", c.t_end);
  commit |= input_double("rtol", c.rtol, "%.1e");
  commit |= input_double("atol", c.atol, "%.1e");
  ImGui::EndDisabled();
  // Integers that the config stores narrower are checked against the table's range before they are narrowed
  // (a seed of 2³² or −1 is refused with the reason, never wrapped).
  auto narrow = [&](const char* field, long long typed, auto& member) {
    try {
      check_field_value(*experiment_field(field), typed, field);
      member = static_cast<std::remove_reference_t<decltype(member)>>(typed);
      commit = true;
    } catch (const ConfigError& e) {
      app.refused = e.what();
    }
  };
  long long rec = c.records;
  if (input_int("records", rec)) narrow("records", rec, c.records);
  long long seed = c.seed;
  if (input_int("seed", seed)) narrow("seed", seed, c.seed);
  std::vector<std::string> kinds = {"assumption_3_1", "assumption_3_4", "gaussian", "explicit"};
  if (c.init.kind == InitKind::recipe) kinds.insert(kinds.begin(), "recipe");
  std::string kind = init_kind_name(c.init.kind);
  if (combo("initialization", kind, kinds)) c.init.kind = *parse_init_kind(kind), commit = true;
  if (checkbox("order by u(0)", c.init.order_by_u0)) commit = true;

  // The reserved block: at most 4 rows of sizes (regression: d, p, n, κ) and 3 of initial values.
  const float block_top = ImGui::GetCursorPosY();
  const float block_h = 7 * ImGui::GetFrameHeightWithSpacing();
  const bool tied = c.model == ModelKind::tied, sink = c.model == ModelKind::sink;
  if (tied) {
    commit |= input_int("D", c.d);
    c.p = c.d;
  } else if (sink) {
    commit |= input_int("T (tokens)", c.p);
    commit |= input_int("d (value dim)", c.d);
    if (checkbox("causal mask", c.causal)) commit = true;
  } else {
    commit |= input_int("d", c.d);
    commit |= input_int("p", c.p);
  }
  if (c.model == ModelKind::regression) {
    commit |= input_int("n (rows of X)", c.n);
    commit |= input_double("κ", c.kappa);
  }
  if (c.init.kind == InitKind::gaussian || c.init.kind == InitKind::assumption_3_4 ||
      c.init.kind == InitKind::assumption_3_1) {
    commit |= input_double("V scale", c.init.v_scale);
    if (c.init.kind != InitKind::assumption_3_1) {
      commit |= input_double("a scale", c.init.a_scale);
      commit |= input_double("a mean", c.init.a_mean);
    }
  }
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
  const float used = ImGui::GetCursorPosY() - block_top;
  if (used < block_h) ImGui::SetCursorPosY(block_top + block_h);
  if (commit) {
    app.preset.clear();
    app.apply(c, app.draft_method);
  }
}

// An action's result in the Files section (red when it failed) and in the status bar, where it is seen when this
// section is scrolled away.
void files_result(AppState& app, const std::string& text, bool failed) {
  app.message = text;
  app.message_failed = failed;
  app.report(text, failed);
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
    try {
      write_file_atomically(path, [&](std::ostream& f) { f << config_to_json(app.edit).dump(2) << "\n"; });
      const std::string twin = flow_twin_path(path);
      if (app.method == MethodChoice::both) {
        ExperimentConfig flow = app.edit;
        flow.method = Method::flow;
        write_file_atomically(twin, [&](std::ostream& f) { f << config_to_json(flow).dump(2) << "\n"; });
        files_result(app, "saved " + path + " (GD) and " + twin + " (flow): Open reads the pair back as both", false);
      } else {
        // A twin left by an earlier "both" save of this config would open as both: this save says one method.
        if (is_flow_twin(app.edit, twin)) std::filesystem::remove(twin);
        files_result(app, "saved " + path, false);
      }
    } catch (const std::exception& e) {
      files_result(app, std::string("save failed: ") + e.what(), true);
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Open config")) {
    const std::string path = output_path(app, app.config_path);
    try {
      const ExperimentConfig cfg = config_from_json(read_json_file(path));
      const MethodChoice m = cfg.method == Method::flow           ? MethodChoice::flow
                             : is_flow_twin(cfg, flow_twin_path(path)) ? MethodChoice::both
                                                                       : MethodChoice::gd;
      if (app.apply(cfg, m)) {
        app.preset.clear();
        files_result(app, "opened " + path, false);
      } else {
        files_result(app, "cannot open " + path + ": " + app.refused, true);
      }
    } catch (const std::exception& e) {
      files_result(app, "cannot open " + path + ": " + e.what(), true);
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
      files_result(app, "wrote " + std::to_string(recs.size()) + " records to " + path, false);
    } catch (const std::exception& e) {
      files_result(app, std::string("export failed: ") + e.what(), true);
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
  if (!app.message.empty()) {
    if (app.message_failed) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextWrapped("%s", app.message.c_str());
    if (app.message_failed) ImGui::PopStyleColor();
  }
}

}  // namespace

void view_controls(AppState& app) {
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  ImGui::TextDisabled("presets (keys 1-6)");
  presets(app);
  ImGui::Separator();
  transport(app);
  ImGui::Separator();
  const bool experiment_open = ImGui::CollapsingHeader("Experiment", ImGuiTreeNodeFlags_DefaultOpen);
  note_item("Experiment");
  if (experiment_open) settings(app);
  // Below the settings, so a refusal moves nothing the mouse is aiming at. The fields show the running values.
  if (!app.refused.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 110, 110, 255));
    ImGui::TextWrapped("refused: %s", app.refused.c_str());
    ImGui::PopStyleColor();
  }
  const bool files_open = ImGui::CollapsingHeader("Files");
  note_item("Files");
  if (files_open) files(app);
  const bool panels_open = ImGui::CollapsingHeader("Panels");
  note_item("Panels");
  if (panels_open) {
    for (int i = 0; i < kPanelCount; ++i) ImGui::Checkbox(panel_name(static_cast<Panel>(i)), &app.show[static_cast<std::size_t>(i)]);
    ImGui::Checkbox("lecture mode (L)", &app.lecture);
  }
  ImGui::PopItemWidth();
}

}  // namespace polarlab::gui
