// The attention grid: one T×T map per (layer, head) for the chosen eval sequence, rows = queries, columns =
// keys, token labels on the axes (queries left of the first column, keys under the last row), the BOS
// (induction) key column or the CLS query row (classification) outlined in gold, each head's sink score or
// CLS concentration in its title, and sink heads (score > 0.9) framed. One colorbar for all heads.
// draw_attention_grid is torch-free: the Sweeps workspace draws a finished run's attention.json with it.
#include "app/gui/transformer/state.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/gui/shell/app_state.hpp"
#include "app/gui/lecture/deck.hpp"
#include "app/gui/transformer/labels.hpp"
#include "app/widgets/labelled_heatmap.hpp"
#include "app/widgets/axis.hpp"
#include "app/widgets/text_cache.hpp"
#include "core/observe/sink_score.hpp"
#include "core/transformer/tasks.hpp"
#include "core/transformer/trainer.hpp"

namespace polarlab::gui {

namespace tf = polarlab::transformer;

namespace {
const ImU32 kSinkFrame = IM_COL32(255, 120, 60, 255);
}  // namespace

void draw_attention_grid(const AttentionGridInput& in, int& sample) {
  const std::vector<tf::AttentionMap>& maps = *in.maps;
  const bool induction = in.induction, causal = in.causal;
  const int n_maps = static_cast<int>(maps.size());
  sample = std::clamp(sample, 0, n_maps - 1);
  const tf::AttentionMap& m = maps[static_cast<std::size_t>(sample)];
  const SequenceLayout layout{induction, in.vocab, in.labels};
  const int T = m.T, L = m.layers, H = m.heads;

  // Header: the sequence chooser and the sequence itself.
  if (in.header) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
  int shown = m.sample;
  if (n_maps > 1 && ImGui::SliderInt("eval sequence", &shown, 0, n_maps - 1)) sample = shown;
  if (n_maps == 1) ImGui::TextDisabled("eval sequence %d", shown);
  ImGui::SameLine();
  std::string seq;
  for (int t = 0; t < T; ++t) {
    if (t) seq += ' ';
    seq += t == 0 && induction ? "BOS" : t == T - 1 && !induction ? "CLS" : std::to_string(m.tokens[static_cast<std::size_t>(t)]);
  }
  if (induction) {
    const InductionAnswer a = induction_answer(layout, m.tokens);
    if (a.r > 0) seq += "   → answer " + std::to_string(a.target) + " (q = m" + std::to_string(a.r) + ")";
  } else if (T > 1) {
    seq += "   label " + std::to_string(tf::label_of_token(m.tokens[0], in.vocab, in.labels));
  }
  ImGui::TextUnformatted(seq.c_str());
  if (in.step >= 0) {
    ImGui::SameLine();
    ImGui::TextDisabled("   step %lld", in.step);
  }
  }

  // Colour range: [0, 1] for normalized attention; the data's range otherwise (unnormalized maps),
  // diverging when weights go negative (linear and raw dot-product maps).
  double lo = 0.0, hi = 1.0;
  for (std::size_t i = 0; i < m.weights.size(); ++i) {
    const double v = m.weights[i];
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  }
  const bool diverging = lo < -1e-6;
  widgets::Colormap cmap = widgets::Colormap::viridis;
  if (diverging) {
    const double a = std::max(-lo, hi);
    lo = -a, hi = a;
    cmap = widgets::Colormap::diverging;
  }

  std::vector<std::string> labels(static_cast<std::size_t>(T));
  for (int t = 0; t < T; ++t) labels[static_cast<std::size_t>(t)] = token_axis_label(layout, m.tokens, t);
  // Geometry: heads side by side, layers top to bottom, square maps; query labels left of the first column,
  // key labels under the last row, one colorbar on the right.
  const float fs = ImGui::GetFontSize();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int l0 = std::clamp(in.first_layer, 0, L - 1), rows = L - l0;  // the layers shown
  const float row_lab = label_width(labels) + fs * 0.3f;
  const float col_lab = fs * 1.2f;
  const float title_h = fs * 1.3f;
  const float gap = in.header ? fs * 0.8f : fs * 0.4f;
  // The colour bar takes what its labels need (measured), not a guess: at 1024 px every pixel goes to the maps.
  const float bar_w = fs * 0.9f, bar_gap = fs * 0.8f;
  const float bar_total = bar_gap + bar_w + widgets::colorbar_label_width(lo, hi, avail.y);
  const float side = std::max(8.0f, std::min((avail.x - row_lab - bar_total + gap) / H - gap,
                                             (avail.y - col_lab) / rows - title_h - gap * 0.5f));
  const float grid_w = row_lab + H * (side + gap) - gap;
  const float x0 = p0.x + std::max(0.0f, (avail.x - bar_total - grid_w) * 0.5f);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  static const tf::HeadScores kNoScores;
  const tf::HeadScores& scores = in.scores ? *in.scores : kNoScores;
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
  int hover_l = -1, hover_h = -1;
  HeatmapHover hover;
  // Each head's title, from the longest form to the shortest; the grid uses the longest form that fits every
  // column (a narrow or large-font grid drops words, not the score): a clipped title ran into the next head's
  // ("L2 H1 sink 0.97 ★ sin"), and a per-head choice made the titles of one grid read differently.
  auto title_forms = [&](int l, int h) {
    const double score = l < static_cast<int>(scores.size()) && h < static_cast<int>(scores[l].size())
                             ? scores[static_cast<std::size_t>(l)][static_cast<std::size_t>(h)] : std::nan("");
    const bool sink = induction && is_sink(score);
    const std::string head = head_name(static_cast<std::size_t>(l), static_cast<std::size_t>(h));
    const std::string value = std::isfinite(score) ? widgets::format_number(score, 2) : std::string();
    return std::vector<std::string>{
        head + (std::isfinite(score) ? "  " + head_score_text(induction, score) : "") + (sink ? "  ★ sink" : ""),
        head + (value.empty() ? "" : "  " + value) + (sink ? " ★" : ""),
        "L" + std::to_string(l + 1) + "H" + std::to_string(h + 1) + (value.empty() ? "" : " " + value) + (sink ? "★" : ""),
        "H" + std::to_string(h + 1) + (value.empty() ? "" : " " + value) + (sink ? "★" : ""),
        value + (sink ? "★" : "")};
  };
  std::size_t form = 0;
  for (; form + 1 < 5; ++form) {
    bool fits = true;
    for (int l = l0; l < L && fits; ++l)
      for (int h = 0; h < H && fits; ++h) fits = ImGui::CalcTextSize(title_forms(l, h)[form].c_str()).x <= side + gap * 0.9f;
    if (fits) break;
  }
  for (int l = l0; l < L; ++l)
    for (int h = 0; h < H; ++h) {
      const float mx = x0 + row_lab + h * (side + gap);
      const float my = p0.y + (l - l0) * (title_h + side + gap * 0.5f) + title_h;
      const double score = l < static_cast<int>(scores.size()) && h < static_cast<int>(scores[l].size())
                               ? scores[static_cast<std::size_t>(l)][static_cast<std::size_t>(h)] : std::nan("");
      const bool sink = induction && is_sink(score);  // core/observe/sink_score.hpp
      const std::string title = title_forms(l, h)[form];
      ImGui::PushClipRect(ImVec2(mx, my - title_h), ImVec2(mx + side + gap * 0.9f, my), true);
      widgets::add_live_text(dl, ImGui::GetFont(), fs, ImVec2(mx, my - title_h + fs * 0.1f), sink ? kSinkFrame : text, title.c_str());
      ImGui::PopClipRect();
      LabelledHeatmap hm;
      hm.rows = hm.cols = T;
      hm.value = [&, l, h](int q, int k) -> double {
        if (causal && k > q) return std::nan("");
        return m.at(l, h, q, k);
      };
      hm.map = cmap;
      hm.vmin = lo;
      hm.vmax = hi;
      hm.row_labels = h == 0 ? &labels : nullptr;
      hm.col_labels = l == L - 1 ? &labels : nullptr;
      if (induction) hm.highlight_col = anchor_position(layout, T);
      else hm.highlight_row = anchor_position(layout, T);
      if (sink) hm.frame = kSinkFrame, hm.frame_thickness = 2.5f;
      const ImVec2 a{h == 0 ? mx - row_lab : mx, my};
      const ImVec2 b{mx + side, my + side + (l == L - 1 ? col_lab : 0.0f)};
      const HeatmapHover hv = draw_labelled_heatmap(dl, a, b, hm, true);
      if (hv.row >= 0) hover = hv, hover_l = l, hover_h = h;
    }
  const float last_y = p0.y + rows * (title_h + side + gap * 0.5f) - gap * 0.5f;
  const ImVec2 b0{x0 + grid_w + bar_gap, p0.y + title_h}, b1{b0.x + bar_w, last_y};
  draw_colorbar(dl, b0, b1, cmap, lo, hi);
  ImGui::Dummy(ImVec2(avail.x, std::max(1.0f, last_y + col_lab - p0.y)));
  if (hover_l >= 0) {
    ImGui::BeginTooltip();
    ImGui::Text("layer %d, head %d", hover_l + 1, hover_h + 1);
    ImGui::Text("query %s  →  key %s", token_hover_label(layout, m.tokens, hover.row).c_str(),
                token_hover_label(layout, m.tokens, hover.col).c_str());
    if (causal && hover.col > hover.row) ImGui::TextDisabled("masked (causal)");
    else ImGui::Text("weight %s", widgets::format_number(m.at(hover_l, hover_h, hover.row, hover.col), 4).c_str());
    ImGui::EndTooltip();
  }
}

#ifdef HAVE_POLARLAB_TRANSFORMER
void view_transformer_attention(AppState& app, TransformerState& lab) {
  const auto& s = lab.snap;
  if (!s || !s->eval || s->eval->maps.empty()) {
    ImGui::TextDisabled(s && s->phase == TrainPhase::failed ? "no attention maps: the run failed"
                        : s ? "attention maps appear once the model is built"
                            : "attention maps of the chosen eval sequence appear here once a run starts");
    return;
  }
  const tf::Evaluation& ev = *s->eval;
  const tf::TrainConfig& c = s->config;
  AttentionGridInput in;
  in.maps = &ev.maps;
  in.induction = c.task == tf::TaskKind::induction;
  in.causal = c.is_causal();
  in.vocab = c.vocab;
  in.labels = c.labels;
  in.scores = in.induction ? &ev.sink_scores : &ev.concentration;
  in.step = ev.step;
  in.header = !lecture_training_scene(app);  // a lecture shows the grid alone, of the last layer (where sinks form)
  if (!in.header) in.first_layer = ev.maps.front().layers - 1;
  draw_attention_grid(in, lab.sample);
}
#endif

}  // namespace polarlab::gui
