// Live curves of the training run: train and eval loss, eval accuracy, and each head's sink score
// (induction) or CLS concentration (classification) against the optimizer step.
#include "app/gui/transformer/state.hpp"

#ifdef HAVE_POLARLAB_TRANSFORMER
#include <imgui.h>

#include <cstdio>
#include <string>
#include <vector>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/lecture/deck.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/plot.hpp"
#include "core/observe/sink_score.hpp"

namespace polarlab::gui {

namespace {

// Columns of the rows, rebuilt only when the row count changes (rows only ever grow within a run).
struct Columns {
  const void* source = nullptr;
  std::size_t n = 0;
  std::vector<double> step, train_loss, eval_loss, accuracy;
  std::vector<std::vector<double>> head;  // [layer * H + head][row]
  std::vector<std::string> head_labels;
};

void rebuild(Columns& c, const std::vector<transformer::MetricsRow>& rows) {
  if (c.source == &rows && c.n == rows.size()) return;
  c = Columns{};
  c.source = &rows;
  c.n = rows.size();
  for (const auto& r : rows) {
    c.step.push_back(static_cast<double>(r.step));
    c.train_loss.push_back(r.train_loss);
    c.eval_loss.push_back(r.eval_loss);
    c.accuracy.push_back(r.eval_accuracy);
    std::size_t k = 0;
    for (std::size_t l = 0; l < r.head_scores.size(); ++l)
      for (std::size_t h = 0; h < r.head_scores[l].size(); ++h, ++k) {
        if (c.head.size() <= k) {
          c.head.emplace_back();
          char label[48];
          std::snprintf(label, sizeof label, "L%zuH%zu", l + 1, h + 1);
          c.head_labels.emplace_back(label);
        }
        c.head[k].push_back(r.head_scores[l][h]);
      }
  }
}

}  // namespace

void view_transformer_curves(AppState& app, TransformerState& lab, float height) {
  static Columns cols;
  static const std::vector<transformer::MetricsRow> none;
  const auto& s = lab.snap;
  rebuild(cols, s && s->rows ? *s->rows : none);
  const bool induction = !s || s->config.task == transformer::TaskKind::induction;
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - 2 * sp) / 3;
  const ImGuiWindowFlags fl = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  const float lw = line_width(app);

  ImGui::BeginChild("tf_loss", ImVec2(w, height), true, fl);
  {
    widgets::PlotOptions o = step_plot_options("loss (cross-entropy)", true);
    widgets::Plot p("tf_loss_plot", o);
    p.line("train", cols.step.data(), cols.train_loss.data(), cols.n, {coord_color(0), lw});
    p.line("eval", cols.step.data(), cols.eval_loss.data(), cols.n, {coord_color(1), lw});
    if (cols.n == 0) p.note("waiting for the first logged step");
    p.end();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("tf_acc", ImVec2(w, height), true, fl);
  {
    widgets::PlotOptions o = step_plot_options(induction ? "eval accuracy (final position)" : "eval accuracy", false);
    // A narrow panel (the lecture's large font at 1024x768) gets the short form rather than a title cut with "…".
    if (ImGui::CalcTextSize(o.title).x > ImGui::GetContentRegionAvail().x - ImGui::GetFontSize()) o.title = "eval accuracy";
    widgets::Plot p("tf_acc_plot", o);
    p.line("eval accuracy", cols.step.data(), cols.accuracy.data(), cols.n, {coord_color(2), lw});
    if (!cols.accuracy.empty()) p.note("now " + widgets::format_number(cols.accuracy.back(), 3));
    p.end();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("tf_heads", ImVec2(w, height), true, fl);
  {
    widgets::PlotOptions o = step_plot_options(induction ? "sink score per head" : "CLS concentration per head", false);
    o.legend = cols.head.size() <= 16;
    widgets::Plot p("tf_heads_plot", o);
    const int heads = s ? s->config.heads : 1;
    const int layers = s ? s->config.layers : 1;
    // A lecture's legend names the layers, not the eight heads: one entry per layer, "solid"/"dashed" spelled out
    // (the audience cannot hover for a readout).
    const bool by_layer = lecture_training_scene(app) && layers > 1;
    std::vector<std::string> layer_labels;
    for (int l = 0; l < layers; ++l)
      layer_labels.push_back("layer " + std::to_string(l + 1) + (l < layers - 1 ? ": dashed" : ": solid"));
    for (std::size_t k = 0; k < cols.head.size(); ++k) {
      // Colour by head, dashed for every layer but the last (the paper's sinks form in layer 2).
      const int layer = static_cast<int>(k) / std::max(heads, 1);
      widgets::LineStyle st{coord_color(static_cast<int>(k) % std::max(heads, 1)), lw, layer < layers - 1};
      const char* label = cols.head_labels[k].c_str();
      if (by_layer)
        label = static_cast<int>(k) % std::max(heads, 1) == 0 && layer < layers ? layer_labels[static_cast<std::size_t>(layer)].c_str()
                                                                              : nullptr;
      p.line(label, cols.step.data(), cols.head[k].data(), cols.n, st);
    }
    if (induction) p.hline(kSinkThreshold, IM_COL32(255, 255, 255, 70));
    if (by_layer) p.note("colour: head");
    else if (s && s->config.layers > 1) p.note("dashed: layers before the last");
    p.end();
  }
  ImGui::EndChild();
}

}  // namespace polarlab::gui
#endif
