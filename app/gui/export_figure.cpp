// "Export figure…": the publication renderer (core/figure, Cairo) fed with the records the UI already
// holds, from the Files section (any kind) or a panel's right-click menu (that panel's figure).
#include <filesystem>

#include "app/gui/app.hpp"

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

ExportResult export_figure(AppState& app, const std::string& kind, const std::string& path, bool slides) {
  ExportResult r;
#ifdef HAVE_POLARLAB_FIGURE
  const History& h = app.primary().history;
  if (!h.info || h.records.empty()) {
    r.message = "nothing to export yet: the run has no records";
  } else {
    try {
      const std::string out = output_path(app, path);
      figure::RunData run{h.info->config, h.info->facts, {}, ""};
      run.records.reserve(h.records.size());
      for (const Record* rec : h.records) run.records.push_back(*rec);
      figure::RenderOptions opt;
      if (slides) opt.style = figure::Style::slides();
      figure::render_records(kind, {run}, out, opt);
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
