// A declarative figure (panels of line plots and heatmaps) and its Cairo renderer.
// Builders in figures.cpp fill a Figure from records; render() lays it out and draws PNG, SVG or PDF.
// Units: the figure is sized in inches, everything inside in points (1/72 in); PNG scales by dpi/72.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/figure/ticks.hpp"

namespace polarlab::figure {

struct Color {
  double r = 0, g = 0, b = 0, a = 1;
};
Color hex_color(unsigned rgb, double alpha = 1.0);
// Coordinate j's colour, the screen's too (plotkit::coordinate_color: the same for every number of coordinates).
Color coordinate_color(int j);
Color viridis(double x);  // x in [0, 1]: plotkit::viridis

struct Series {
  std::vector<double> x, y;
  Color color;
  double width = 1.0;         // × the style's line width
  std::vector<double> dash;   // on/off lengths in points; empty: solid
  std::string label;          // legend entry (markup); empty: not in the legend
  bool end_marker = false;    // a star on the last point (the predicted winner)
  std::string csv_name;       // name in the data CSV (default: plain label)
  int legend_rank = 0;        // legend order (stable); drawing order is the vector's
};

struct RefLine {  // horizontal (or vertical) reference line across the panel
  double value = 0;
  bool vertical = false;
  Color color{0.3, 0.3, 0.3, 1};
  std::vector<double> dash{3, 2};
  std::string label;
};

struct Heatmap {
  int rows = 0, cols = 0;
  std::vector<double> values;  // row-major; NaN cells are drawn grey
  double vmin = 0, vmax = 1;
  std::string colorbar_label;  // markup
  bool colorbar = true;
};

enum class LegendLoc { none, best, upper_left, upper_right, lower_left, lower_right, center_right, outside };

struct Note {  // text at a position given as fractions of the axes box (0,0 bottom left)
  std::string text;
  double fx = 0.03, fy = 0.95;
  double halign = 0.0;  // 0 left, 0.5 centre, 1 right
  Color color{0, 0, 0, 1};
};

struct Axes {
  std::string title, xlabel, ylabel;  // markup
  Scale xscale = Scale::linear, yscale = Scale::linear;
  std::optional<double> xmin, xmax, ymin, ymax;
  std::optional<std::vector<Tick>> xticks, yticks;  // replace the automatic ticks
  std::vector<Series> series;
  std::vector<RefLine> lines;
  std::optional<Heatmap> heatmap;
  std::vector<Note> notes;
  LegendLoc legend = LegendLoc::none;
  int legend_columns = 1;
  std::string legend_title;
};

struct Figure {
  std::string name;       // fig2, fig3, ...
  std::string title;      // optional super-title (markup)
  std::string caption;    // goes into SVG <desc>, PDF metadata and the CSV's first line
  double width_in = 6.5, height_in = 2.4;
  int rows = 1, cols = 1;
  std::vector<Axes> panels;  // row-major, rows·cols of them (fewer leaves blanks)
};

struct Style {
  std::string name = "paper";
  std::string font = "DejaVu Serif";
  double font_pt = 8.0;       // tick labels, legends
  double label_pt = 9.0;      // axis labels
  double title_pt = 9.0;      // panel titles
  double line_pt = 1.0;       // data lines
  double axis_pt = 0.6;       // spines, ticks
  double major_tick_pt = 3.5, minor_tick_pt = 2.0;
  double size_scale = 1.0;    // multiplies the figure's inches
  bool top_right_spines = false;
  static Style paper();
  static Style slides();
};
// "paper" or "slides"; throws ConfigError otherwise.
Style style_by_name(const std::string& name);

enum class Format { png, svg, pdf };
// From the extension (.png, .svg, .pdf; case-insensitive); throws ConfigError otherwise.
Format format_from_path(const std::string& path);
std::string format_extension(Format f);

struct RenderOptions {
  Format format = Format::png;
  double dpi = 300;  // PNG only
  Style style = Style::paper();
};

// Size in pixels a PNG of this figure will have.
void png_size(const Figure& fig, const RenderOptions& opt, int& width, int& height);
// The encoded file (PNG, SVG or PDF bytes).
std::string render_to_bytes(const Figure& fig, const RenderOptions& opt);
// Writes path atomically. Throws std::runtime_error on I/O failure.
void render(const Figure& fig, const std::string& path, const RenderOptions& opt);

// What the renderer decides from the data for each panel: the axis limits as drawn (padded; lo > hi for an
// inverted axis) and the corner a LegendLoc::best legend takes. panel_frames() lays the figure out without
// drawing it; pin_panels() writes the frames back as explicit limits and corners, so that a figure built from
// the first records of a run (an animation frame) draws on the axes of the whole run: nothing jumps.
struct PanelFrame {
  double xmin = 0, xmax = 1, ymin = 0, ymax = 1;
  LegendLoc legend = LegendLoc::none;
};
std::vector<PanelFrame> panel_frames(const Figure& fig, const Style& style);
// Throws std::invalid_argument when the panel counts differ.
void pin_panels(Figure& fig, const std::vector<PanelFrame>& frames);

// An opaque picture in memory: row-major, no padding, each pixel 0xFFRRGGBB (native endianness, as Cairo's).
struct Bitmap {
  int width = 0, height = 0;
  std::vector<std::uint32_t> pixels;
  std::uint32_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};
// Renders fig into exactly width × height pixels (the PNG renderer, without the encoding): the figure is scaled
// uniformly to fit and centred on white. Throws ConfigError for a size outside [1, 16384].
Bitmap render_to_image(const Figure& fig, const Style& style, int width, int height);

// The data behind a figure as CSV: figure_csv.hpp.

}  // namespace polarlab::figure
