// Cairo renderer for plot.hpp's Figure. Layout is matplotlib-like: equal axes boxes in a grid, margins
// sized from the measured tick labels, outward ticks, no top/right spines in the paper style.
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "core/figure/plot.hpp"
#include "core/figure/text.hpp"
#include "core/io/atomic_file.hpp"
#include "core/plotkit/color.hpp"
#include "core/types.hpp"
#include "core/util/enum_names.hpp"

namespace polarlab::figure {

// ---------------------------------------------------------------------------------------------- colours

Color hex_color(unsigned rgb, double alpha) {
  const plotkit::Rgb c = plotkit::from_hex(rgb);
  return {c.r, c.g, c.b, alpha};
}

Color viridis(double x) {
  const plotkit::Rgb c = plotkit::viridis(x);
  return {c.r, c.g, c.b, 1.0};
}

Color coordinate_color(int j) {
  const plotkit::Rgb c = plotkit::coordinate_color(j);
  return {c.r, c.g, c.b, 1.0};
}

// ---------------------------------------------------------------------------------------------- styles

Style Style::paper() { return Style{}; }

Style Style::slides() {
  Style s;
  s.name = "slides";
  s.font = "DejaVu Sans";
  s.font_pt = 15;
  s.label_pt = 17;
  s.title_pt = 18;
  s.line_pt = 2.2;
  s.axis_pt = 1.2;
  s.major_tick_pt = 6;
  s.minor_tick_pt = 3.5;
  s.size_scale = 1.9;
  return s;
}

Style style_by_name(const std::string& name) {
  if (name == "paper") return Style::paper();
  if (name == "slides") return Style::slides();
  throw ConfigError("--style", "unknown style '" + name + "' (allowed: paper, slides)");
}

namespace {
constexpr EnumName<Format> kFormatNames[] = {{Format::png, "png"}, {Format::svg, "svg"}, {Format::pdf, "pdf"}};
}  // namespace

Format format_from_path(const std::string& path) {
  const auto dot = path.find_last_of('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (auto f = parse_name(kFormatNames, ext)) return *f;
  throw ConfigError("--out", "'" + path + "' must end in .png, .svg or .pdf");
}

std::string format_extension(Format f) { return name_of(kFormatNames, f, "png"); }

void png_size(const Figure& fig, const RenderOptions& opt, int& width, int& height) {
  width = std::max(1, static_cast<int>(std::lround(fig.width_in * opt.style.size_scale * opt.dpi)));
  height = std::max(1, static_cast<int>(std::lround(fig.height_in * opt.style.size_scale * opt.dpi)));
}

namespace {

// ---------------------------------------------------------------------------------------------- text

struct TextItem {  // what the SVG text layer repeats as real <text>
  std::string plain;
  double x, y, size, angle;
};

enum class VAlign { baseline, center, top, bottom };

constexpr double kScript = 0.7;      // script size relative to the base
constexpr double kSupRaise = 0.42;   // × base size
constexpr double kSubDrop = 0.18;

class Painter {
 public:
  Painter(cairo_t* cr, const Style& st) : cr_(cr), st_(st) {}
  cairo_t* cr() const { return cr_; }
  std::vector<TextItem> texts;

  struct Extents {
    double width = 0, ascent = 0, descent = 0;
  };

  // Pen position of each run; a subscript directly followed by a superscript (∫_0^t) stacks them.
  std::vector<double> layout(const std::vector<TextRun>& runs, double size, Extents& e) {
    std::vector<double> xs;
    double pen = 0, script_start = 0;
    int prev_level = 0;
    bool stacked_prev = false;
    for (const TextRun& r : runs) {
      const double s = r.level ? size * kScript : size;
      font(s, r.italic);
      cairo_text_extents_t te;
      cairo_text_extents(cr_, r.text.c_str(), &te);
      const bool stack = r.level != 0 && prev_level == -r.level && !stacked_prev;
      const double x = stack ? script_start : pen;
      xs.push_back(x);
      if (r.level != 0 && !stack) script_start = x;
      pen = std::max(stack ? pen : 0.0, x + te.x_advance);
      stacked_prev = stack;
      prev_level = r.level;
      const double shift = r.level > 0 ? kSupRaise * size : r.level < 0 ? -kSubDrop * size : 0.0;
      e.ascent = std::max(e.ascent, shift + 0.74 * s);
      e.descent = std::max(e.descent, -shift + 0.22 * s);
    }
    e.width = pen;
    return xs;
  }

  Extents measure(const std::string& markup, double size) {
    Extents e;
    layout(parse_markup(markup), size, e);
    return e;
  }

  // Draws markup anchored at (x, y): halign 0 left .. 1 right, rotated by angle (radians, counter-clockwise).
  void text(const std::string& markup, double size, double x, double y, double halign, VAlign va,
            double angle = 0.0, Color c = {0, 0, 0, 1}) {
    if (markup.empty()) return;
    const std::vector<TextRun> runs = parse_markup(markup);
    Extents e;
    const std::vector<double> xs = layout(runs, size, e);
    double dx = -halign * e.width, dy = 0;
    switch (va) {
      case VAlign::baseline: break;
      case VAlign::center: dy = 0.36 * size; break;  // half the cap height of DejaVu
      case VAlign::top: dy = e.ascent; break;
      case VAlign::bottom: dy = -e.descent; break;
    }
    cairo_save(cr_);
    cairo_translate(cr_, x, y);
    cairo_rotate(cr_, -angle);
    cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a);
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const TextRun& r = runs[i];
      const double s = r.level ? size * kScript : size;
      const double shift = r.level > 0 ? -kSupRaise * size : r.level < 0 ? kSubDrop * size : 0.0;
      font(s, r.italic);
      cairo_move_to(cr_, dx + xs[i], dy + shift);
      cairo_show_text(cr_, r.text.c_str());
    }
    cairo_restore(cr_);
    // Baseline start in figure coordinates, for the SVG text layer.
    const double ca = std::cos(angle), sa = std::sin(angle);
    texts.push_back({plain_text(markup), x + dx * ca + dy * sa, y - dx * sa + dy * ca, size, angle});
  }

  void color(Color c) { cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a); }

 private:
  void font(double size, bool italic) {
    cairo_select_font_face(cr_, st_.font.c_str(), italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                           CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
  }
  cairo_t* cr_;
  const Style& st_;
};

// ---------------------------------------------------------------------------------------------- axes

double tr(Scale s, double v) { return s == Scale::log ? std::log10(v) : v; }

struct PanelLayout {
  // Limits (lo may exceed hi: an inverted axis), ticks, and the margins this panel asks for.
  double xlo = 0, xhi = 1, ylo = 0, yhi = 1;
  std::vector<Tick> xt, yt;
  double left = 0, right = 0, top = 0, bottom = 0;
  double cbar_w = 0, legend_w = 0;
  LegendLoc legend_drawn = LegendLoc::none;  // the corner draw_panel put the legend in
  // The axes box once placed.
  double x0 = 0, y0 = 0, w = 0, h = 0;
  double px(double v, Scale s) const { return x0 + (tr(s, v) - tr(s, xlo)) / (tr(s, xhi) - tr(s, xlo)) * w; }
  double py(double v, Scale s) const { return y0 + h - (tr(s, v) - tr(s, ylo)) / (tr(s, yhi) - tr(s, ylo)) * h; }
};

std::vector<Tick> auto_ticks(Scale s, double lo, double hi, int target) {
  const double a = std::min(lo, hi), b = std::max(lo, hi);
  return s == Scale::log ? log_ticks(a, b, std::max(2, target + 3)) : linear_ticks(a, b, target);
}

void limits(const Axes& ax, PanelLayout& L) {
  if (ax.heatmap) {
    L.xlo = -0.5, L.xhi = ax.heatmap->cols - 0.5;
    L.ylo = ax.heatmap->rows - 0.5, L.yhi = -0.5;  // row 0 on top
  } else {
    std::vector<double> xs, ys;
    for (const Series& s : ax.series) {
      for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        // Points hidden on a log axis do not set the other axis' limits.
        if (ax.xscale == Scale::log && !(s.x[i] > 0)) continue;
        if (ax.yscale == Scale::log && !(s.y[i] > 0)) continue;
        xs.push_back(s.x[i]);
        ys.push_back(s.y[i]);
      }
    }
    for (const RefLine& l : ax.lines) (l.vertical ? xs : ys).push_back(l.value);
    if (!padded_limits(xs, ax.xscale, L.xlo, L.xhi, ax.xscale == Scale::log ? 0.02 : 0.03)) {
      L.xlo = ax.xscale == Scale::log ? 1 : 0;
      L.xhi = 10;
    }
    if (!padded_limits(ys, ax.yscale, L.ylo, L.yhi)) {
      L.ylo = ax.yscale == Scale::log ? 1 : 0;
      L.yhi = 10;
    }
  }
  if (ax.xmin) L.xlo = *ax.xmin;
  if (ax.xmax) L.xhi = *ax.xmax;
  if (ax.ymin) L.ylo = *ax.ymin;
  if (ax.ymax) L.yhi = *ax.ymax;
}

std::vector<Tick> heatmap_ticks(int n) {
  std::vector<Tick> t;
  const int stride = n <= 12 ? 1 : n <= 30 ? 5 : 10;
  for (int i = 0; i < n; ++i)
    if (i % stride == 0) t.push_back({static_cast<double>(i), std::to_string(i), true});
  return t;
}

double max_label_width(Painter& P, const std::vector<Tick>& ticks, double size) {
  double w = 0;
  for (const Tick& t : ticks)
    if (!t.label.empty()) w = std::max(w, P.measure(t.label, size).width);
  return w;
}

struct LegendBox {
  double w = 0, h = 0, row_h = 0, col_w = 0, handle = 0, pad = 0;
  int rows = 0, cols = 1;
  std::vector<const Series*> entries;
  double title_h = 0;
};

LegendBox legend_box(Painter& P, const Axes& ax, const Style& st) {
  LegendBox b;
  for (const Series& s : ax.series)
    if (!s.label.empty()) b.entries.push_back(&s);
  std::stable_sort(b.entries.begin(), b.entries.end(),
                   [](const Series* x, const Series* y) { return x->legend_rank < y->legend_rank; });
  if (b.entries.empty() || ax.legend == LegendLoc::none) return b;
  const double fs = st.font_pt * 0.85;
  b.cols = std::max(1, ax.legend_columns);
  b.rows = static_cast<int>((b.entries.size() + b.cols - 1) / b.cols);
  b.handle = fs * 1.8;
  b.pad = fs * 0.4;
  b.row_h = fs * 1.3;
  double lw = 0;
  for (const Series* s : b.entries) lw = std::max(lw, P.measure(s->label, fs).width);
  b.col_w = b.handle + fs * 0.5 + lw;
  b.title_h = ax.legend_title.empty() ? 0 : b.row_h;
  const double title_w = ax.legend_title.empty() ? 0 : P.measure(ax.legend_title, fs).width;
  b.w = std::max(b.cols * b.col_w + (b.cols - 1) * fs * 0.8, title_w) + 2 * b.pad;
  b.h = b.rows * b.row_h + b.title_h + 2 * b.pad - fs * 0.15;
  return b;
}

void star_path(cairo_t* cr, double cx, double cy, double r) {
  for (int k = 0; k < 10; ++k) {
    const double ang = -M_PI / 2 + k * M_PI / 5;
    const double rr = k % 2 == 0 ? r : r * 0.42;
    if (k == 0) cairo_move_to(cr, cx + rr * std::cos(ang), cy + rr * std::sin(ang));
    else cairo_line_to(cr, cx + rr * std::cos(ang), cy + rr * std::sin(ang));
  }
  cairo_close_path(cr);
}

void draw_heatmap(Painter& P, const Heatmap& hm, const PanelLayout& L) {
  cairo_t* cr = P.cr();
  // One image pixel per cell, scaled with nearest filtering: no seams between cells in vector output.
  cairo_surface_t* img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, hm.cols, hm.rows);
  unsigned char* data = cairo_image_surface_get_data(img);
  const int stride = cairo_image_surface_get_stride(img);
  cairo_surface_flush(img);
  for (int r = 0; r < hm.rows; ++r)
    for (int c = 0; c < hm.cols; ++c) {
      const double v = hm.values[static_cast<std::size_t>(r) * hm.cols + c];
      // NaN: no value to show (a missing or failed cell), drawn grey so it never reads as the colormap's low end.
      const Color col = std::isnan(v) ? Color{0.55, 0.55, 0.55, 1} : viridis((v - hm.vmin) / (hm.vmax - hm.vmin));
      auto* px = reinterpret_cast<std::uint32_t*>(data + r * stride) + c;
      *px = (static_cast<std::uint32_t>(std::lround(col.r * 255)) << 16) |
            (static_cast<std::uint32_t>(std::lround(col.g * 255)) << 8) |
            static_cast<std::uint32_t>(std::lround(col.b * 255));
    }
  cairo_surface_mark_dirty(img);
  cairo_save(cr);
  cairo_translate(cr, L.x0, L.y0);
  cairo_scale(cr, L.w / hm.cols, L.h / hm.rows);
  cairo_set_source_surface(cr, img, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle(cr, 0, 0, hm.cols, hm.rows);
  cairo_fill(cr);
  cairo_restore(cr);
  cairo_surface_destroy(img);
}

void draw_colorbar(Painter& P, const Heatmap& hm, const PanelLayout& L, const Style& st) {
  cairo_t* cr = P.cr();
  const double gap = st.font_pt * 0.8, bw = st.font_pt * 0.9;
  const double x = L.x0 + L.w + gap, y = L.y0, h = L.h;
  cairo_pattern_t* g = cairo_pattern_create_linear(0, y + h, 0, y);
  for (int k = 0; k <= 32; ++k) {
    const Color c = viridis(k / 32.0);
    cairo_pattern_add_color_stop_rgb(g, k / 32.0, c.r, c.g, c.b);
  }
  cairo_rectangle(cr, x, y, bw, h);
  cairo_set_source(cr, g);
  cairo_fill(cr);
  cairo_pattern_destroy(g);
  cairo_set_line_width(cr, st.axis_pt);
  P.color({0, 0, 0, 1});
  cairo_rectangle(cr, x, y, bw, h);
  cairo_stroke(cr);
  double lw = 0;
  for (const Tick& t : linear_ticks(hm.vmin, hm.vmax, 5)) {
    const double yy = y + h - (t.value - hm.vmin) / (hm.vmax - hm.vmin) * h;
    cairo_move_to(cr, x + bw, yy);
    cairo_line_to(cr, x + bw + st.major_tick_pt, yy);
    cairo_stroke(cr);
    P.text(t.label, st.font_pt, x + bw + st.major_tick_pt + 2, yy, 0, VAlign::center);
    lw = std::max(lw, P.measure(t.label, st.font_pt).width);
  }
  if (!hm.colorbar_label.empty())
    P.text(hm.colorbar_label, st.label_pt, x + bw + st.major_tick_pt + 4 + lw + 0.3 * st.label_pt, y + h / 2, 0.5,
           VAlign::top, M_PI / 2);
}

double colorbar_width(Painter& P, const Heatmap& hm, const Style& st) {
  if (!hm.colorbar) return 0;
  const double lw = max_label_width(P, linear_ticks(hm.vmin, hm.vmax, 5), st.font_pt);
  return st.font_pt * 1.7 + st.major_tick_pt + 4 + lw + (hm.colorbar_label.empty() ? 0 : st.label_pt * 1.4);
}

// Device points of a series (after decimation): a polyline broken at points the axes cannot show.
std::vector<std::vector<std::pair<double, double>>> device_path(const Series& s, const Axes& ax,
                                                                const PanelLayout& L) {
  std::vector<std::vector<std::pair<double, double>>> parts(1);
  double lx = NAN, ly = NAN;
  const std::size_t n = std::min(s.x.size(), s.y.size());
  for (std::size_t i = 0; i < n; ++i) {
    const double x = s.x[i], y = s.y[i];
    const bool ok = std::isfinite(x) && std::isfinite(y) && (ax.xscale != Scale::log || x > 0) &&
                    (ax.yscale != Scale::log || y > 0);
    if (!ok) {
      if (!parts.back().empty()) parts.emplace_back();
      continue;
    }
    double dx = L.px(x, ax.xscale), dy = L.py(y, ax.yscale);
    // Keep far-away points finite for cairo's fixed-point coordinates; the clip hides them.
    dx = std::clamp(dx, -1e5, 1e5);
    dy = std::clamp(dy, -1e5, 1e5);
    // Drop points within 0.2 pt of the last kept one (thousands of records per curve), but keep the end.
    if (!parts.back().empty() && i + 1 < n && std::hypot(dx - lx, dy - ly) < 0.2) continue;
    parts.back().push_back({dx, dy});
    lx = dx, ly = dy;
  }
  if (parts.back().empty()) parts.pop_back();
  return parts;
}

void set_dash(cairo_t* cr, const std::vector<double>& dash, double scale) {
  std::vector<double> d;
  for (double v : dash) d.push_back(v * scale);
  cairo_set_dash(cr, d.empty() ? nullptr : d.data(), static_cast<int>(d.size()), 0);
}

void draw_legend(Painter& P, const Axes& ax, const LegendBox& b, double x, double y, const Style& st) {
  cairo_t* cr = P.cr();
  const double fs = st.font_pt * 0.85;
  const double r = 2.0;
  cairo_new_path(cr);
  cairo_arc(cr, x + b.w - r, y + r, r, -M_PI / 2, 0);
  cairo_arc(cr, x + b.w - r, y + b.h - r, r, 0, M_PI / 2);
  cairo_arc(cr, x + r, y + b.h - r, r, M_PI / 2, M_PI);
  cairo_arc(cr, x + r, y + r, r, M_PI, 3 * M_PI / 2);
  cairo_close_path(cr);
  P.color({1, 1, 1, 0.85});
  cairo_fill_preserve(cr);
  P.color({0.8, 0.8, 0.8, 1});
  cairo_set_line_width(cr, st.axis_pt * 0.8);
  cairo_stroke(cr);
  double ty = y + b.pad;
  if (!ax.legend_title.empty()) {
    P.text(ax.legend_title, fs, x + b.w / 2, ty + b.row_h / 2, 0.5, VAlign::center);
    ty += b.title_h;
  }
  for (std::size_t k = 0; k < b.entries.size(); ++k) {
    const Series& s = *b.entries[k];
    const int col = static_cast<int>(k) / b.rows, row = static_cast<int>(k) % b.rows;
    const double ex = x + b.pad + col * (b.col_w + fs * 0.8);
    const double ey = ty + row * b.row_h + b.row_h / 2;
    cairo_set_line_width(cr, st.line_pt * std::max(s.width, 0.8));
    set_dash(cr, s.dash, st.line_pt);
    P.color(s.color);
    cairo_move_to(cr, ex, ey);
    cairo_line_to(cr, ex + b.handle, ey);
    cairo_stroke(cr);
    set_dash(cr, {}, 1);
    if (s.end_marker) {
      star_path(cr, ex + b.handle / 2, ey, st.font_pt * 0.45);
      P.color(s.color);
      cairo_fill_preserve(cr);
      P.color({0, 0, 0, 1});
      cairo_set_line_width(cr, st.axis_pt * 0.6);
      cairo_stroke(cr);
    }
    P.text(s.label, fs, ex + b.handle + fs * 0.5, ey, 0, VAlign::center);
  }
}

void measure_panel(Painter& P, const Axes& ax, PanelLayout& L, const Style& st, double est_h) {
  limits(ax, L);
  const int ytarget = std::clamp(static_cast<int>(est_h / (st.font_pt * 3.2)), 3, 6);
  if (ax.heatmap) {
    // Given ticks (e.g. category names) replace the index ticks.
    L.xt = ax.xticks ? *ax.xticks : heatmap_ticks(ax.heatmap->cols);
    L.yt = ax.yticks ? *ax.yticks : heatmap_ticks(ax.heatmap->rows);
  } else {
    L.xt = ax.xticks ? *ax.xticks : auto_ticks(ax.xscale, L.xlo, L.xhi, 5);
    L.yt = ax.yticks ? *ax.yticks : auto_ticks(ax.yscale, L.ylo, L.yhi, ytarget);
  }
  const double pad = st.font_pt * 0.4;
  L.left = st.major_tick_pt + pad + max_label_width(P, L.yt, st.font_pt) +
           (ax.ylabel.empty() ? 0 : st.label_pt * 1.35) + st.font_pt * 0.3;
  L.bottom = st.major_tick_pt + pad + st.font_pt * 1.15 + (ax.xlabel.empty() ? 0 : st.label_pt * 1.35) +
             st.font_pt * 0.2;
  L.top = ax.title.empty() ? st.font_pt * 0.8 : st.title_pt * 1.7;
  L.cbar_w = ax.heatmap ? colorbar_width(P, *ax.heatmap, st) : 0;
  if (ax.legend == LegendLoc::outside) L.legend_w = legend_box(P, ax, st).w + st.font_pt * 0.8;
  L.right = st.font_pt * 1.0 + L.cbar_w + L.legend_w;
}

void draw_panel(Painter& P, const Axes& ax, PanelLayout& L, const Style& st) {
  cairo_t* cr = P.cr();
  // Thin the x tick labels until they do not collide (narrow panels of fig13).
  if (!ax.heatmap && !ax.xticks) {
    for (int target = 5; target >= 1; --target) {
      double need = 0;
      for (const Tick& t : L.xt)
        if (!t.label.empty()) need += P.measure(t.label, st.font_pt).width + st.font_pt * 0.8;
      if (need <= L.w * 1.05) break;
      L.xt = ax.xscale == Scale::log ? log_ticks(std::min(L.xlo, L.xhi), std::max(L.xlo, L.xhi), target)
                                     : linear_ticks(std::min(L.xlo, L.xhi), std::max(L.xlo, L.xhi), target);
    }
  }

  // Data, clipped to the axes box.
  cairo_save(cr);
  cairo_rectangle(cr, L.x0, L.y0, L.w, L.h);
  cairo_clip(cr);
  if (ax.heatmap) draw_heatmap(P, *ax.heatmap, L);
  for (const RefLine& l : ax.lines) {
    cairo_set_line_width(cr, st.line_pt * 0.8);
    set_dash(cr, l.dash, st.line_pt);
    P.color(l.color);
    if (l.vertical) {
      const double x = L.px(l.value, ax.xscale);
      cairo_move_to(cr, x, L.y0);
      cairo_line_to(cr, x, L.y0 + L.h);
    } else {
      const double y = L.py(l.value, ax.yscale);
      cairo_move_to(cr, L.x0, y);
      cairo_line_to(cr, L.x0 + L.w, y);
    }
    cairo_stroke(cr);
  }
  std::vector<std::pair<double, double>> all_points;  // for the "best" legend place
  std::vector<std::pair<double, double>> markers;
  std::vector<Color> marker_colors;
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
  for (const Series& s : ax.series) {
    const auto parts = device_path(s, ax, L);
    cairo_set_line_width(cr, st.line_pt * s.width);
    set_dash(cr, s.dash, st.line_pt);
    P.color(s.color);
    for (const auto& part : parts) {
      if (part.size() == 1 && !s.end_marker) {  // a lone point still shows (a marker-only series does not)
        cairo_arc(cr, part[0].first, part[0].second, st.line_pt * s.width, 0, 2 * M_PI);
        cairo_fill(cr);
        continue;
      }
      for (std::size_t i = 0; i < part.size(); ++i) {
        if (i == 0) cairo_move_to(cr, part[i].first, part[i].second);
        else cairo_line_to(cr, part[i].first, part[i].second);
      }
      cairo_stroke(cr);
      all_points.insert(all_points.end(), part.begin(), part.end());
    }
    if (s.end_marker && !parts.empty()) {
      markers.push_back(parts.back().back());
      marker_colors.push_back(s.color);
    }
  }
  set_dash(cr, {}, 1);
  cairo_restore(cr);
  for (std::size_t k = 0; k < markers.size(); ++k) {
    star_path(cr, markers[k].first, markers[k].second, st.font_pt * 0.55);
    P.color(marker_colors[k]);
    cairo_fill_preserve(cr);
    P.color({0, 0, 0, 1});
    cairo_set_line_width(cr, st.axis_pt * 0.7);
    cairo_stroke(cr);
  }

  // Spines.
  P.color({0, 0, 0, 1});
  cairo_set_line_width(cr, st.axis_pt);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_SQUARE);
  cairo_move_to(cr, L.x0, L.y0);
  cairo_line_to(cr, L.x0, L.y0 + L.h);
  cairo_line_to(cr, L.x0 + L.w, L.y0 + L.h);
  if (st.top_right_spines || ax.heatmap) {
    cairo_line_to(cr, L.x0 + L.w, L.y0);
    cairo_close_path(cr);
  }
  cairo_stroke(cr);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);

  // Ticks, outward, and their labels.
  const double pad = st.font_pt * 0.4;
  const double eps = 1e-6;
  auto inside = [&](double v, double lo, double hi, Scale s) {
    const double a = tr(s, std::min(lo, hi)), b = tr(s, std::max(lo, hi)), t = tr(s, v);
    return t >= a - eps * (b - a) && t <= b + eps * (b - a);
  };
  for (const Tick& t : L.xt) {
    if (!inside(t.value, L.xlo, L.xhi, ax.xscale)) continue;
    const double x = L.px(t.value, ax.xscale), y = L.y0 + L.h;
    const double len = t.major ? st.major_tick_pt : st.minor_tick_pt;
    cairo_set_line_width(cr, t.major ? st.axis_pt : st.axis_pt * 0.75);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x, y + len);
    cairo_stroke(cr);
    if (!t.label.empty()) P.text(t.label, st.font_pt, x, y + st.major_tick_pt + pad, 0.5, VAlign::top);
  }
  for (const Tick& t : L.yt) {
    if (!inside(t.value, L.ylo, L.yhi, ax.yscale)) continue;
    const double y = L.py(t.value, ax.yscale), x = L.x0;
    const double len = t.major ? st.major_tick_pt : st.minor_tick_pt;
    cairo_set_line_width(cr, t.major ? st.axis_pt : st.axis_pt * 0.75);
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x - len, y);
    cairo_stroke(cr);
    if (!t.label.empty()) P.text(t.label, st.font_pt, x - st.major_tick_pt - pad, y, 1.0, VAlign::center);
  }

  // Axis labels and title.
  if (!ax.xlabel.empty())
    P.text(ax.xlabel, st.label_pt, L.x0 + L.w / 2,
           L.y0 + L.h + st.major_tick_pt + pad + st.font_pt * 1.15 + st.label_pt * 0.25, 0.5, VAlign::top);
  if (!ax.ylabel.empty()) {
    const double yw = max_label_width(P, L.yt, st.font_pt);
    P.text(ax.ylabel, st.label_pt, L.x0 - st.major_tick_pt - pad - yw - st.label_pt * 0.3, L.y0 + L.h / 2, 0.5,
           VAlign::bottom, M_PI / 2);
  }
  if (!ax.title.empty()) P.text(ax.title, st.title_pt, L.x0 + L.w / 2, L.y0 - st.title_pt * 0.55, 0.5, VAlign::bottom);

  if (ax.heatmap && ax.heatmap->colorbar) draw_colorbar(P, *ax.heatmap, L, st);

  for (const Note& n : ax.notes)
    P.text(n.text, st.font_pt * 0.9, L.x0 + n.fx * L.w, L.y0 + (1 - n.fy) * L.h, n.halign, VAlign::center, 0,
           n.color);

  // Legend.
  const LegendBox b = legend_box(P, ax, st);
  if (b.entries.empty() || ax.legend == LegendLoc::none) return;
  const double m = st.font_pt * 0.5;
  auto corner = [&](LegendLoc loc, double& x, double& y) {
    switch (loc) {
      case LegendLoc::upper_left: x = L.x0 + m, y = L.y0 + m; break;
      case LegendLoc::lower_left: x = L.x0 + m, y = L.y0 + L.h - b.h - m; break;
      case LegendLoc::lower_right: x = L.x0 + L.w - b.w - m, y = L.y0 + L.h - b.h - m; break;
      case LegendLoc::center_right: x = L.x0 + L.w - b.w - m, y = L.y0 + (L.h - b.h) / 2; break;
      case LegendLoc::outside: x = L.x0 + L.w + L.cbar_w + st.font_pt * 0.8, y = L.y0; break;
      default: x = L.x0 + L.w - b.w - m, y = L.y0 + m; break;
    }
  };
  LegendLoc loc = ax.legend;
  if (loc == LegendLoc::best) {
    // The corner covering the fewest drawn points, in matplotlib's order of preference.
    std::size_t best = SIZE_MAX;
    for (LegendLoc c : {LegendLoc::upper_right, LegendLoc::upper_left, LegendLoc::lower_left, LegendLoc::lower_right,
                        LegendLoc::center_right}) {
      double x, y;
      corner(c, x, y);
      std::size_t n = 0;
      for (const auto& [px, py] : all_points) n += px >= x && px <= x + b.w && py >= y && py <= y + b.h;
      if (n < best) best = n, loc = c;
    }
  }
  double x, y;
  corner(loc, x, y);
  L.legend_drawn = loc;
  draw_legend(P, ax, b, x, y, st);
}

// `frames`, when given, receives each panel's limits and legend corner as drawn.
void draw_figure(Painter& P, const Figure& fig, const Style& st, double W, double H,
                 std::vector<PanelFrame>* frames = nullptr) {
  cairo_t* cr = P.cr();
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  const int rows = std::max(1, fig.rows), cols = std::max(1, fig.cols);
  std::vector<PanelLayout> L(fig.panels.size());
  const double sup = fig.title.empty() ? 0 : st.title_pt * 1.9;
  const double est_h = (H - sup) / rows - st.font_pt * 5;
  for (std::size_t i = 0; i < fig.panels.size(); ++i) measure_panel(P, fig.panels[i], L[i], st, est_h);
  std::vector<double> left(cols, 0), right(cols, 0), top(rows, 0), bottom(rows, 0);
  for (std::size_t i = 0; i < fig.panels.size() && i < static_cast<std::size_t>(rows * cols); ++i) {
    const int r = static_cast<int>(i) / cols, c = static_cast<int>(i) % cols;
    left[c] = std::max(left[c], L[i].left);
    right[c] = std::max(right[c], L[i].right);
    top[r] = std::max(top[r], L[i].top);
    bottom[r] = std::max(bottom[r], L[i].bottom);
  }
  double sw = 0, sh = sup;
  for (int c = 0; c < cols; ++c) sw += left[c] + right[c];
  for (int r = 0; r < rows; ++r) sh += top[r] + bottom[r];
  const double aw = std::max(10.0, (W - sw) / cols), ah = std::max(10.0, (H - sh) / rows);
  if (!fig.title.empty()) P.text(fig.title, st.title_pt * 1.05, W / 2, st.title_pt * 0.6, 0.5, VAlign::top);
  for (std::size_t i = 0; i < fig.panels.size() && i < static_cast<std::size_t>(rows * cols); ++i) {
    const int r = static_cast<int>(i) / cols, c = static_cast<int>(i) % cols;
    double x = 0, y = sup;
    for (int k = 0; k < c; ++k) x += left[k] + aw + right[k];
    for (int k = 0; k < r; ++k) y += top[k] + ah + bottom[k];
    L[i].x0 = x + left[c];
    L[i].y0 = y + top[r];
    L[i].w = aw;
    L[i].h = ah;
    draw_panel(P, fig.panels[i], L[i], st);
  }
  if (frames)
    for (const PanelLayout& l : L) frames->push_back({l.xlo, l.xhi, l.ylo, l.yhi, l.legend_drawn});
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

// cairo writes SVG text as glyph outlines; add <title>, <desc> and an invisible layer of real <text>
// at the same places, so the labels can be searched, selected and read by scripts and screen readers.
std::string add_svg_text_layer(const std::string& svg, const Figure& fig, const Style& st,
                               const std::vector<TextItem>& texts) {
  const std::size_t open = svg.find("<svg");
  const std::size_t open_end = open == std::string::npos ? std::string::npos : svg.find('>', open);
  const std::size_t close = svg.rfind("</svg>");
  if (open_end == std::string::npos || close == std::string::npos || close < open_end) return svg;
  std::ostringstream head, layer;
  head << "\n<title>" << xml_escape(plain_text(fig.title.empty() ? fig.name : fig.title)) << "</title>\n<desc>"
       << xml_escape(fig.caption) << "</desc>";
  layer << "<g id=\"polarlab-text\" fill=\"#000\" fill-opacity=\"0\" stroke=\"none\" font-family=\""
        << xml_escape(st.font) << "\">\n";
  char buf[160];
  for (const TextItem& t : texts) {
    std::snprintf(buf, sizeof buf, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\"", t.x, t.y, t.size);
    layer << buf;
    if (t.angle != 0) {
      std::snprintf(buf, sizeof buf, " transform=\"rotate(%.1f %.2f %.2f)\"", -t.angle * 180 / M_PI, t.x, t.y);
      layer << buf;
    }
    layer << '>' << xml_escape(t.plain) << "</text>\n";
  }
  layer << "</g>\n";
  return svg.substr(0, open_end + 1) + head.str() + svg.substr(open_end + 1, close - open_end - 1) + layer.str() +
         svg.substr(close);
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void check(cairo_status_t s, const char* what) {
  if (s != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cairo: ") + what + ": " + cairo_status_to_string(s));
}

// Unhinted metrics: the same layout in every format, at every dpi and every pixel size.
void unhinted_text(cairo_t* cr) {
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, fo);
  cairo_font_options_destroy(fo);
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;
using ContextPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;

}  // namespace

std::vector<PanelFrame> panel_frames(const Figure& fig, const Style& st) {
  // The layout is in points whatever the surface: draw onto one pixel and keep what draw_figure decided.
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1), cairo_surface_destroy);
  check(cairo_surface_status(surface.get()), "surface");
  ContextPtr cr(cairo_create(surface.get()), cairo_destroy);
  unhinted_text(cr.get());
  Painter P(cr.get(), st);
  std::vector<PanelFrame> frames;
  draw_figure(P, fig, st, fig.width_in * st.size_scale * 72.0, fig.height_in * st.size_scale * 72.0, &frames);
  check(cairo_status(cr.get()), "layout");
  return frames;
}

void pin_panels(Figure& fig, const std::vector<PanelFrame>& frames) {
  if (frames.size() != fig.panels.size())
    throw std::invalid_argument("pin_panels: " + std::to_string(frames.size()) + " frames for " +
                                std::to_string(fig.panels.size()) + " panels");
  for (std::size_t i = 0; i < frames.size(); ++i) {
    Axes& ax = fig.panels[i];
    const PanelFrame& f = frames[i];
    ax.xmin = f.xmin, ax.xmax = f.xmax, ax.ymin = f.ymin, ax.ymax = f.ymax;
    if (ax.legend == LegendLoc::best && f.legend != LegendLoc::none) ax.legend = f.legend;
  }
}

Bitmap render_to_image(const Figure& fig, const Style& st, int width, int height) {
  if (width < 1 || height < 1 || width > 16384 || height > 16384)
    throw ConfigError("--size", std::to_string(width) + "x" + std::to_string(height) +
                                    " is outside 1x1 .. 16384x16384 pixels");
  const double W = fig.width_in * st.size_scale * 72.0, H = fig.height_in * st.size_scale * 72.0;
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy);
  check(cairo_surface_status(surface.get()), "surface");
  {
    ContextPtr cr(cairo_create(surface.get()), cairo_destroy);
    cairo_set_source_rgb(cr.get(), 1, 1, 1);
    cairo_paint(cr.get());
    const double scale = std::min(width / W, height / H);
    cairo_translate(cr.get(), (width - scale * W) / 2, (height - scale * H) / 2);
    cairo_scale(cr.get(), scale, scale);
    unhinted_text(cr.get());
    Painter P(cr.get(), st);
    draw_figure(P, fig, st, W, H);
    check(cairo_status(cr.get()), "drawing");
  }
  cairo_surface_flush(surface.get());
  Bitmap img;
  img.width = width, img.height = height;
  img.pixels.resize(static_cast<std::size_t>(width) * height);
  const unsigned char* data = cairo_image_surface_get_data(surface.get());
  const int stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < height; ++y) {
    const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    std::uint32_t* out = img.pixels.data() + static_cast<std::size_t>(y) * width;
    for (int x = 0; x < width; ++x) out[x] = row[x] | 0xFF000000u;  // RGB24 leaves the top byte undefined
  }
  return img;
}

std::string render_to_bytes(const Figure& fig, const RenderOptions& opt) {
  const Style& st = opt.style;
  const double W = fig.width_in * st.size_scale * 72.0, H = fig.height_in * st.size_scale * 72.0;
  std::string out;
  cairo_surface_t* surface = nullptr;
  int wpx = 0, hpx = 0;
  switch (opt.format) {
    case Format::png:
      if (!(opt.dpi >= 10 && opt.dpi <= 2400)) throw ConfigError("--dpi", "must be in [10, 2400]");
      png_size(fig, opt, wpx, hpx);
      surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, wpx, hpx);
      break;
    case Format::svg:
      surface = cairo_svg_surface_create_for_stream(append_bytes, &out, W, H);
      cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
      break;
    case Format::pdf:
      surface = cairo_pdf_surface_create_for_stream(append_bytes, &out, W, H);
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE,
                                     plain_text(fig.title.empty() ? fig.name : fig.title).c_str());
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, fig.caption.c_str());
      cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "polarlab");
      break;
  }
  check(cairo_surface_status(surface), "surface");
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> sguard(surface, cairo_surface_destroy);
  cairo_t* cr = cairo_create(surface);
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cguard(cr, cairo_destroy);
  if (opt.format == Format::png) cairo_scale(cr, wpx / W, hpx / H);
  unhinted_text(cr);
  Painter P(cr, st);
  draw_figure(P, fig, st, W, H);
  check(cairo_status(cr), "drawing");
  cguard.reset();
  if (opt.format == Format::png) {
    cairo_surface_flush(surface);
    check(cairo_surface_write_to_png_stream(surface, append_bytes, &out), "png");
  } else {
    cairo_surface_finish(surface);
    check(cairo_surface_status(surface), "finish");
  }
  sguard.reset();
  if (opt.format == Format::svg) out = add_svg_text_layer(out, fig, st, P.texts);
  return out;
}

void render(const Figure& fig, const std::string& path, const RenderOptions& opt) {
  const std::string bytes = render_to_bytes(fig, opt);
  write_file_atomically(path, [&](std::ostream& o) { o.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

}  // namespace polarlab::figure
