#include "app/widgets/plot.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "core/plotkit/decimation_cache.hpp"
#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::widgets {

using plotkit::DecimationCache;
using plotkit::DecimationView;

namespace {

// Per-series caches, so that a frame costs O(new points) for auto-fit and nothing for decimation when
// neither the data nor the view changed (a finished 10⁵-point run redraws from a few thousand indices).
struct SeriesCache {
  // auto-fit: bounds of [0, fit_n) for the scales fit_x, fit_y
  std::size_t fit_n = 0;
  Scale fit_x = Scale::linear, fit_y = Scale::linear;
  double xlo = 0, xhi = 0, ylo = 0, yhi = 0;
  DecimationCache decimation;
};

std::size_t g_vertices = 0;
// Re-decimating a series from scratch costs O(its points). When every plot's view moves at once (the shared
// time axis grows past a bound), that was 8·10⁶ points and 30 ms in one frame. A frame redoes at most about
// this many points; a series over the budget draws last frame's points (exact points of the series, kept in
// axis space and projected with the new view, only decimated for slightly different columns) and is redone
// on a later frame.
constexpr std::size_t kRedecimateBudget = 600000;
std::size_t g_redecimated = 0;  // this frame
int g_redecimate_frame = -1;
std::size_t g_redecimated_total = 0;

// Transformed coordinate (log10 on log axes): zoom and pan are linear in it.
double tf(Scale s, double v) { return s == Scale::log ? std::log10(v) : v; }
double itf(Scale s, double v) { return s == Scale::log ? std::pow(10.0, v) : v; }

void zoom_axis(Scale s, double& lo, double& hi, double frac, double factor) {
  const double a = tf(s, lo), b = tf(s, hi);
  const double c = a + frac * (b - a);
  double na = c - (c - a) * factor, nb = c + (b - c) * factor;
  if (!(nb - na > 1e-12 * std::max(1.0, std::fabs(c)))) return;  // refuse to zoom into nothing
  if (s == Scale::log && (na < -300 || nb > 300)) return;
  lo = itf(s, na);
  hi = itf(s, nb);
}

void pan_axis(Scale s, double& lo, double& hi, double dfrac) {
  const double a = tf(s, lo), b = tf(s, hi), d = dfrac * (b - a);
  lo = itf(s, a + d);
  hi = itf(s, b + d);
}

}  // namespace

struct Plot::State {
  std::vector<SeriesCache> cache;
  bool initialised = false;
  bool auto_fit = true;
  Scale x = Scale::log, y = Scale::linear;
  double xlo = 1e-2, xhi = 1.0, ylo = 0.0, yhi = 1.0;
};

struct Plot::Frame {
  ImDrawList* dl = nullptr;
  float fs = 13.0f;
  ImVec2 p0, size;
  bool hovered = false, active = false, in_area = false;
  ImVec2 mouse;
  float title_h = 0, xlab_h = 0, ylab_w = 0;
  ImVec2 a0;             // the plot area's top-left corner …
  float aw = 0, ah = 0;  // … and size
  std::vector<Tick> xticks, yticks;
  ImU32 text_col = 0, dim_col = 0;
  // hover: the nearest drawn point
  int best_series = -1;
  std::size_t best_index = 0;
  std::vector<ImVec2>* drawn = nullptr;  // every drawn point, to put the legend where the data is not
  std::vector<std::size_t> series_first;  // where each series' points start in *drawn
  // Lecture mode: the legend's strip under the title (its items' offsets from strip0; mini: a swatch only).
  struct StripItem {
    const void* series;
    ImVec2 at;
    std::string text;
    bool mini;
  };
  bool strip = false;
  ImVec2 strip0;
  float strip_h = 0;
  std::vector<StripItem> strip_items;
  ImVec4 legend_box{0, 0, 0, 0};  // where the legend was drawn (tests)
  float legend_text_right = 0;
  std::vector<std::string> legend_text;
};

std::size_t Plot::vertices_submitted() { return g_vertices; }
void Plot::reset_vertex_count() { g_vertices = 0; }
std::size_t Plot::points_redecimated() { return g_redecimated_total; }

namespace {
std::vector<Plot::DrawnEnd> g_drawn_ends;
int g_drawn_ends_frame = -1;
}  // namespace
const std::vector<Plot::DrawnEnd>& Plot::drawn_ends() {
  if (g_drawn_ends_frame != ImGui::GetFrameCount()) g_drawn_ends.clear();  // no plot drawn this frame
  return g_drawn_ends;
}

namespace {
bool g_legend_outside = false;
bool g_record_drawn = false;
std::vector<Plot::DrawnPlot> g_drawn_plots;
int g_drawn_plots_frame = -1;
}  // namespace
void Plot::set_legend_outside(bool on) { g_legend_outside = on; }
void Plot::record_drawn(bool on) { g_record_drawn = on; }
const std::vector<Plot::DrawnPlot>& Plot::drawn_plots() {
  if (g_drawn_plots_frame != ImGui::GetFrameCount()) g_drawn_plots.clear();  // no plot drawn this frame
  return g_drawn_plots;
}

Plot::Plot(const char* id, const PlotOptions& options) : id_(ImGui::GetID(id)), opt_(options) {}

Plot::~Plot() {
  if (!ended_) end();
}

void Plot::line(const char* label, const double* x, const double* y, std::size_t n, const LineStyle& style) {
  series_.push_back(Series{label ? label : "", x, y, n, style});
}
void Plot::vline(double x, ImU32 color) { marks_.push_back(Mark{x, 0, color, 0, 0}); }
void Plot::hline(double y, ImU32 color) { marks_.push_back(Mark{0, y, color, 0, 1}); }
void Plot::marker(double x, double y, ImU32 color, float radius) { marks_.push_back(Mark{x, y, color, radius, 2}); }

Plot::State& Plot::state() {
  static std::unordered_map<ImGuiID, State> states;
  State& st = states[id_];
  if (!st.initialised) {
    st.initialised = true;
    st.x = opt_.x;
    st.y = opt_.y;
  }
  return st;
}

void Plot::end() {
  ended_ = true;
  State& st = state();
  static std::vector<ImVec2> drawn;
  drawn.clear();
  Frame f;
  f.drawn = &drawn;
  place(f, st);
  bind_series(st);
  if (st.auto_fit) fit(st);
  lay_out(f, st);
  handle_input(f, st);
  draw_axes(f, st);
  f.dl->PushClipRect(f.a0, ImVec2(f.a0.x + f.aw, f.a0.y + f.ah), true);
  draw_series(f, st);
  draw_marks(f, st);
  draw_hover(f, st);
  f.dl->PopClipRect();
  draw_legend(f);
  if (g_record_drawn) {
    if (g_drawn_plots_frame != ImGui::GetFrameCount()) g_drawn_plots_frame = ImGui::GetFrameCount(), g_drawn_plots.clear();
    DrawnPlot d;
    d.title = opt_.title ? opt_.title : "";
    d.area = ImVec4(f.a0.x, f.a0.y, f.a0.x + f.aw, f.a0.y + f.ah);
    d.legend = f.legend_box;
    d.legend_text = f.legend_text;
    d.legend_text_right = f.legend_text_right;
    f.series_first.push_back(drawn.size());
    float thickest = 0.0f, thinnest = 1e9f;
    for (std::size_t si = 0; si < series_.size(); ++si) {
      d.series.emplace_back(drawn.begin() + static_cast<long>(f.series_first[si]),
                            drawn.begin() + static_cast<long>(f.series_first[si + 1]));
      if (series_[si].label.empty()) continue;
      thinnest = std::min(thinnest, series_[si].style.thickness);
      if (series_[si].style.thickness > thickest) thickest = series_[si].style.thickness, d.top = static_cast<int>(si);
    }
    if (!(thickest > thinnest)) d.top = -1;
    d.title_width = ImGui::CalcTextSize(d.title.c_str()).x;
    d.title_room = f.size.x - f.fs * 0.4f;
    d.title_cut = d.title_width > d.title_room;
    g_drawn_plots.push_back(std::move(d));
  }
}

void Plot::place(Frame& f, State& st) {
  f.dl = ImGui::GetWindowDrawList();
  f.fs = ImGui::GetFontSize();
  f.size = opt_.size;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (f.size.x <= 0) f.size.x = std::max(avail.x, 50.0f);
  if (f.size.y <= 0) f.size.y = std::max(avail.y, 50.0f);
  f.p0 = ImGui::GetCursorScreenPos();
  ImGui::PushID(static_cast<int>(id_));
  ImGui::InvisibleButton("##plot", f.size, ImGuiButtonFlags_MouseButtonLeft);
  f.hovered = ImGui::IsItemHovered();
  f.active = ImGui::IsItemActive();
  if (f.hovered) ImGui::SetItemUsingMouseWheel();
  if (ImGui::BeginPopupContextItem("##plotmenu")) {
    bool logx = st.x == Scale::log, logy = st.y == Scale::log;
    if (ImGui::Checkbox("log x", &logx)) { st.x = logx ? Scale::log : Scale::linear; st.auto_fit = true; }
    if (ImGui::Checkbox("log y", &logy)) { st.y = logy ? Scale::log : Scale::linear; st.auto_fit = true; }
    ImGui::Checkbox("auto-fit", &st.auto_fit);
    ImGui::TextDisabled("wheel: zoom (shift: x only, ctrl: y only)\ndrag: pan, double-click: fit");
    ImGui::EndPopup();
  }
  ImGui::PopID();
  f.text_col = ImGui::GetColorU32(ImGuiCol_Text);
  f.dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
}

void Plot::bind_series(State& st) {
  if (st.cache.size() != series_.size()) st.cache.resize(series_.size());
  for (std::size_t si = 0; si < series_.size(); ++si) {
    SeriesCache& c = st.cache[si];
    const Series& s = series_[si];
    // Other data (or a restarted run): the auto-fit bounds start over with the decimation.
    if (!c.decimation.bind(s.x, s.y, s.n)) c.fit_n = 0;
  }
}

// Auto-fit: the data's extent (positive part on log axes), padded a little.
void Plot::fit(State& st) {
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (std::size_t si = 0; si < series_.size(); ++si) {
    const Series& s = series_[si];
    SeriesCache& c = st.cache[si];
    if (c.fit_x != st.x || c.fit_y != st.y || c.fit_n == 0 || s.n < c.fit_n) {
      c.fit_n = 0, c.fit_x = st.x, c.fit_y = st.y;
      c.xlo = c.ylo = std::numeric_limits<double>::infinity();
      c.xhi = c.yhi = -std::numeric_limits<double>::infinity();
    }
    for (std::size_t i = c.fit_n; i < s.n; ++i) {
      const double xv = s.x[i], yv = s.y[i];
      if (!std::isfinite(xv) || !std::isfinite(yv)) continue;
      if (st.x == Scale::log && xv <= 0) continue;
      if (st.y == Scale::log && yv <= 0) continue;
      c.xlo = std::min(c.xlo, xv), c.xhi = std::max(c.xhi, xv);
      c.ylo = std::min(c.ylo, yv), c.yhi = std::max(c.yhi, yv);
    }
    c.fit_n = s.n;
    xlo = std::min(xlo, c.xlo), xhi = std::max(xhi, c.xhi);
    ylo = std::min(ylo, c.ylo), yhi = std::max(yhi, c.yhi);
  }
  if (xlo > xhi) { xlo = st.x == Scale::log ? 1e-2 : 0.0; xhi = 1.0; }
  if (ylo > yhi) { ylo = st.y == Scale::log ? 1e-2 : 0.0; yhi = 1.0; }
  if (xlo == xhi) pad_range(st.x, xlo, xhi, 0.0);
  // While a run grows, move the x end in quarter decades (log) or tenths (linear), not every frame:
  // a steadier axis, and appended points only touch the last pixel columns.
  if (st.x == Scale::log) xhi = std::pow(10.0, std::ceil(std::log10(xhi) * 4.0 - 1e-9) / 4.0);
  else if (xhi > xlo) {
    const double step = std::pow(10.0, std::floor(std::log10(xhi - xlo))) / 10.0;
    xhi = std::ceil(xhi / step - 1e-9) * step;
  }
  pad_range(st.y, ylo, yhi, 0.05);
  st.xlo = xlo, st.xhi = xhi, st.ylo = ylo, st.yhi = yhi;
  if (opt_.fixed_ymin < opt_.fixed_ymax && st.y == Scale::linear) {
    st.ylo = opt_.fixed_ymin - 0.03 * (opt_.fixed_ymax - opt_.fixed_ymin);
    st.yhi = opt_.fixed_ymax + 0.03 * (opt_.fixed_ymax - opt_.fixed_ymin);
  }
}

// Layout: title on top, tick labels left and below, the x label at the right end of the x axis.
void Plot::lay_out(Frame& f, const State& st) {
  const float fs = f.fs;
  f.title_h = fs * 1.35f;
  f.xlab_h = fs * 1.6f;
  f.strip_h = legend_strip(f);
  f.title_h += f.strip_h;
  const int ymax_ticks = std::clamp(static_cast<int>((f.size.y - f.title_h - f.xlab_h) / (fs * 2.0f)), 2, 10);
  f.yticks = make_ticks(st.y, st.ylo, st.yhi, ymax_ticks);
  f.ylab_w = fs * 1.5f;
  for (const Tick& t : f.yticks)
    if (!t.label.empty()) f.ylab_w = std::max(f.ylab_w, tick_label_width(t, fs) + fs * 0.5f);
  const float xname_w = ImGui::CalcTextSize(opt_.xlabel).x + fs * 0.6f;
  f.a0 = ImVec2{f.p0.x + f.ylab_w, f.p0.y + f.title_h};
  const ImVec2 a1{f.p0.x + f.size.x - std::max(xname_w, fs * 0.8f), f.p0.y + f.size.y - f.xlab_h};
  f.aw = std::max(a1.x - f.a0.x, 10.0f), f.ah = std::max(a1.y - f.a0.y, 10.0f);
  const int xmax_ticks = std::clamp(static_cast<int>(f.aw / (fs * 4.5f)), 2, 12);
  f.xticks = make_ticks(st.x, st.xlo, st.xhi, xmax_ticks);
}

// Interaction (before drawing so the frame shows the new range).
void Plot::handle_input(Frame& f, State& st) {
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 mouse = io.MousePos;
  f.mouse = mouse;
  f.in_area = f.hovered && mouse.x >= f.a0.x && mouse.x <= f.a0.x + f.aw && mouse.y >= f.a0.y && mouse.y <= f.a0.y + f.ah;
  if (f.hovered && io.MouseWheel != 0.0f) {
    const double factor = std::pow(1.2, -io.MouseWheel);
    const double fx = std::clamp((mouse.x - f.a0.x) / f.aw, 0.0f, 1.0f);
    const double fy = std::clamp((f.a0.y + f.ah - mouse.y) / f.ah, 0.0f, 1.0f);
    if (!io.KeyCtrl) zoom_axis(st.x, st.xlo, st.xhi, fx, factor);
    if (!io.KeyShift) zoom_axis(st.y, st.ylo, st.yhi, fy, factor);
    st.auto_fit = false;
  }
  if (f.active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 1.0f)) {
    const ImVec2 d = io.MouseDelta;
    if (d.x != 0 || d.y != 0) {
      pan_axis(st.x, st.xlo, st.xhi, -d.x / f.aw);
      pan_axis(st.y, st.ylo, st.yhi, d.y / f.ah);
      st.auto_fit = false;
    }
  }
  if (f.hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) st.auto_fit = true;
}

// Title, note, grid, ticks and their labels, the x axis name and the frame.
void Plot::draw_axes(const Frame& f, const State& st) {
  ImDrawList* dl = f.dl;
  const float fs = f.fs;
  const ImVec2 a0 = f.a0;
  const float aw = f.aw, ah = f.ah;
  const AxisMap xm{st.x, st.xlo, st.xhi}, ym{st.y, st.ylo, st.yhi};
  const ImU32 text_col = f.text_col, dim_col = f.dim_col;
  const ImU32 grid_major = IM_COL32(255, 255, 255, 38), grid_minor = IM_COL32(255, 255, 255, 14);
  // The plot area is not filled: the window clear shows through (fill rate matters under llvmpipe).
  // A title too long for a small panel starts at the panel's left edge, and is cut with "…" if it still does
  // not fit, instead of running into the next panel.
  std::string title = opt_.title;
  float title_x = f.p0.x + f.ylab_w;
  if (ImGui::CalcTextSize(title.c_str()).x > f.size.x - f.ylab_w) {
    title_x = f.p0.x + fs * 0.2f;
    title = fit_text(opt_.title, f.size.x - fs * 0.4f);
  }
  add_text(dl, ImVec2(title_x, f.p0.y + fs * 0.1f), text_col, title.c_str());
  if (!note_.empty()) {
    // Only where it does not collide with the title.
    const float w = ImGui::CalcTextSize(note_.c_str()).x, tw = ImGui::CalcTextSize(title.c_str()).x;
    if (title_x + tw + fs < a0.x + aw - w) dl->AddText(ImVec2(a0.x + aw - w, f.p0.y + fs * 0.1f), dim_col, note_.c_str());
  }
  // Minor grid lines only where they are few (an axis of one or two decades). A six-decade log axis would
  // draw fifty of them: noise on screen, and a large share of a software-rendered frame. Minor ticks stay.
  constexpr std::size_t kMinorGridMaxTicks = 20;
  const bool minor_grid_x = f.xticks.size() <= kMinorGridMaxTicks, minor_grid_y = f.yticks.size() <= kMinorGridMaxTicks;
  // Labels that fit: decades first, then the labelled minor ticks, each only where it keeps clear of the labels
  // already placed ("0.30.40.5" on a short axis in the lecture's font). Each label is an interval along its axis.
  struct Placed {
    const Tick* tick;
    float lo, hi, pos;
  };
  auto place_labels = [&](std::vector<Placed> cand, float pad) {
    std::stable_sort(cand.begin(), cand.end(), [](const Placed& a, const Placed& b) { return a.tick->major > b.tick->major; });
    std::vector<Placed> kept;
    for (const Placed& c : cand) {
      bool clear = true;
      for (const Placed& k : kept) clear = clear && (c.hi + pad <= k.lo || k.hi + pad <= c.lo);
      if (clear) kept.push_back(c);
    }
    return kept;
  };
  std::vector<Placed> xlabels, ylabels;
  for (const Tick& t : f.xticks) {
    const double fr = xm.forward(t.value);
    if (!(fr >= -1e-6 && fr <= 1 + 1e-6)) continue;
    const float x = a0.x + static_cast<float>(fr) * aw;
    if (t.major || minor_grid_x) add_vline(dl, x, a0.y, a0.y + ah, t.major ? grid_major : grid_minor);
    add_vline(dl, x, a0.y + ah, a0.y + ah + (t.major ? fs * 0.3f : fs * 0.15f), dim_col);
    if (!t.label.empty()) {
      const float w = tick_label_width(t, fs);
      // The axis name sits right of the frame: a label that would run into it moves left to end at the frame.
      float left = x - w * 0.5f;
      if (opt_.xlabel && *opt_.xlabel) left = std::min(left, a0.x + aw + fs * 0.1f - w);
      xlabels.push_back({&t, left, left + w, left});
    }
  }
  for (const Placed& p : place_labels(std::move(xlabels), fs * 0.5f))
    draw_tick_label(dl, *p.tick, ImVec2(p.pos, a0.y + ah + fs * 0.3f), fs, text_col);
  for (const Tick& t : f.yticks) {
    const double fr = ym.forward(t.value);
    if (!(fr >= -1e-6 && fr <= 1 + 1e-6)) continue;
    const float y = a0.y + ah - static_cast<float>(fr) * ah;
    if (t.major || minor_grid_y) add_hline(dl, a0.x, a0.x + aw, y, t.major ? grid_major : grid_minor);
    add_hline(dl, a0.x - (t.major ? fs * 0.3f : fs * 0.15f), a0.x, y, dim_col);
    if (!t.label.empty()) {
      // Kept within the frame's height: above it is the legend strip, below it the x labels.
      const float top = std::clamp(y - fs * 0.55f, a0.y, std::max(a0.y, a0.y + ah - fs * 0.7f));
      ylabels.push_back({&t, top - (t.exponent.empty() ? 0.0f : fs * 0.3f), top + fs, top});  // a raised exponent
    }
  }
  for (const Placed& p : place_labels(std::move(ylabels), fs * 0.1f)) {
    const float w = tick_label_width(*p.tick, fs);
    draw_tick_label(dl, *p.tick, ImVec2(a0.x - w - fs * 0.35f, p.pos), fs, text_col);
  }
  add_text(dl, ImVec2(a0.x + aw + fs * 0.3f, a0.y + ah + fs * 0.3f), text_col, opt_.xlabel);
  add_frame(dl, a0, ImVec2(a0.x + aw, a0.y + ah), IM_COL32(255, 255, 255, 70));
}

// Series, decimated per pixel column; remember the nearest drawn point for the hover readout.
void Plot::draw_series(Frame& f, State& st) {
  ImDrawList* dl = f.dl;
  const float fs = f.fs;
  static std::vector<ImVec2> pts;
  // The mapping from axis-space values (the cached decimated points) to the screen: affine per point.
  const double xa = axis_space(st.x, st.xlo), xk = f.aw / (axis_space(st.x, st.xhi) - xa);
  const double ya = axis_space(st.y, st.ylo), yk = f.ah / (axis_space(st.y, st.yhi) - ya);
  auto project = [&](double ax, double ay) {
    return ImVec2(f.a0.x + static_cast<float>((ax - xa) * xk), f.a0.y + f.ah - static_cast<float>((ay - ya) * yk));
  };
  float best_d2 = (fs * 1.2f) * (fs * 1.2f);
  const DecimationView view{st.x, st.y, st.xlo, st.xhi, std::max(1, static_cast<int>(f.aw))};
  std::optional<SmoothLines> smooth(std::in_place, dl);  // series lines at any angle: the filtered atlas
  if (g_drawn_ends_frame != ImGui::GetFrameCount()) g_drawn_ends_frame = ImGui::GetFrameCount(), g_drawn_ends.clear();
  double drawn_end = -std::numeric_limits<double>::infinity();
  for (std::size_t si = 0; si < series_.size(); ++si) {
    const Series& s = series_[si];
    f.series_first.push_back(f.drawn->size());
    if (s.n == 0) continue;
    DecimationCache& cache = st.cache[si].decimation;
    if (g_redecimate_frame != ImGui::GetFrameCount()) g_redecimate_frame = ImGui::GetFrameCount(), g_redecimated = 0;
    const std::size_t left = g_redecimated < kRedecimateBudget ? kRedecimateBudget - g_redecimated : 0;
    if (cache.update(view, left) == DecimationCache::Update::redecimated) {
      g_redecimated += cache.last_cost(), g_redecimated_total += cache.last_cost();
    }
    // Split the polyline where points are missing (NaN, non-positive on a log axis).
    pts.clear();
    auto flush = [&]() {
      if (pts.size() > 2) {
        static_assert(sizeof(ImVec2) == 2 * sizeof(float));
        pts.resize(simplify_polyline(reinterpret_cast<float*>(pts.data()), pts.size(), 0.25f));
      }
      if (pts.size() >= 2) {
        if (s.style.dashed) draw_dashed_polyline(dl, pts.data(), static_cast<int>(pts.size()), s.style.color,
                                                 s.style.thickness, fs * 0.5f);
        else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), s.style.color, 0, s.style.thickness);
        g_vertices += pts.size();
      } else if (pts.size() == 1) {
        dl->AddCircleFilled(pts[0], s.style.thickness + 1.0f, s.style.color);
      }
      pts.clear();
    };
    const std::vector<std::size_t>& idx = cache.indices();
    const std::vector<double>& ax = cache.ax();
    const std::vector<double>& ay = cache.ay();
    if (!idx.empty()) drawn_end = std::max(drawn_end, s.x[idx.back()]);
    for (std::size_t j = 0; j < idx.size(); ++j) {
      if (!(ax[j] == ax[j])) continue;  // x ≤ 0 on a log axis
      const ImVec2 p = project(ax[j], ay[j]);
      pts.push_back(p);
      if (f.drawn->size() < 200000) f.drawn->push_back(p);
      if (f.in_area) {
        const float dx = p.x - f.mouse.x, dy = p.y - f.mouse.y, d2 = dx * dx + dy * dy;
        if (d2 < best_d2) best_d2 = d2, f.best_series = static_cast<int>(si), f.best_index = idx[j];
      }
    }
    flush();
  }
  if (drawn_end > -std::numeric_limits<double>::infinity())
    g_drawn_ends.push_back(DrawnEnd{opt_.title ? opt_.title : "", drawn_end});
}

void Plot::draw_marks(const Frame& f, const State& st) {
  const AxisMap xm{st.x, st.xlo, st.xhi}, ym{st.y, st.ylo, st.yhi};
  for (const Mark& m : marks_) {
    if (m.kind == 0) {
      const double fr = xm.forward(m.x);
      if (fr >= 0 && fr <= 1) add_vline(f.dl, f.a0.x + static_cast<float>(fr) * f.aw, f.a0.y, f.a0.y + f.ah, m.color);
    } else if (m.kind == 1) {
      const double fr = ym.forward(m.y);
      if (fr >= 0 && fr <= 1) add_hline(f.dl, f.a0.x, f.a0.x + f.aw, f.a0.y + f.ah - static_cast<float>(fr) * f.ah, m.color);
    } else {
      const ImVec2 p(f.a0.x + static_cast<float>(xm.forward(m.x)) * f.aw,
                     f.a0.y + f.ah - static_cast<float>(ym.forward(m.y)) * f.ah);
      if (p.x == p.x && p.y == p.y) f.dl->AddCircleFilled(p, m.radius, m.color);
    }
  }
}

void Plot::draw_hover(const Frame& f, const State& st) {
  if (f.best_series < 0) return;
  const AxisMap xm{st.x, st.xlo, st.xhi}, ym{st.y, st.ylo, st.yhi};
  const Series& s = series_[static_cast<std::size_t>(f.best_series)];
  const double x = s.x[f.best_index], y = s.y[f.best_index];
  const ImVec2 p(f.a0.x + static_cast<float>(xm.forward(x)) * f.aw, f.a0.y + f.ah - static_cast<float>(ym.forward(y)) * f.ah);
  f.dl->AddCircle(p, f.fs * 0.35f, IM_COL32_WHITE, 12, 1.5f);
  ImGui::BeginTooltip();
  ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(s.style.color), ImGuiColorEditFlags_NoTooltip,
                     ImVec2(f.fs * 0.8f, f.fs * 0.8f));
  ImGui::SameLine();
  ImGui::Text("%s", s.label.empty() ? "(series)" : s.label.c_str());
  ImGui::Text("%s = %s", opt_.xlabel, format_number(x, 6).c_str());
  ImGui::Text("value = %s", format_number(y, 6).c_str());
  ImGui::EndTooltip();
}

// Legend: swatches in the corner of the plot area that hides the fewest points, in as many columns as it takes.
// A legend of more than three entries that would cover much of a small plot (a projector's 1024x768) collapses
// to its boldest entry (the winner) with "+N more" and one small swatch per entry; the pointer on it opens the whole legend in place.
void Plot::draw_legend(Frame& f) {
  if (!opt_.legend) return;
  if (f.strip) {
    // Lecture mode: the strip laid out by legend_strip, outside the plot area.
    const float sw = f.fs * 0.9f;
    float x1 = f.strip0.x, y1 = f.strip0.y;
    for (const Frame::StripItem& it : f.strip_items) {
      const Series& s = *static_cast<const Series*>(it.series);
      const ImVec2 q{f.strip0.x + it.at.x, f.strip0.y + it.at.y};
      const float side = it.mini ? f.fs * 0.45f : sw;
      if (it.mini) {
        f.dl->AddRectFilled(q, ImVec2(q.x + side, q.y + side), s.style.color);
        x1 = std::max(x1, q.x + side), y1 = std::max(y1, q.y + side);
        continue;
      }
      if (s.style.dashed) {
        // A dashed series' swatch is dashed: "layer 1: dashed" must look like its lines.
        const float y = q.y + f.fs * 0.55f, dash = side * 0.4f;
        f.dl->AddLine(ImVec2(q.x, y), ImVec2(q.x + dash, y), s.style.color, std::max(2.0f, s.style.thickness));
        f.dl->AddLine(ImVec2(q.x + side - dash, y), ImVec2(q.x + side, y), s.style.color, std::max(2.0f, s.style.thickness));
      } else {
        f.dl->AddRectFilled(ImVec2(q.x, q.y + f.fs * 0.15f), ImVec2(q.x + side, q.y + f.fs * 0.15f + side * 0.8f),
                            s.style.color);
      }
      x1 = std::max(x1, q.x + side), y1 = std::max(y1, q.y + f.fs * 1.15f);
      if (it.mini) continue;
      const ImVec2 tp{q.x + sw + f.fs * 0.35f, q.y};
      add_text(f.dl, tp, f.text_col, it.text.c_str());
      const float right = tp.x + ImGui::CalcTextSize(it.text.c_str()).x;
      x1 = std::max(x1, right);
      f.legend_text_right = std::max(f.legend_text_right, right);
      f.legend_text.push_back(it.text);
    }
    f.legend_box = ImVec4(f.strip0.x, f.strip0.y, x1, y1);
    return;
  }
  ImDrawList* dl = f.dl;
  const float fs = f.fs, aw = f.aw, ah = f.ah;
  const ImVec2 a0 = f.a0;
  const std::vector<ImVec2>& drawn = *f.drawn;
  std::vector<const Series*> entries;
  for (const Series& s : series_)
    if (!s.label.empty()) entries.push_back(&s);
  if (entries.empty()) return;
  float w = 0;
  for (const Series* s : entries) w = std::max(w, ImGui::CalcTextSize(s->label.c_str()).x);
  const float sw = fs * 0.9f, row_h = fs * 1.15f, col_w = w + sw + fs * 0.9f, m = fs * 0.4f;
  int cols = opt_.legend_columns > 0 ? opt_.legend_columns
                                     : std::max(1, static_cast<int>(std::ceil(entries.size() * row_h / (ah * 0.55f))));
  cols = std::min<int>(cols, std::max(1, static_cast<int>((aw * 0.9f) / col_w)));
  const int rows = static_cast<int>((entries.size() + cols - 1) / cols);
  const ImVec2 full{cols * col_w + fs * 0.2f, rows * row_h + fs * 0.3f};

  // The corner (0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) where a box of this size hides least.
  auto corner_at = [&](int k, ImVec2 size) {
    return ImVec2(k % 2 ? a0.x + aw - m - size.x : a0.x + m, k / 2 ? a0.y + ah - m - size.y : a0.y + m);
  };
  auto best_corner = [&](ImVec2 size) {
    int best = 0;
    std::size_t best_count = static_cast<std::size_t>(-1);
    for (int k = 0; k < 4; ++k) {
      const ImVec2 c = corner_at(k, size);
      std::size_t count = 0;
      for (const ImVec2& q : drawn)
        count += q.x >= c.x - m && q.x <= c.x + size.x + m && q.y >= c.y - m && q.y <= c.y + size.y + m;
      if (count < best_count) best_count = count, best = k;
    }
    return best;
  };
  auto draw_entries = [&](ImVec2 l0) {
    dl->AddRectFilled(l0, ImVec2(l0.x + full.x, l0.y + full.y), IM_COL32(10, 12, 16, 200), 3.0f);
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const int c = static_cast<int>(k) / rows, r = static_cast<int>(k) % rows;
      const ImVec2 q{l0.x + fs * 0.3f + c * col_w, l0.y + fs * 0.2f + r * row_h};
      dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.15f), ImVec2(q.x + sw, q.y + fs * 0.15f + sw * 0.8f),
                        entries[k]->style.color);
      add_text(dl, ImVec2(q.x + sw + fs * 0.35f, q.y), f.text_col, entries[k]->label.c_str());
    }
  };

  const bool collapse = entries.size() > 3 && (full.x * full.y > 0.2f * aw * ah || full.y > 0.6f * ah);
  if (!collapse) {
    const ImVec2 c = corner_at(best_corner(full), full);
    draw_entries(c);
    f.legend_box = ImVec4(c.x, c.y, c.x + full.x, c.y + full.y);
    for (const Series* e : entries) f.legend_text.push_back(e->label);
    return;
  }
  const Series* bold = entries.front();
  for (const Series* e : entries)
    if (e->style.thickness > bold->style.thickness) bold = e;
  const std::string label = bold->label + "  +" + std::to_string(entries.size() - 1) + " more";
  const float mini = std::max(4.0f, fs * 0.55f), gap = std::max(1.0f, std::round(fs * 0.15f));
  const float label_w = sw + fs * 0.35f + ImGui::CalcTextSize(label.c_str()).x;
  const int per_row = std::max(1, static_cast<int>((std::max(label_w, aw * 0.5f)) / (mini + gap)));
  const int mini_rows = static_cast<int>((entries.size() + per_row - 1) / per_row);
  const ImVec2 small{std::max(label_w, std::min<float>(entries.size(), per_row) * (mini + gap)) + fs * 0.6f,
                     row_h + mini_rows * (mini + gap) + fs * 0.4f};
  const int k = best_corner(small);
  const ImVec2 c0 = corner_at(k, small);
  const bool open = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                    ImGui::IsMouseHoveringRect(c0, ImVec2(c0.x + small.x, c0.y + small.y));
  if (open) {
    draw_entries(corner_at(k, full));  // opens in place, in the same corner
    return;
  }
  dl->AddRectFilled(c0, ImVec2(c0.x + small.x, c0.y + small.y), IM_COL32(10, 12, 16, 200), 3.0f);
  f.legend_box = ImVec4(c0.x, c0.y, c0.x + small.x, c0.y + small.y);
  f.legend_text.push_back(label);
  f.legend_text_right = c0.x + fs * 0.3f + label_w;
  const ImVec2 q{c0.x + fs * 0.3f, c0.y + fs * 0.2f};
  dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.15f), ImVec2(q.x + sw, q.y + fs * 0.15f + sw * 0.8f), bold->style.color);
  add_text(dl, ImVec2(q.x + sw + fs * 0.35f, q.y), f.text_col, label.c_str());
  // Every series' colour stays on screen, as a row of small swatches in legend order.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const int r = static_cast<int>(i) / per_row, c = static_cast<int>(i) % per_row;
    const ImVec2 p{q.x + c * (mini + gap), q.y + row_h + r * (mini + gap)};
    dl->AddRectFilled(p, ImVec2(p.x + mini, p.y + mini), entries[i]->style.color);
  }
}


// Lecture mode: the legend flows in rows between the title and the plot area (it never covers the data). Up to
// three entries always show in full; more that would take over one row collapse to the boldest entry (the
// winner) with "+N more" and a small swatch per entry.
float Plot::legend_strip(Frame& f) {
  f.strip = false;
  f.strip_items.clear();
  if (!g_legend_outside || !opt_.legend) return 0.0f;
  std::vector<const Series*> entries;
  for (const Series& s : series_)
    if (!s.label.empty()) entries.push_back(&s);
  if (entries.empty()) return 0.0f;
  const float fs = f.fs, sw = fs * 0.9f, row_h = fs * 1.15f, gap = fs * 0.9f;
  const float room = std::max(f.size.x - fs * 0.6f, fs * 4.0f);
  f.strip = true;
  f.strip0 = ImVec2(f.p0.x + fs * 0.3f, f.p0.y + fs * 1.35f);
  auto text_item_w = [&](const std::string& t) { return sw + fs * 0.35f + ImGui::CalcTextSize(t.c_str()).x; };
  // Flows the items into rows of `room`; returns the rows used.
  auto flow = [&](std::vector<Frame::StripItem>& items, const std::vector<float>& widths) {
    float x = 0, y = 0;
    int rows = 1;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (x > 0 && x + widths[i] > room) x = 0, y += row_h, ++rows;
      items[i].at = ImVec2(x, y);
      x += widths[i] + (items[i].mini ? fs * 0.2f : gap);
    }
    return rows;
  };
  std::vector<Frame::StripItem> items;
  std::vector<float> widths;
  for (const Series* e : entries) {
    std::string t = e->label;
    if (text_item_w(t) > room) t = fit_text(t.c_str(), room - sw - fs * 0.35f);
    items.push_back({e, {}, t, false});
    widths.push_back(text_item_w(t));
  }
  int rows = flow(items, widths);
  if (entries.size() > 3 && rows > 1) {
    const Series* bold = entries.front();
    for (const Series* e : entries)
      if (e->style.thickness > bold->style.thickness) bold = e;
    std::string t = bold->label + "  +" + std::to_string(entries.size() - 1) + " more";
    if (text_item_w(t) > room) t = fit_text(t.c_str(), room - sw - fs * 0.35f);
    items.assign(1, {bold, {}, t, false});
    // Every series' colour stays on screen: small swatches in a two-row block after the label (one legend row).
    const float mini = fs * 0.45f, mg = fs * 0.12f;
    const int per_col = 2, block_cols = static_cast<int>((entries.size() + per_col - 1) / per_col);
    float bx = text_item_w(t) + gap * 0.6f, by = fs * 0.05f;
    rows = 1;
    if (bx + block_cols * (mini + mg) > room) bx = 0, by += row_h, rows = 2;  // a very narrow panel: below it
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const int c = static_cast<int>(i) / per_col, r = static_cast<int>(i) % per_col;
      items.push_back({entries[i], ImVec2(bx + c * (mini + mg), by + r * (mini + mg)), "", true});
    }
  }
  f.strip_items = std::move(items);
  return rows * row_h + fs * 0.45f;  // room for the top tick label's superscript
}

}  // namespace polarlab::widgets
