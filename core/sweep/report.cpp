#include "core/sweep/report.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/io/atomic_file.hpp"
#include "core/types.hpp"
#ifdef HAVE_POLARLAB_FIGURE
#include "core/figure/figure.hpp"
#include "core/figure/text.hpp"
#endif

namespace polarlab::sweep {
namespace fs = std::filesystem;

namespace {

std::string fmt(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::vector<RunRow> of_task(const std::vector<RunRow>& rows, const std::string& task) {
  std::vector<RunRow> out;
  for (const RunRow& r : rows)
    if (r.str("status") == "done" && r.str("task") == task) out.push_back(r);
  return out;
}

// Attention types in Table 1 order (those present), then any other name.
std::vector<std::string> attention_rows(const std::vector<RunRow>& rows) {
  std::set<std::string> present;
  for (const RunRow& r : rows) present.insert(r.str("attention"));
  std::vector<std::string> out;
  for (const auto& a : attention_types())
    if (present.count(a)) out.push_back(a);
  for (const auto& a : present)
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  return out;
}

std::vector<double> distinct_numbers(const std::vector<RunRow>& rows, const std::string& col) {
  std::set<double> s;
  for (const RunRow& r : rows)
    if (auto v = r.num(col)) s.insert(*v);
  return {s.begin(), s.end()};
}

bool success(const RunRow& r) {
  auto a = r.num("eval_accuracy");
  return a && *a > kSuccessAccuracy;
}

int index_of(const std::vector<std::string>& v, const std::string& x) {
  auto it = std::find(v.begin(), v.end(), x);
  return it == v.end() ? -1 : static_cast<int>(it - v.begin());
}

enum class Induction { sink, accuracy };

std::vector<GridView> induction_views(const std::vector<RunRow>& all, Induction what) {
  const std::vector<RunRow> rows = of_task(all, "induction");
  std::vector<GridView> views;
  if (rows.empty()) return views;
  const auto attn = attention_rows(rows);
  const auto heads = distinct_numbers(rows, "heads");
  std::vector<std::string> positional;
  {
    std::set<std::string> p;
    for (const RunRow& r : rows) p.insert(r.str("positional"));
    for (const char* k : {"concat", "add", "no"})
      if (p.count(k)) positional.push_back(k);
    for (const auto& k : p)
      if (index_of(positional, k) < 0) positional.push_back(k);
  }
  for (double lam : distinct_numbers(rows, "aux_weight")) {
    GridView v;
    const bool sink = what == Induction::sink;
    v.name = std::string(sink ? "sink" : "accuracy") + "_lambda" + fmt(lam);
    v.title = std::string(sink ? "Proportion of sink heads at layer 2" : "Mean induction accuracy") + ", λ = " + fmt(lam);
    v.caption = sink ? "Sink heads (layer-2 sink score > 0.9) over the heads of runs with induction accuracy > 0.95, "
                       "pooled over seeds, learning rates and query shift; x: no successful run (training failure)."
                     : "Mean induction accuracy over every finished run (seeds, learning rates, query shift); "
                       "x: no run reached accuracy 0.95.";
    v.value_label = sink ? "sink proportion" : "accuracy";
    v.rows = attn;
    v.col_title = "heads";
    for (double h : heads) v.cols.push_back(fmt(h));
    for (const auto& pos : positional) {
      GridPanel p;
      p.title = "positional: " + pos;
      p.cells.assign(v.rows.size() * v.cols.size(), {});
      std::vector<double> num(p.cells.size(), 0), den(p.cells.size(), 0);
      for (const RunRow& r : rows) {
        if (r.str("positional") != pos || r.num("aux_weight") != lam) continue;
        const int ri = index_of(v.rows, r.str("attention"));
        const int ci = index_of(v.cols, fmt(r.num("heads").value_or(0)));
        if (ri < 0 || ci < 0) continue;
        const std::size_t k = ri * v.cols.size() + ci;
        GridCell& c = p.cells[k];
        if (sink) {
          auto sh = r.num("sink_heads_l2");
          if (!sh) continue;  // a one-layer run has no layer 2
          ++c.runs;
          c.run_ids.push_back(r.str("id"));
          if (!success(r)) continue;
          ++c.successes;
          num[k] += *sh;
          den[k] += r.num("heads").value_or(0);
        } else {
          ++c.runs;
          c.run_ids.push_back(r.str("id"));
          c.successes += success(r);
          num[k] += r.num("eval_accuracy").value_or(0);
          den[k] += 1;
        }
      }
      for (std::size_t k = 0; k < p.cells.size(); ++k)
        if (den[k] > 0) p.cells[k].value = num[k] / den[k];
      v.panels.push_back(std::move(p));
    }
    views.push_back(std::move(v));
  }
  return views;
}

}  // namespace

std::vector<GridView> sink_views(const std::vector<RunRow>& rows) { return induction_views(rows, Induction::sink); }
std::vector<GridView> accuracy_views(const std::vector<RunRow>& rows) {
  return induction_views(rows, Induction::accuracy);
}

std::vector<GridView> flip_views(const std::vector<RunRow>& all) {
  const std::vector<RunRow> rows = of_task(all, "classification");
  std::vector<GridView> views;
  if (rows.empty()) return views;
  const auto attn = attention_rows(rows);
  const auto layers = distinct_numbers(rows, "layers"), heads = distinct_numbers(rows, "heads");
  for (double vocab : distinct_numbers(rows, "vocab")) {
    GridView v;
    v.name = "flip_vocab" + fmt(vocab);
    v.title = "Flip rate, |V| = " + fmt(vocab);
    v.caption = "Mean flip rate (max over layers and heads) of classification runs with accuracy > 0.95, over seeds "
                "and learning rates; x: no successful run.";
    v.value_label = "flip rate";
    v.rows = attn;
    v.col_title = "layers,heads";
    std::vector<std::pair<double, double>> lh;
    for (double l : layers)
      for (double h : heads) {
        lh.push_back({l, h});
        v.cols.push_back(fmt(l) + "," + fmt(h));
      }
    for (int mlp : {1, 0})
      for (int ln : {1, 0}) {
        bool any = false;
        for (const RunRow& r : rows)
          any |= r.num("vocab") == vocab && r.num("mlp").value_or(1) == mlp && r.num("layernorm").value_or(1) == ln;
        if (!any) continue;
        GridPanel p;
        p.title = std::string(mlp ? "MLP" : "no MLP") + ", " + (ln ? "LN" : "no LN");
        p.cells.assign(v.rows.size() * v.cols.size(), {});
        std::vector<double> sum(p.cells.size(), 0);
        for (const RunRow& r : rows) {
          if (r.num("vocab") != vocab || r.num("mlp").value_or(1) != mlp || r.num("layernorm").value_or(1) != ln) continue;
          const int ri = index_of(v.rows, r.str("attention"));
          int ci = -1;
          for (std::size_t k = 0; k < lh.size(); ++k)
            if (r.num("layers") == lh[k].first && r.num("heads") == lh[k].second) ci = static_cast<int>(k);
          if (ri < 0 || ci < 0) continue;
          const std::size_t k = ri * v.cols.size() + ci;
          ++p.cells[k].runs;
          p.cells[k].run_ids.push_back(r.str("id"));
          auto fr = r.num("flip_rate");
          if (!success(r) || !fr) continue;
          ++p.cells[k].successes;
          sum[k] += *fr;
        }
        for (std::size_t k = 0; k < p.cells.size(); ++k)
          if (p.cells[k].successes > 0) p.cells[k].value = sum[k] / p.cells[k].successes;
        v.panels.push_back(std::move(p));
      }
    views.push_back(std::move(v));
  }
  return views;
}

namespace {

void write_view_csv(const GridView& v, const std::string& path) {
  write_file_atomically(path, [&](std::ostream& os) {
    os << "# " << v.title << ". " << v.caption << '\n' << "panel,attention,column,runs,successes," << "value\n";
    for (std::size_t p = 0; p < v.panels.size(); ++p)
      for (std::size_t r = 0; r < v.rows.size(); ++r)
        for (std::size_t c = 0; c < v.cols.size(); ++c) {
          const GridCell& cell = v.cell(static_cast<int>(p), static_cast<int>(r), static_cast<int>(c));
          os << '"' << v.panels[p].title << "\"," << v.rows[r] << ",\"" << v.cols[c] << "\"," << cell.runs << ','
             << cell.successes << ',';
          if (std::isfinite(cell.value)) os << cell.value;
          os << '\n';
        }
  });
}

#ifdef HAVE_POLARLAB_FIGURE
namespace pf = polarlab::figure;

// One heatmap per panel, rows = attention types (named on the first panel), columns = heads or (layers, heads);
// every cell shows its value, failed set-ups a red × on grey, cells without runs "–" on grey.
void render_view(const GridView& v, const std::string& path, double vmax) {
  pf::Figure f;
  f.name = v.name;
  f.title = v.title;
  f.caption = v.caption;
  const int nr = static_cast<int>(v.rows.size()), nc = static_cast<int>(v.cols.size());
  f.rows = 1;
  f.cols = static_cast<int>(v.panels.size());
  f.width_in = 1.6 + (0.45 * nc + 0.8) * v.panels.size();
  f.height_in = 0.9 + 0.24 * nr;
  std::vector<pf::Tick> xt, yt_named, yt_blank;
  for (int c = 0; c < nc; ++c) xt.push_back({static_cast<double>(c), pf::escape_markup(v.cols[c]), true});
  for (int r = 0; r < nr; ++r) {
    yt_named.push_back({static_cast<double>(r), pf::escape_markup(v.rows[r]), true});
    yt_blank.push_back({static_cast<double>(r), "", false});
  }
  for (std::size_t p = 0; p < v.panels.size(); ++p) {
    pf::Axes a;
    a.title = pf::escape_markup(v.panels[p].title);
    a.xlabel = pf::escape_markup(v.col_title);
    a.xticks = xt;
    a.yticks = p == 0 ? yt_named : yt_blank;
    pf::Heatmap h;
    h.rows = nr, h.cols = nc;
    h.vmin = 0, h.vmax = vmax;
    h.colorbar = p + 1 == v.panels.size();
    h.colorbar_label = pf::escape_markup(v.value_label);
    for (int r = 0; r < nr; ++r)
      for (int c = 0; c < nc; ++c) {
        const GridCell& cell = v.cell(static_cast<int>(p), r, c);
        h.values.push_back(cell.value);
        pf::Note n;
        n.fx = (c + 0.5) / nc;
        n.fy = 1.0 - (r + 0.5) / nr;
        n.halign = 0.5;
        if (std::isfinite(cell.value)) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%.2f", cell.value);
          n.text = buf;
          n.color = cell.value / vmax > 0.6 ? pf::Color{0, 0, 0, 1} : pf::Color{1, 1, 1, 1};
        } else if (cell.runs > 0) {
          n.text = "×";
          n.color = {0.85, 0.05, 0.05, 1};
        } else {
          n.text = "–";
          n.color = {0.2, 0.2, 0.2, 1};
        }
        a.notes.push_back(n);
      }
    a.heatmap = h;
    f.panels.push_back(std::move(a));
  }
  pf::RenderOptions opt;
  opt.format = pf::Format::png;
  opt.dpi = 150;
  pf::render(f, path, opt);
}
#endif

}  // namespace

ReportResult write_report(const std::string& sweep_dir, const std::string& out_dir) {
  const std::vector<RunRow> rows = read_rows(results_path(sweep_dir));
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec) throw ConfigError("--out", "cannot create '" + out_dir + "': " + ec.message());
  ReportResult res;
  std::map<std::string, int> by_status;
  for (const RunRow& r : rows) ++by_status[r.str("status")];
  std::ostringstream md;
  md << "# Sweep report: " << fs::path(sweep_dir).filename().string() << "\n\n"
     << "Results database: `" << results_path(sweep_dir) << "` (" << rows.size() << " planned runs:";
  for (const auto& [s, n] : by_status) md << ' ' << s << ' ' << n << ';';
  md << ")\n\nA run succeeds when its accuracy exceeds " << kSuccessAccuracy << "; a head is a sink when its layer-2 "
     << "sink score exceeds " << kSinkThreshold << ".\n\n## Files\n\n";
  struct Group {
    const char* what;
    std::vector<GridView> views;
    double vmax;
  };
  std::vector<Group> groups = {{"sink proportion at layer 2 (Figs 4, 14, 15)", sink_views(rows), 1.0},
                               {"mean induction accuracy (Figs 16, 17)", accuracy_views(rows), 1.0},
                               {"flip rate per attention type (Figs 6, 18-21)", flip_views(rows), 1.0}};
  for (const Group& g : groups) {
    if (g.views.empty()) {
      res.notes.push_back(std::string(g.what) + ": skipped, the sweep has no finished " +
                          (std::string(g.what).find("flip") != std::string::npos ? "classification" : "induction") +
                          " runs");
      continue;
    }
    for (const GridView& v : g.views) {
      const std::string csv = v.name + ".csv";
      write_view_csv(v, out_dir + "/" + csv);
#ifdef HAVE_POLARLAB_FIGURE
      const std::string png = v.name + ".png";
      render_view(v, out_dir + "/" + png, g.vmax);
      res.files.push_back(png);
      md << "- `" << png << "` (data: `" << csv << "`): " << v.title << ". " << v.caption << "\n";
#else
      md << "- `" << csv << "`: " << v.title << ". " << v.caption << " (no PNG: built without the figure renderer)\n";
#endif
      res.files.push_back(csv);
    }
  }
  if (!res.notes.empty()) {
    md << "\n## Skipped views\n\n";
    for (const auto& n : res.notes) md << "- " << n << "\n";
  }
  write_file_atomically(out_dir + "/report.md", [&](std::ostream& os) { os << md.str(); });
  res.files.push_back("report.md");
  return res;
}

}  // namespace polarlab::sweep
