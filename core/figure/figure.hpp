// polarlab_figure — publication figures (PNG at any dpi, SVG, PDF) drawn with Cairo, no ImGui.
//
// The API the CLI uses and the GUI's "Export figure…" buttons can call:
//
//   #include "core/figure/figure.hpp"
//   namespace pf = polarlab::figure;
//
//   // Records already in memory (a GUI plot panel): one RunData per run (several for fig3's κ, fig11's D).
//   pf::RunData run{runner.experiment().config, runner.facts(), runner.records(), ""};
//   pf::render_records("fig2", {run}, "fig2.pdf");            // also writes fig2.csv beside it
//
//   // Run a preset (every sweep member, optionally filtered) and draw its paper figure:
//   pf::render_preset_figure("fig3", {}, "fig12.png", {.format = pf::Format::png, .dpi = 200});
//
//   // Or build, adjust and render by hand (plot.hpp has the Figure model):
//   pf::Figure f = pf::build_figure("theory", runs);
//   f.panels[0].title = "my title";
//   pf::render(f, "x.svg", {.format = pf::Format::svg, .style = pf::Style::slides()});
//
// Figure kinds (figure_kinds()): fig2 (s_j log–log, u_j), fig3 = fig12 (logits a_j per κ), fig10 (loss, s, a),
// fig11 (loss, α, ‖U columns‖ per D), fig13 (six maps × square/logistic), sink (σ(A) heatmaps),
// theory (Φ_ij over time, ∫γ, Theorem 3.3(b) bound against the measured ratio — panels the paper lacks);
// potentials, gamma and bound are the theory figure's panels on their own (the live lab's per-panel export).
// Each coordinate j keeps one colour in every panel; the predicted winner argmax u(0) is drawn thicker,
// starred at its end and named in the legend.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/experiment/config.hpp"
#include "core/figure/figure_csv.hpp"
#include "core/figure/plot.hpp"
#include "core/observe/observables.hpp"

namespace polarlab::figure {

struct RunData {
  ExperimentConfig config;
  InitialFacts facts;
  std::vector<Record> records;
  std::string label;  // sweep member ("κ = 2", "D = 50", "softmax, square"); empty: derived from config
};

const std::vector<std::string>& figure_kinds();
// The kind a preset draws by default (fig3 → fig3, sink → sink, a custom config → theory);
// "fig12" is accepted as an alias of fig3. Throws ConfigError for an unknown kind.
std::string canonical_kind(const std::string& kind);
std::string default_kind_for_preset(const std::string& preset);

// Builds the figure. `note` is appended to the caption (e.g. "10^6 of the preset's 10^7 steps").
// Throws ConfigError when runs do not fit the kind (no runs, fig11 without the tied model, ...).
Figure build_figure(const std::string& kind, const std::vector<RunData>& runs, const std::string& note = "");

// build_figure + render + write_figure_csv (figure_csv.hpp: "out/fig2.pdf" → "out/fig2.csv"); the format is taken from the path's extension (opt.format ignored).
Figure render_records(const std::string& kind, const std::vector<RunData>& runs, const std::string& path,
                      RenderOptions opt = {}, const std::string& note = "");

// A sweep member's label in a legend, by the preset's sweep key ("κ = 5", "$D$ = 16", a map or loss name).
std::string sweep_label(const std::string& key, const ExperimentConfig& c);

// Runs every sweep member of a preset that `keep` accepts (all when empty), to the end.
std::vector<RunData> run_preset(const std::string& preset, const nlohmann::json& overrides = nlohmann::json::object(),
                                const std::function<bool(const ExperimentConfig&)>& keep = {});
Figure render_preset_figure(const std::string& preset, const nlohmann::json& overrides, const std::string& path,
                            RenderOptions opt = {}, const std::string& kind = "");

// A run directory written by `polarlab-cli simulate` (config.json, summary.json, trajectory.csv,
// attention.csv): records as they were written (attention only at the last record). In run_reader.cpp.
RunData read_run_directory(const std::string& dir);

}  // namespace polarlab::figure
