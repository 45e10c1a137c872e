// The paper's figures (and the theory panels it lacks) built from records.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/figure/figure.hpp"
#include "core/figure/text.hpp"
#include "core/io/owned_folder.hpp"
#include "core/io/run_directory.hpp"
#include "core/loss/loss.hpp"

namespace polarlab::figure {

namespace {

const std::string kTime = "$t$";

std::vector<double> times(const RunData& r) {
  std::vector<double> t;
  t.reserve(r.records.size());
  for (const Record& rec : r.records) t.push_back(rec.t);
  return t;
}

template <class F>
std::vector<double> column(const RunData& r, F f) {
  std::vector<double> v;
  v.reserve(r.records.size());
  for (const Record& rec : r.records) v.push_back(f(rec));
  return v;
}

int coords(const RunData& r) { return r.records.empty() ? 0 : static_cast<int>(r.records.front().s.size()); }

std::string member_label(const RunData& r) {
  if (!r.label.empty()) return r.label;
  return escape_markup(r.config.name);
}

// One curve per coordinate of a vector observable; the predicted winner thicker, starred, named.
void coordinate_series(Axes& ax, const RunData& r, const std::string& symbol,
                       const std::function<double(const Record&, int)>& get, bool legend, int n = -1) {
  if (n < 0) n = coords(r);
  const int w = r.facts.predicted_winner;
  const std::vector<double> t = times(r);
  // Draw the winner last so that it stays on top.
  std::vector<int> order;
  for (int j = 0; j < n; ++j)
    if (j != w) order.push_back(j);
  if (w >= 0 && w < n) order.push_back(w);
  for (int j : order) {
    Series s;
    s.x = t;
    s.y.reserve(r.records.size());
    for (const Record& rec : r.records) s.y.push_back(get(rec, j));
    s.color = coordinate_color(j);
    s.csv_name = symbol + "_" + std::to_string(j);
    s.legend_rank = j;  // legend in coordinate order although the winner is drawn last
    if (j == w) {
      s.width = 1.5;
      s.end_marker = true;
    } else if (n > 30) {
      s.width = 0.6;
    }
    if (legend) s.label = j == w ? std::to_string(j) + " = argmax $u$(0)" : std::to_string(j);
    ax.series.push_back(std::move(s));
  }
}

std::string caption_of(const std::string& what, const std::vector<RunData>& runs, const std::string& note) {
  std::ostringstream c;
  c << what;
  if (!runs.empty()) {
    const ExperimentConfig& cfg = runs.front().config;
    c << " Preset " << cfg.name << ": " << model_name(cfg.model) << " model, " << loss_name(cfg.loss) << " loss, "
      << map_name(cfg.map) << " map, ";
    if (cfg.method == Method::gd) c << "GD eta = " << cfg.lr << ", " << cfg.steps << " steps";
    else c << "gradient flow to t = " << cfg.t_end;
    c << ", seed " << cfg.seed << ". Predicted winner argmax u(0) = " << runs.front().facts.predicted_winner << ".";
  }
  if (!note.empty()) c << " " << note;
  return c.str();
}

void require(const std::vector<RunData>& runs, const std::string& kind) {
  if (runs.empty()) throw ConfigError("figure", kind + " needs at least one run");
  for (const RunData& r : runs)
    if (r.records.empty()) throw ConfigError("figure", kind + ": run '" + member_label(r) + "' has no records");
}

std::string legend_title_j() { return "coordinate $j$"; }

// ------------------------------------------------------------------------------------------------ fig2

Figure fig2(const std::vector<RunData>& runs, const std::string& note) {
  const RunData& r = runs.front();
  Figure f;
  f.name = "fig2";
  f.caption = caption_of("Figure 2: softmax scores s_j(t) (log-log) polarize to one-hot on argmax u(0); value "
                         "projections u_j(t) spread apart keeping their order.",
                         runs, note);
  f.width_in = 6.5, f.height_in = 2.5, f.rows = 1, f.cols = 2;
  const bool legend = coords(r) <= 12;
  Axes a;
  a.title = "attention scores $s$ = σ($a$)";
  a.xlabel = kTime, a.ylabel = "$s_j$";
  a.xscale = a.yscale = Scale::log;
  coordinate_series(a, r, "s", [](const Record& x, int j) { return x.s(j); }, false);
  Axes b;
  b.title = "value projections $u$";
  b.xlabel = kTime, b.ylabel = "$u_j$";
  b.xscale = Scale::log;
  coordinate_series(b, r, "u", [](const Record& x, int j) { return x.u(j); }, legend);
  b.legend = LegendLoc::outside;
  b.legend_title = legend_title_j();
  f.panels = {a, b};
  return f;
}

// ------------------------------------------------------------------------------------------------ fig3

Figure fig3(const std::vector<RunData>& runs, const std::string& note) {
  Figure f;
  f.name = runs.size() >= 5 ? "fig12" : "fig3";
  f.caption = caption_of("Figures 3 and 12: logits a_j(t) of the regression problem for each condition number "
                         "kappa; higher kappa, slower optimization and stronger sparsity.",
                         runs, note);
  const int n = static_cast<int>(runs.size());
  f.cols = std::min(n, 5);
  f.rows = (n + f.cols - 1) / f.cols;
  f.width_in = n == 1 ? 3.4 : n == 2 ? 5.0 : 7.0;
  f.height_in = 2.3 * f.rows;
  for (int i = 0; i < n; ++i) {
    const RunData& r = runs[static_cast<std::size_t>(i)];
    Axes a;
    a.title = member_label(r);
    a.xlabel = kTime;
    if (i % f.cols == 0) a.ylabel = "logits $a_j$";
    a.xscale = Scale::log;
    coordinate_series(a, r, "a", [](const Record& x, int j) { return x.a(j); }, false);
    f.panels.push_back(std::move(a));
  }
  return f;
}

// ------------------------------------------------------------------------------------------------ fig10

Figure fig10(const std::vector<RunData>& runs, const std::string& note) {
  const RunData& r = runs.front();
  Figure f;
  f.name = "fig10";
  f.caption = caption_of("Figure 10: cross-entropy against p* = softmax(10 rand): loss, scores s_j and logits a_j; "
                         "polarization, weaker than for classification.",
                         runs, note);
  f.width_in = 7.0, f.height_in = 2.3, f.rows = 1, f.cols = 3;
  Axes l;
  l.title = "loss";
  l.xlabel = kTime, l.ylabel = "−⟨$p$*, log $q$⟩";
  l.xscale = Scale::log;
  Series s;
  s.x = times(r);
  s.y = column(r, [](const Record& x) { return x.loss; });
  s.color = {0, 0, 0, 1};
  s.csv_name = "loss";
  l.series.push_back(s);
  Axes a;
  a.title = "scores $s$ = σ($a$)";
  a.xlabel = kTime, a.ylabel = "$s_j$";
  a.xscale = Scale::log;
  coordinate_series(a, r, "s", [](const Record& x, int j) { return x.s(j); }, false);
  Axes b;
  b.title = "logits $a$";
  b.xlabel = kTime, b.ylabel = "$a_j$";
  b.xscale = Scale::log;
  coordinate_series(b, r, "a", [](const Record& x, int j) { return x.a(j); }, coords(r) <= 12);
  b.legend = LegendLoc::outside;
  b.legend_title = legend_title_j();
  f.panels = {l, a, b};
  return f;
}

// ------------------------------------------------------------------------------------------------ fig11

Figure fig11(const std::vector<RunData>& runs, const std::string& note) {
  for (const RunData& r : runs)
    if (r.config.model != ModelKind::tied)
      throw ConfigError("figure", "fig11 draws the tied model; run '" + member_label(r) + "' is " +
                                      model_name(r.config.model));
  Figure f;
  f.name = "fig11";
  f.caption = caption_of("Figure 11: tied model U s(U a), logistic loss, per dimension D: loss, scores alpha_j and "
                         "column norms ||U_j||; the starred column (argmax u(0)) grows, the others do not.",
                         runs, note);
  const int n = static_cast<int>(runs.size());
  f.rows = 3, f.cols = n;
  f.width_in = std::max(3.0, 1.75 * n), f.height_in = 5.4;
  std::vector<Axes> loss(n), alpha(n), norms(n);
  for (int i = 0; i < n; ++i) {
    const RunData& r = runs[static_cast<std::size_t>(i)];
    Axes& l = loss[i];
    l.title = member_label(r);
    l.xscale = l.yscale = Scale::log;
    if (i == 0) l.ylabel = "loss";
    Series s;
    s.x = times(r);
    s.y = column(r, [](const Record& x) { return x.loss; });
    s.color = {0, 0, 0, 1};
    s.csv_name = "loss";
    l.series.push_back(s);
    Axes& a = alpha[i];
    a.xscale = Scale::log;
    if (i == 0) a.ylabel = "$α_j$";
    coordinate_series(a, r, "alpha", [](const Record& x, int j) { return x.s(j); }, false);
    Axes& u = norms[i];
    u.xscale = Scale::log;
    u.yscale = Scale::log;
    u.xlabel = kTime;
    if (i == 0) u.ylabel = "‖$U_j$‖";
    const int p = coords(r);
    const bool has_norms = !r.records.front().column_norms.size() ? false : true;
    if (has_norms)
      coordinate_series(u, r, "colnorm", [](const Record& x, int j) { return x.column_norms(j); }, false, p);
  }
  for (auto* row : {&loss, &alpha, &norms})
    for (auto& a : *row) f.panels.push_back(std::move(a));
  return f;
}

// ------------------------------------------------------------------------------------------------ fig13

Figure fig13(const std::vector<RunData>& runs, const std::string& note) {
  Figure f;
  f.name = "fig13";
  f.caption = caption_of("Figure 13: scores s_j(t) for six maps under square and logistic loss: normalized maps "
                         "polarize under logistic loss, square loss gives no sparse solution; sum and sigmoid do "
                         "not polarize.",
                         runs, note);
  // Rows: losses, columns: maps, both in order of first appearance.
  std::vector<LossKind> losses;
  std::vector<MapKind> maps;
  for (const RunData& r : runs) {
    if (std::find(losses.begin(), losses.end(), r.config.loss) == losses.end()) losses.push_back(r.config.loss);
    if (std::find(maps.begin(), maps.end(), r.config.map) == maps.end()) maps.push_back(r.config.map);
  }
  f.rows = static_cast<int>(losses.size());
  f.cols = static_cast<int>(maps.size());
  f.width_in = std::max(3.0, 1.2 * f.cols + 0.4);
  f.height_in = 0.3 + 1.75 * f.rows;
  f.panels.resize(static_cast<std::size_t>(f.rows * f.cols));
  for (const RunData& r : runs) {
    const int row = static_cast<int>(std::find(losses.begin(), losses.end(), r.config.loss) - losses.begin());
    const int col = static_cast<int>(std::find(maps.begin(), maps.end(), r.config.map) - maps.begin());
    Axes& a = f.panels[static_cast<std::size_t>(row * f.cols + col)];
    // Maps name the columns, losses the rows: short titles for narrow panels.
    if (row == 0) a.title = escape_markup(map_name(r.config.map));
    a.xscale = Scale::log;
    if (row == f.rows - 1) a.xlabel = kTime;
    if (col == 0) a.ylabel = escape_markup(loss_name(r.config.loss)) + ": $s_j$";
    coordinate_series(a, r, "s", [](const Record& x, int j) { return x.s(j); }, false);
  }
  return f;
}

// ------------------------------------------------------------------------------------------------ sink

Figure sink(const std::vector<RunData>& runs, const std::string& note) {
  const RunData& r = runs.front();
  std::vector<std::size_t> with;
  for (std::size_t i = 0; i < r.records.size(); ++i)
    if (r.records[i].attention.size() > 0) with.push_back(i);
  if (with.empty()) throw ConfigError("figure", "sink: the run has no attention matrices (model must be sink)");
  // Four snapshots at log-spaced records (the grid is logarithmic in time), the last always included.
  std::vector<std::size_t> pick;
  const std::size_t want = std::min<std::size_t>(4, with.size());
  for (std::size_t k = 0; k < want; ++k) {
    const std::size_t idx = want == 1 ? with.size() - 1 : k * (with.size() - 1) / (want - 1);
    pick.push_back(with[idx]);
  }
  Figure f;
  f.name = "sink";
  f.caption = caption_of("Attention sink: heatmaps of the row-wise softmax s(A) over training; every row converges "
                         "to the column of the token with the largest u(0).",
                         runs, note);
  f.rows = 1, f.cols = static_cast<int>(pick.size());
  f.width_in = pick.size() == 1 ? 3.2 : 1.55 * pick.size() + 0.8;
  f.height_in = 2.2;
  for (std::size_t k = 0; k < pick.size(); ++k) {
    const Record& rec = r.records[pick[k]];
    Axes a;
    a.title = "$t$ = " + format_number(rec.t);
    a.xlabel = "key";
    if (k == 0) a.ylabel = "query";
    Heatmap h;
    h.rows = static_cast<int>(rec.attention.rows());
    h.cols = static_cast<int>(rec.attention.cols());
    for (int i = 0; i < h.rows; ++i)
      for (int j = 0; j < h.cols; ++j) h.values.push_back(rec.attention(i, j));
    h.vmin = 0, h.vmax = 1;
    h.colorbar = k + 1 == pick.size();
    h.colorbar_label = "σ($A$)_{$ij$}";
    a.heatmap = h;
    // A star above the predicted winner's column (the sink the theory predicts).
    Series star;
    star.x = {static_cast<double>(r.facts.predicted_winner)};
    star.y = {-0.5};
    star.color = {1, 1, 1, 1};
    star.end_marker = true;
    star.csv_name = "predicted_winner";
    a.series.push_back(star);
    f.panels.push_back(std::move(a));
  }
  return f;
}

// ------------------------------------------------------------------------------------------------ theory

Figure theory(const std::vector<RunData>& runs, const std::string& note) {
  Figure f;
  f.name = "theory";
  f.caption = caption_of("Panels the paper does not draw: Lyapunov potentials Phi_ij(t) (pairs with the predicted "
                         "winner coloured by the other coordinate), the polarization integral of gamma, and the "
                         "Theorem 3.3(b) bound 1/(1 + (delta/p) int gamma) (dashed) against the measured ratio "
                         "max_{j != winner} s_j / s_winner (solid).",
                         runs, note);
  f.width_in = 7.0, f.height_in = 2.4, f.rows = 1, f.cols = 3;
  const RunData& r0 = runs.front();
  const int p = coords(r0);
  const int w = r0.facts.predicted_winner;

  Axes phi;
  phi.title = runs.size() > 1 ? "Φ_{$ij$} (" + member_label(r0) + ")" : "potentials Φ_{$ij$}";
  phi.xlabel = kTime, phi.ylabel = "Φ_{$ij$}";
  phi.xscale = Scale::log;
  const bool has_u = !r0.records.empty() && r0.records.front().a.size() == p && r0.records.front().u.size() == p;
  if (has_u && p <= 64) {
    std::vector<Mat> mats;
    mats.reserve(r0.records.size());
    for (const Record& rec : r0.records) mats.push_back(lyapunov_potential(r0.config.map, rec.a, rec.u));
    const std::vector<double> t = times(r0);
    bool positive = true, any = false;
    std::vector<Series> grey, coloured;
    for (int i = 0; i < p; ++i)
      for (int j = i + 1; j < p; ++j) {
        Series s;
        s.x = t;
        for (const Mat& m : mats) s.y.push_back(m(i, j));
        for (std::size_t k = 1; k < s.y.size(); ++k) {  // t = 0 may start at exactly 0
          if (!std::isfinite(s.y[k])) continue;
          any = true;
          if (!(s.y[k] > 0)) positive = false;
        }
        s.csv_name = "phi_" + std::to_string(i) + "_" + std::to_string(j);
        if (i == w || j == w) {
          const int other = i == w ? j : i;
          s.color = coordinate_color(other);
          s.width = 1.0;
          if (p <= 10) s.label = "Φ_{" + std::to_string(std::min(i, j)) + std::to_string(std::max(i, j)) + "}";
          coloured.push_back(std::move(s));
        } else {
          s.color = {0.72, 0.72, 0.72, 1};
          s.width = 0.5;
          grey.push_back(std::move(s));
        }
      }
    if (any) {
      phi.yscale = positive ? Scale::log : Scale::linear;
      for (auto& s : grey) phi.series.push_back(std::move(s));
      for (auto& s : coloured) phi.series.push_back(std::move(s));
      if (p <= 10) phi.legend = LegendLoc::best;
      if (p <= 10) phi.legend_columns = 2;
    } else {
      phi.notes.push_back({"no potential for the map " + map_name(r0.config.map), 0.5, 0.5, 0.5});
    }
  } else {
    phi.notes.push_back({"Φ needs a and u of one size", 0.5, 0.5, 0.5});
  }

  Axes g;
  g.title = "polarization integral";
  g.xlabel = kTime, g.ylabel = "∫_{0}^{$t$} γ";
  g.xscale = Scale::log;
  Axes b;
  b.title = "Theorem 3.3(b)";
  b.xlabel = kTime, b.ylabel = "max_{$j$≠$w$} $s_j$ / $s_w$";
  b.xscale = b.yscale = Scale::log;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const RunData& r = runs[k];
    const Color c = runs.size() == 1 ? Color{0, 0, 0, 1} : coordinate_color(static_cast<int>(k));
    const std::string who = runs.size() == 1 ? "" : member_label(r);
    Series s;
    s.x = times(r);
    s.y = column(r, [](const Record& x) { return x.gamma_integral; });
    s.color = c;
    s.label = who;
    s.csv_name = "gamma_integral" + (who.empty() ? "" : " " + who);
    g.series.push_back(s);
    Series ratio;
    ratio.x = times(r);
    ratio.y = column(r, [](const Record& x) { return x.ratio; });
    ratio.color = runs.size() == 1 ? coordinate_color(0) : c;
    ratio.label = runs.size() == 1 ? "measured ratio" : "";
    ratio.csv_name = "ratio" + (who.empty() ? "" : " " + who);
    Series bound = ratio;
    bound.y = column(r, [](const Record& x) { return x.bound; });
    bound.dash = {4, 2};
    bound.color = runs.size() == 1 ? Color{0, 0, 0, 1} : c;
    bound.label = runs.size() == 1 ? "bound 1/(1 + (δ/$p$)∫γ)" : "";
    bound.csv_name = "bound" + (who.empty() ? "" : " " + who);
    b.series.push_back(bound);
    b.series.push_back(ratio);
  }
  if (runs.size() > 1 && runs.size() <= 12) g.legend = LegendLoc::best;
  b.legend = runs.size() == 1 ? LegendLoc::best : LegendLoc::none;
  if (runs.size() > 1) b.notes.push_back({"dashed: bound, solid: ratio", 0.03, 0.93, 0.0, {0.3, 0.3, 0.3, 1}});
  f.panels = {phi, g, b};
  return f;
}


}  // namespace

std::string sweep_label(const std::string& key, const ExperimentConfig& c) {
  if (key == "kappa") return "κ = " + format_number(c.kappa);
  if (key == "D") return "$D$ = " + std::to_string(c.p);
  if (key == "T") return "$T$ = " + std::to_string(c.p);
  if (key == "map") return escape_markup(map_name(c.map));
  if (key == "loss") return escape_markup(loss_name(c.loss));
  return escape_markup(key);
}

const std::vector<std::string>& figure_kinds() {
  static const std::vector<std::string> k = {"fig2", "fig3", "fig10", "fig11", "fig13", "sink", "theory"};
  return k;
}

// One panel of the theory figure on its own (the live lab's right-click on that panel exports just it).
const std::vector<std::string>& theory_panel_kinds() {
  static const std::vector<std::string> k = {"potentials", "gamma", "bound"};
  return k;
}

std::string canonical_kind(const std::string& kind) {
  if (kind == "fig12") return "fig3";
  for (const auto& k : figure_kinds())
    if (k == kind) return k;
  for (const auto& k : theory_panel_kinds())
    if (k == kind) return k;
  std::string all;
  for (const auto& k : figure_kinds()) all += (all.empty() ? "" : ", ") + k;
  throw ConfigError("--kind", "unknown figure '" + kind + "' (allowed: " + all + ", fig12)");
}

std::string default_kind_for_preset(const std::string& preset) {
  if (preset == "fig12") return "fig3";
  for (const auto& k : figure_kinds())
    if (k == preset) return k;
  return "theory";
}

Figure build_figure(const std::string& kind_in, const std::vector<RunData>& runs, const std::string& note) {
  const std::string kind = canonical_kind(kind_in);
  require(runs, kind);
  if (kind == "fig2") return fig2(runs, note);
  if (kind == "fig3") return fig3(runs, note);
  if (kind == "fig10") return fig10(runs, note);
  if (kind == "fig11") return fig11(runs, note);
  if (kind == "fig13") return fig13(runs, note);
  if (kind == "sink") return sink(runs, note);
  Figure f = theory(runs, note);
  for (std::size_t i = 0; i < theory_panel_kinds().size(); ++i)
    if (kind == theory_panel_kinds()[i]) {
      static const char* const captions[] = {
          "Lyapunov potentials Phi_ij(t); pairs with the predicted winner coloured by the other coordinate.",
          "The polarization integral: int_0^t gamma.",
          "Theorem 3.3(b): the bound 1/(1 + (delta/p) int gamma) (dashed) against the measured ratio "
          "max_{j != winner} s_j / s_winner (solid)."};
      Axes one = std::move(f.panels[i]);
      f.panels = {std::move(one)};
      f.caption = caption_of(captions[i], runs, note);
      f.name = kind;
      f.cols = 1;
      f.width_in = 3.4;
    }
  return f;
}

Figure render_records(const std::string& kind, const std::vector<RunData>& runs, const std::string& path,
                      RenderOptions opt, const std::string& note) {
  opt.format = format_from_path(path);
  Figure f = build_figure(kind, runs, note);
  render(f, path, opt);
  write_figure_csv(f, csv_path_for(path));
  return f;
}

std::vector<RunData> run_preset(const std::string& preset, const nlohmann::json& overrides,
                                const std::function<bool(const ExperimentConfig&)>& keep) {
  const nlohmann::json sweep = load_preset_json(preset).value("sweep", nlohmann::json::object());
  std::vector<RunData> out;
  for (const ExperimentConfig& cfg : preset_sweep_members(preset, overrides)) {
    if (keep && !keep(cfg)) continue;
    Runner runner(cfg);
    while (!runner.done()) runner.advance(Budget{});
    RunData r{cfg, runner.facts(), runner.records(), ""};
    for (const auto& [key, values] : sweep.items()) {
      (void)values;
      r.label += (r.label.empty() ? "" : ", ") + sweep_label(key, cfg);
    }
    out.push_back(std::move(r));
  }
  return out;
}

Figure render_preset_figure(const std::string& preset, const nlohmann::json& overrides, const std::string& path,
                            RenderOptions opt, const std::string& kind) {
  const std::vector<RunData> runs = run_preset(preset, overrides);
  return render_records(kind.empty() ? default_kind_for_preset(preset) : kind, runs, path, opt);
}

}  // namespace polarlab::figure
