// One run of the sweep, read from runs/<id>/: its set-up and status (the error of a failed run), its curves from
// metrics.csv (loss, accuracy, head scores against the step) and the layers × heads attention maps of its
// attention.json, drawn by the transformer lab's draw_attention_grid. A missing or broken file is named; the rest
// of the run is still shown.
#include "app/gui/sweeps/state.hpp"

#ifdef HAVE_POLARLAB_SWEEP
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/dynamics/views_common.hpp"
#include "app/widgets/labelled_heatmap.hpp"
#include "app/widgets/plot.hpp"
#include "core/observe/sink_score.hpp"

namespace polarlab::gui {

namespace {
const ImU32 kRed = IM_COL32(255, 110, 110, 255);
const ImU32 kAmber = IM_COL32(240, 200, 90, 255);

// A run of a few steps may have logged one or two rows: mark the points so they are visible.
void points(widgets::Plot& p, const std::vector<double>& x, const std::vector<double>& y, ImU32 color) {
  if (x.size() > 2) return;
  for (std::size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (std::isfinite(y[i])) p.marker(x[i], y[i], color, 3.0f);
}

void run_curves(AppState& app, const RunDetail& r, float height) {
  const MetricsTable& m = r.metrics;
  const int step = m.column("step");
  if (step < 0 || m.size() == 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
    ImGui::TextWrapped("no curves: %s", r.metrics_error.empty() ? "metrics.csv has no rows yet" : r.metrics_error.c_str());
    ImGui::PopStyleColor();
    return;
  }
  const auto& x = m.values[static_cast<std::size_t>(step)];
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  const float w = (ImGui::GetContentRegionAvail().x - 2 * sp) / 3;
  const ImGuiWindowFlags fl = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
  const float lw = line_width(app);
  auto col = [&](const char* name) -> const std::vector<double>* {
    const int c = m.column(name);
    return c < 0 ? nullptr : &m.values[static_cast<std::size_t>(c)];
  };
  ImGui::BeginChild("sw_loss", ImVec2(w, height), true, fl);
  {
    widgets::PlotOptions o = step_plot_options("loss", true);
    widgets::Plot p("sw_loss_plot", o);
    int k = 0;
    for (const char* name : {"train_loss", "eval_loss"}) {
      if (const auto* y = col(name)) {
        p.line(name, x.data(), y->data(), x.size(), {coord_color(k), lw});
        points(p, x, *y, coord_color(k));
      }
      ++k;
    }
    p.end();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("sw_acc", ImVec2(w, height), true, fl);
  {
    widgets::PlotOptions o = step_plot_options("eval accuracy", false);
    widgets::Plot p("sw_acc_plot", o);
    if (const auto* y = col("eval_accuracy")) {
      p.line("eval accuracy", x.data(), y->data(), x.size(), {coord_color(2), lw});
      points(p, x, *y, coord_color(2));
      if (!y->empty()) p.note("final " + widgets::format_number(y->back(), 3));
    }
    p.end();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  ImGui::BeginChild("sw_heads", ImVec2(w, height), true, fl);
  {
    widgets::PlotOptions o = step_plot_options(r.induction ? "sink score per head" : "CLS concentration per head", false);
    const std::string prefix = r.induction ? "sink_l" : "concentration_l";
    std::vector<std::pair<std::string, int>> heads;  // label, column
    int layers = 0, per_layer = 0;
    for (std::size_t c = 0; c < m.columns.size(); ++c) {
      int l = 0, h = 0;
      if (m.columns[c].rfind(prefix, 0) == 0 &&
          std::sscanf(m.columns[c].c_str() + prefix.size(), "%d_h%d", &l, &h) == 2) {
        heads.push_back({"L" + std::to_string(l + 1) + "H" + std::to_string(h + 1), static_cast<int>(c)});
        layers = std::max(layers, l + 1);
        per_layer = std::max(per_layer, h + 1);
      }
    }
    o.legend = heads.size() <= 16;
    widgets::Plot p("sw_heads_plot", o);
    for (std::size_t k = 0; k < heads.size(); ++k) {
      const int layer = static_cast<int>(k) / std::max(per_layer, 1), head = static_cast<int>(k) % std::max(per_layer, 1);
      const auto& y = m.values[static_cast<std::size_t>(heads[k].second)];
      p.line(heads[k].first.c_str(), x.data(), y.data(), x.size(), {coord_color(head), lw, layer < layers - 1});
      points(p, x, y, coord_color(head));
    }
    if (r.induction) p.hline(kSinkThreshold, IM_COL32(255, 255, 255, 70));
    if (layers > 1) p.note("dashed: layers before the last");
    p.end();
  }
  ImGui::EndChild();
}
}  // namespace

void view_sweeps_run(AppState& app, SweepsState& lab) {
  if (lab.run_id.empty()) {
    ImGui::TextDisabled("click a run on the left to open its attention maps and curves");
    return;
  }
  const auto& s = lab.snap;
  if (!s || !s->run || s->run->id != lab.run_id) {
    if (s && !s->run_error.empty() && s->busy.empty()) {
      ImGui::PushStyleColor(ImGuiCol_Text, kRed);
      ImGui::TextWrapped("run %s: %s", lab.run_id.c_str(), s->run_error.c_str());
      ImGui::PopStyleColor();
    } else {
      ImGui::TextDisabled("reading run %s …", lab.run_id.c_str());
    }
    return;
  }
  const RunDetail& r = *s->run;
  ImGui::Text("run %s", r.id.c_str());
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s   %s", r.title.c_str(), r.status.c_str());
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.dir.c_str());
  if (!r.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kRed);
    std::string e = r.error;
    if (e.size() > 600) e = e.substr(0, 600) + " …";
    ImGui::TextWrapped("%s: %s", r.status.c_str(), e.c_str());
    ImGui::PopStyleColor();
  }
  const float avail = ImGui::GetContentRegionAvail().y;
  const float curves_h = std::floor(std::clamp(avail * 0.3f, ImGui::GetFontSize() * 7, ImGui::GetFontSize() * 14));
  run_curves(app, r, curves_h);
  ImGui::BeginChild("sw_attention", ImVec2(0, 0), false, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  if (r.maps.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kAmber);
    ImGui::TextWrapped("no attention maps: %s", r.maps_error.c_str());
    ImGui::PopStyleColor();
  } else {
    AttentionGridInput in;
    in.maps = &r.maps;
    in.induction = r.induction;
    in.causal = r.causal;
    in.vocab = r.vocab;
    in.labels = r.labels;
    in.scores = &r.scores;
    in.step = r.step;
    draw_attention_grid(in, lab.sample);
  }
  ImGui::EndChild();
}

}  // namespace polarlab::gui
#endif
