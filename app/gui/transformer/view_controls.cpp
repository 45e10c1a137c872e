// The transformer workspace's side panel: device, transport (Start / Pause / Stop) with progress and ETA, and
// the run's settings (spec §7). Settings apply at the next Start: a run of minutes is never restarted by a
// stray click; a draft that fails TrainConfig validation is refused with the reason and Start is disabled.
#include "app/gui/transformer/state.hpp"

#ifdef HAVE_POLARLAB_TRANSFORMER
#include <imgui.h>

#include <cstdio>
#include <fstream>
#include <iomanip>

#include "app/gui/shell/app_state.hpp"
#include "app/widgets/draw_util.hpp"
#include "core/io/atomic_file.hpp"
#include "core/transformer/train_run.hpp"

namespace polarlab::gui {

namespace tf = polarlab::transformer;

namespace {

const ImU32 kRed = IM_COL32(255, 110, 110, 255);

template <class Enum>
bool enum_combo(const char* label, Enum& value, const std::vector<std::string>& names) {
  int i = static_cast<int>(value);
  bool changed = false;
  // The value cut at a character with "…" where the box is narrow (800x600), never at a pixel mid-letter.
  const std::string& full = names[static_cast<std::size_t>(i)];
  const float room = ImGui::CalcItemWidth() - ImGui::GetFrameHeight() - 2 * ImGui::GetStyle().FramePadding.x;
  const std::string shown = widgets::fit_text(full.c_str(), room);
  const bool open = ImGui::BeginCombo(label, shown.c_str());
  if (shown != full && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", full.c_str());
  if (open) {
    for (int k = 0; k < static_cast<int>(names.size()); ++k)
      if (ImGui::Selectable(names[static_cast<std::size_t>(k)].c_str(), k == i)) value = static_cast<Enum>(k), changed = true;
    ImGui::EndCombo();
  }
  return changed;
}

void transport(AppState& app, TransformerState& lab, bool valid) {
  const auto& s = lab.snap;
  const bool active = lab.active();
  const float w = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
  ImGui::BeginDisabled(!valid);
  if (ImGui::Button(active ? "Restart" : "Start", ImVec2(w, 0))) lab.start(*app.jobs);
  ImGui::EndDisabled();
  if (active && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("stop this run and start a new one with the settings below");
  ImGui::SameLine();
  ImGui::BeginDisabled(!active);
  const bool paused = lab.worker && lab.worker->paused();
  if (ImGui::Button(paused ? "Resume" : "Pause", ImVec2(w, 0))) lab.pause_resume();
  ImGui::SameLine();
  if (ImGui::Button("Stop", ImVec2(w, 0))) lab.stop();
  ImGui::EndDisabled();
  if (!s) {
    ImGui::ProgressBar(0.0f, ImVec2(-1, 0), "no run");
    return;
  }
  char buf[160];
  const double frac = s->total > 0 ? static_cast<double>(s->step) / static_cast<double>(s->total) : 0.0;
  if (s->phase == TrainPhase::preparing) std::snprintf(buf, sizeof buf, "preparing data and model…");
  else if (active)
    std::snprintf(buf, sizeof buf, "step %lld / %lld   ETA %s", s->step, s->total, format_duration(s->eta_seconds).c_str());
  else std::snprintf(buf, sizeof buf, "step %lld / %lld   %s", s->step, s->total, phase_name(s->phase));
  ImGui::ProgressBar(static_cast<float>(frac), ImVec2(-1, 0), buf);
  ImGui::Text("%s   %.3g s/step   %s elapsed", paused && active ? "paused" : phase_name(s->phase), s->seconds_per_step,
              format_duration(s->seconds).c_str());
  if (s->parameters > 0)
    ImGui::TextDisabled("%s, %.3g M parameters, %d torch thread%s", s->device.c_str(), s->parameters / 1e6,
                        s->config.threads, s->config.threads == 1 ? "" : "s");
  if (s->rows && !s->rows->empty()) {
    const tf::MetricsRow& r = s->rows->back();
    ImGui::Text("eval loss %.4g   eval accuracy %.3f", r.eval_loss, r.eval_accuracy);
  }
  if (s->phase == TrainPhase::failed) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("run failed: %s", s->error.c_str());
    ImGui::PopStyleColor();
  }
}

void settings(TransformerState& lab) {
  tf::TrainConfig& c = lab.draft;
  const bool induction = c.task == tf::TaskKind::induction;
  static const std::vector<std::string> tasks = {"induction", "classification"};
  static const std::vector<std::string> positionals = {"concat", "add", "no"};
  if (enum_combo("task", c.task, tasks)) {
    // The paper's classification input is a set: no positions, non-causal; its vocabulary is 41.
    c.positional = c.task == tf::TaskKind::induction ? tf::Positional::concat : tf::Positional::none;
    c.vocab = 0;
    c.train_size = 0;
    c.log_every = 0;
  }
  enum_combo("attention", c.attention, tf::attention_names());
  enum_combo("positions", c.positional, positionals);
  ImGui::InputInt("heads", &c.heads);
  ImGui::InputInt("layers", &c.layers);
  if (induction) {
    ImGui::Checkbox("shift query (q = m_r + V)", &c.shift_query);
    ImGui::InputDouble("λ (aux. loss)", &c.aux_weight, 0, 0, "%.3g");
  }
  ImGui::Checkbox("MLP", &c.use_mlp);
  ImGui::SameLine();
  ImGui::Checkbox("LayerNorm", &c.use_layernorm);
}

void optimizer(TransformerState& lab) {
  tf::TrainConfig& c = lab.draft;
  ImGui::InputDouble("η (lr)", &c.lr, 0, 0, "%.3g");
  ImGui::InputDouble("weight decay", &c.weight_decay, 0, 0, "%.3g");
  ImGui::InputInt("seed", &c.seed);
  int budget = lab.budget_in_steps ? 1 : 0;
  // The radio buttons and the number field below share a word, not an ID: same IDs made a click on the field
  // drive the radio button's press logic with no mouse button (an ImGui assertion).
  ImGui::RadioButton("epochs##budget unit", &budget, 0);
  ImGui::SameLine();
  ImGui::RadioButton("steps##budget unit", &budget, 1);
  lab.budget_in_steps = budget == 1;
  if (lab.budget_in_steps) {
    ImGui::InputScalar("steps", ImGuiDataType_S64, &c.steps);
  } else {
    ImGui::InputInt("epochs", &c.epochs);
  }
  tf::TrainConfig r = tf::resolve_defaults(c);
  if (!lab.budget_in_steps) r.steps = 0;
  ImGui::TextDisabled("%lld steps of batch %d (%lld per epoch)", r.total_steps(), r.batch_size, r.steps_per_epoch());
}

void device(TransformerState& lab) {
  tf::TrainConfig& c = lab.draft;
  static const std::vector<std::string> devices = {"auto", "cpu", "cuda"};
  if (ImGui::BeginCombo("device", c.device.c_str())) {
    for (const auto& d : devices)
      if (ImGui::Selectable(d.c_str(), d == c.device)) c.device = d;
    ImGui::EndCombo();
  }
  ImGui::InputInt("torch threads", &c.threads);
  ImGui::TextDisabled("0: auto (%d on this machine)", tf::default_threads());
}

void advanced(TransformerState& lab) {
  tf::TrainConfig& c = lab.draft;
  ImGui::InputInt("d_model", &c.d_model);
  ImGui::InputInt("d_ff", &c.d_ff);
  ImGui::InputInt("vocabulary", &c.vocab);
  ImGui::InputInt("batch", &c.batch_size);
  ImGui::InputInt("train set", &c.train_size);
  ImGui::InputInt("eval set", &c.eval_size);
  ImGui::InputInt("log every", &c.log_every);
  ImGui::TextDisabled("0: the task's default");
}

void files(TransformerState& lab) {
  ImGui::InputText("CSV", lab.csv_path, sizeof lab.csv_path);
  ImGui::BeginDisabled(!lab.snap || !lab.snap->rows || lab.snap->rows->empty());
  if (ImGui::Button("Export metrics CSV")) {
    // metrics.csv of `polarlab-cli train`, from the rows the UI already holds.
    const auto s = lab.snap;
    try {
      write_file_atomically(lab.csv_path, [&](std::ostream& out) {
        out << tf::metrics_header(s->config) << '\n' << std::setprecision(10);
        for (const tf::MetricsRow& r : *s->rows) {
          out << r.step << ',' << r.epoch << ',' << r.train_loss << ',' << r.eval_loss << ',' << r.eval_accuracy << ','
              << r.seconds;
          for (const auto& layer : r.head_scores)
            for (double v : layer) out << ',' << v;
          out << '\n';
        }
      });
      lab.message = "wrote " + std::to_string(s->rows->size()) + " rows to " + lab.csv_path;
    } catch (const std::exception& e) {
      lab.message = std::string("export failed: ") + e.what();
    }
  }
  ImGui::EndDisabled();
  if (!lab.message.empty()) ImGui::TextWrapped("%s", lab.message.c_str());
}

}  // namespace

void transformer_controls(AppState& app, TransformerState& lab) {
  ImGui::PushItemWidth(ImGui::GetContentRegionAvail().x * 0.5f);
  if (!lab.torch) ImGui::TextDisabled("loading libtorch ...");
  else if (lab.torch->available) ImGui::TextDisabled("libtorch %s   CUDA: %s", lab.torch->version.c_str(), lab.torch->cuda ? "available" : "none");
  else ImGui::TextDisabled("libtorch: not available (why: below)");
  // Validate the draft every frame: the reason shows before anyone presses Start. validate() checks each number
  // against the field table's range first (config_table.hpp), so a typed η = -1, inf or batch 0 is refused here
  // with the same words as the train flag and the Python keyword.
  std::string why;
  try {
    tf::TrainConfig c = lab.draft;
    if (!lab.budget_in_steps) c.steps = 0;
    tf::validate(tf::resolve_defaults(c));
    if (lab.torch && !lab.torch->available) why = lab.torch->error;
    else if (c.device == "cuda" && lab.torch && !lab.torch->cuda) why = "device: cuda requested but no CUDA device is available";
  } catch (const std::exception& e) {
    why = e.what();
  }
  // Start refuses only what validate() refuses: once the draft passes, an earlier refusal is no longer true.
  if (why.empty()) lab.refused.clear();
  transport(app, lab, why.empty());
  const std::string& reason = why.empty() ? lab.refused : why;
  // A run that failed for this very reason (cuda asked for on the command line) already says it above.
  const bool said = lab.snap && lab.snap->phase == TrainPhase::failed && lab.snap->error == reason;
  // The refusal has a box of fixed height (a longer reason scrolls inside it, and its tooltip has it whole), so the
  // settings below never move under the pointer when a value is refused or accepted.
  ImGui::Separator();
  ImGui::BeginChild("##refusal", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 3.0f), false);
  if (!reason.empty() && !said) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    ImGui::TextWrapped("refused: %s", reason.c_str());
    ImGui::PopStyleColor();
  } else {
    ImGui::TextDisabled("settings apply at the next Start");
  }
  ImGui::EndChild();
  if (!reason.empty() && !said && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", reason.c_str());
  if (ImGui::CollapsingHeader("Task and model", ImGuiTreeNodeFlags_DefaultOpen)) settings(lab);
  if (ImGui::CollapsingHeader("Optimizer and budget", ImGuiTreeNodeFlags_DefaultOpen)) optimizer(lab);
  if (ImGui::CollapsingHeader("Device", ImGuiTreeNodeFlags_DefaultOpen)) device(lab);
  if (ImGui::CollapsingHeader("Data and sizes")) advanced(lab);
  if (ImGui::CollapsingHeader("Files")) files(lab);
  ImGui::PopItemWidth();
}

}  // namespace polarlab::gui
#endif
