// "Export figure…": the publication renderer (core/figure, Cairo) fed with the records the UI already
// holds, from the Files section (any kind) or a panel's right-click menu (the figure that panel belongs to).
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

void export_figure(AppState& app, const std::string& kind, const std::string& path, bool slides) {
#ifdef HAVE_POLARLAB_FIGURE
  const History& h = app.primary().history;
  if (!h.info) {
    app.message = "nothing to export yet";
    return;
  }
  try {
    figure::RunData run{h.info->config, h.info->facts, {}, ""};
    run.records.reserve(h.records.size());
    for (const Record* r : h.records) run.records.push_back(*r);
    figure::RenderOptions opt;
    if (slides) opt.style = figure::Style::slides();
    figure::render_records(kind, {run}, path, opt);
    app.message = "wrote " + path + " and " + figure::csv_path_for(path);
  } catch (const std::exception& e) {
    app.message = std::string("figure export failed: ") + e.what();
  }
#else
  (void)kind, (void)path, (void)slides;
  app.message = "figure export needs Cairo (apt install libcairo2-dev) and a rebuild";
#endif
}

std::string figure_kind_for_panel(const AppState& app, Panel panel) {
  switch (panel) {
    case Panel::attention: return "sink";
    case Panel::bound:
    case Panel::gamma:
    case Panel::potentials:
    case Panel::loss:
    case Panel::singular: return "theory";
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
  ImGui::TextDisabled("Export figure '%s'", kind.c_str());
  const std::string base = std::string("polarlab-") + kind;
  for (const char* ext : {".pdf", ".svg", ".png"}) {
    if (ImGui::MenuItem((std::string("paper style ") + base + ext).c_str())) export_figure(app, kind, base + ext, false);
    if (ImGui::MenuItem((std::string("slides style ") + base + "-slides" + ext).c_str()))
      export_figure(app, kind, base + "-slides" + ext, true);
  }
  ImGui::EndPopup();
}

}  // namespace polarlab::gui
