// "Export figure…": the publication renderer (core/figure, Cairo) fed with the records the UI already
// holds, from the Files section (any kind) or a panel's right-click menu (that panel's figure).
#include <filesystem>
#include <vector>

#include "app/gui/shell/app_state.hpp"

#ifdef HAVE_POLARLAB_FIGURE
#include "core/figure/figure.hpp"
#endif

namespace polarlab::gui {

bool figures_available() {
#ifdef HAVE_POLARLAB_FIGURE
  return true;
#else
  return false;
#endif
}

std::string output_path(const AppState& app, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  if (p.is_relative() && !app.output_dir.empty()) p = fs::path(app.output_dir) / p;
  std::error_code ec;
  const fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal().string();
}

#ifdef HAVE_POLARLAB_FIGURE
namespace {

figure::RunData run_data(const History& h) {
  figure::RunData run{h.info->config, h.info->facts, {}, ""};
  run.records.reserve(h.records.size());
  for (const Record* rec : h.records) run.records.push_back(*rec);
  return run;
}

// Method "both": the figure of each run, the second's curves dashed over the first's in the same panels (the
// paper's figures draw one run; drawing only the primary would pass GD off as the pair).
figure::Figure overlaid_figure(const std::string& kind, const std::vector<const Run*>& runs) {
  figure::Figure f = figure::build_figure(kind, {run_data(runs[0]->history)});
  for (std::size_t k = 1; k < runs.size(); ++k) {
    const figure::Figure g = figure::build_figure(kind, {run_data(runs[k]->history)});
    if (g.panels.size() != f.panels.size())
      throw ConfigError("export", "the " + kind + " figure of " + runs[k]->tag + " has other panels than " +
                                      runs[0]->tag + "'s; export with one method");
    for (std::size_t i = 0; i < f.panels.size(); ++i) {
      if (f.panels[i].heatmap || g.panels[i].heatmap)
        throw ConfigError("export", "the " + kind + " figure has heatmaps, which cannot show two runs at once; " +
                                        "export with one method (--method gd or flow)");
      std::vector<figure::Series>& into = f.panels[i].series;
      if (k == 1)
        for (std::size_t j = 0; j < into.size(); ++j)
          into[j].csv_name = runs[0]->tag + "_" + (into[j].csv_name.empty() ? "series" + std::to_string(j) : into[j].csv_name);
      for (std::size_t j = 0; j < g.panels[i].series.size(); ++j) {
        figure::Series s = g.panels[i].series[j];
        s.dash = {4.0, 2.0};
        s.label.clear();  // the legend's coordinates are the solid ones'
        s.end_marker = false;
        s.csv_name = runs[k]->tag + "_" + (s.csv_name.empty() ? "series" + std::to_string(j) : s.csv_name);
        into.push_back(std::move(s));
      }
    }
  }
  std::string who;
  for (std::size_t k = 1; k < runs.size(); ++k) who += (who.empty() ? "" : ", ") + runs[k]->tag;
  f.caption += " Solid: " + runs[0]->tag + "; dashed: " + who + " (the same initialization).";
  if (!f.panels.empty())
    f.panels[0].notes.push_back({"solid: " + runs[0]->tag + ", dashed: " + who, 0.03, 0.05, 0.0, {0.3, 0.3, 0.3, 1}});
  return f;
}

}  // namespace
#endif

ExportResult export_figure(AppState& app, const std::string& kind, const std::string& path, bool slides) {
  ExportResult r;
#ifdef HAVE_POLARLAB_FIGURE
  const History& h = app.primary().history;
  std::vector<const Run*> shown;
  for (const Run& run : app.runs)
    if (run.history.info && !run.history.records.empty()) shown.push_back(&run);
  if (!h.info || h.records.empty()) {
    r.message = "nothing to export yet: the run has no records";
  } else if (app.runs.size() > 1 && shown.size() < app.runs.size()) {
    r.message = "nothing to export yet: " + app.runs.back().tag + " has no records (both runs are drawn)";
  } else {
    try {
      const std::string out = output_path(app, path);
      figure::RenderOptions opt;
      if (slides) opt.style = figure::Style::slides();
      if (shown.size() > 1) {
        opt.format = figure::format_from_path(out);
        const figure::Figure f = overlaid_figure(kind, shown);
        figure::render(f, out, opt);
        figure::write_figure_csv(f, figure::csv_path_for(out));
      } else {
        figure::render_records(kind, {run_data(h)}, out, opt);
      }
      r.ok = true;
      r.files = {out, figure::csv_path_for(out)};
      r.message = "wrote " + r.files[0] + " and " + r.files[1];
    } catch (const std::exception& e) {
      r.message = std::string("figure export failed: ") + e.what();
    }
  }
#else
  (void)kind, (void)path, (void)slides;
  r.message = "figure export needs Cairo (apt install libcairo2-dev) and a rebuild";
#endif
  app.message = r.message;
  app.message_failed = !r.ok;
  // Also in the status bar: a right-click export has no section of its own on screen (Files may be collapsed).
  app.report(r.message, !r.ok);
  return r;
}

std::string figure_kind_for_panel(const AppState& app, Panel panel) {
  switch (panel) {
    case Panel::attention: return "sink";
    // A theory panel exports that panel alone, not the three of the theory figure.
    case Panel::bound: return "bound";
    case Panel::gamma: return "gamma";
    case Panel::potentials: return "potentials";
    default: break;
  }
#ifdef HAVE_POLARLAB_FIGURE
  if (!app.preset.empty()) {
    const std::string k = figure::default_kind_for_preset(app.preset);
    if (k != "sink") return k;
  }
#endif
  const History& h = app.runs.front().history;
  return h.info && h.info->config.model == ModelKind::value_softmax ? "fig2" : "theory";
}

void panel_export_menu(AppState& app, Panel panel) {
  if (!figures_available() || app.lecture) return;
  if (!ImGui::BeginPopupContextWindow("panel_export")) return;
  const std::string kind = figure_kind_for_panel(app, panel);
  ImGui::TextDisabled("Export figure '%s' to %s", kind.c_str(), output_path(app, ".").c_str());
  const std::string base = std::string("polarlab-") + kind;
  for (const char* ext : {".pdf", ".svg", ".png"}) {
    if (ImGui::MenuItem((std::string("paper style ") + base + ext).c_str())) export_figure(app, kind, base + ext, false);
    if (ImGui::MenuItem((std::string("slides style ") + base + "-slides" + ext).c_str()))
      export_figure(app, kind, base + "-slides" + ext, true);
  }
  ImGui::EndPopup();
}

}  // namespace polarlab::gui
