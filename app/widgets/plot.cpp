#include "app/widgets/plot.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "app/widgets/draw_util.hpp"
#include "app/widgets/text_cache.hpp"

namespace polarlab::widgets {

namespace {

// Per-series caches, so that a frame costs O(new points) for auto-fit and nothing for decimation when
// neither the data nor the view changed (a finished 10⁵-point run redraws from a few thousand indices).
struct SeriesCache {
  const double* x = nullptr;
  const double* y = nullptr;
  // auto-fit: bounds of [0, fit_n) for the scales fit_x, fit_y
  std::size_t fit_n = 0;
  Scale fit_x = Scale::linear, fit_y = Scale::linear;
  double xlo = 0, xhi = 0, ylo = 0, yhi = 0;
  // decimation: idx (absolute indices) for n points, this x range, these columns and scales
  std::size_t dec_n = static_cast<std::size_t>(-1);
  double dec_lo = 0, dec_hi = 0;
  int dec_columns = 0;
  Scale dec_x = Scale::linear, dec_y = Scale::linear;
  std::vector<std::size_t> idx;
  // idx's points in axis space (log10 on log axes, NaN where undefined): drawing is then affine, with no
  // log10 per point and frame.
  std::vector<double> ax, ay;
  bool dec_to_end = false;     // the visible range reached the last point: appends extend the tail
  std::size_t tail_from = 0;   // first point of the last decimated column …
  std::size_t tail_pos = 0;    // … and where its entries start in idx
  // The first and last point seen: a series whose columns moved (a vector grew) but still hold these is the
  // same data, and the caches stay.
  std::size_t seen_n = 0;
  double first_x = 0, first_y = 0, last_x = 0, last_y = 0;
};

bool same_value(double a, double b) { return a == b || (a != a && b != b); }

// Data at a new address that starts with the points this cache has seen: a grown copy, not a new run.
bool same_data(const SeriesCache& c, const double* x, const double* y, std::size_t n) {
  if (c.seen_n == 0 || n < c.seen_n) return false;
  return same_value(x[0], c.first_x) && same_value(y[0], c.first_y) && same_value(x[c.seen_n - 1], c.last_x) &&
         same_value(y[c.seen_n - 1], c.last_y);
}

struct State {
  std::vector<SeriesCache> cache;
  bool initialised = false;
  bool auto_fit = true;
  Scale x = Scale::log, y = Scale::linear;
  double xlo = 1e-2, xhi = 1.0, ylo = 0.0, yhi = 1.0;
};

std::unordered_map<ImGuiID, State>& states() {
  static std::unordered_map<ImGuiID, State> s;
  return s;
}

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

std::size_t Plot::vertices_submitted() { return g_vertices; }
void Plot::reset_vertex_count() { g_vertices = 0; }
std::size_t Plot::points_redecimated() { return g_redecimated_total; }

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

void Plot::end() {
  ended_ = true;
  State& st = states()[id_];
  if (!st.initialised) {
    st.initialised = true;
    st.x = opt_.x;
    st.y = opt_.y;
  }
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGuiStyle& style = ImGui::GetStyle();
  const float fs = ImGui::GetFontSize();
  ImVec2 size = opt_.size;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = std::max(avail.x, 50.0f);
  if (size.y <= 0) size.y = std::max(avail.y, 50.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::PushID(static_cast<int>(id_));
  ImGui::InvisibleButton("##plot", size, ImGuiButtonFlags_MouseButtonLeft);
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  if (hovered) ImGui::SetItemUsingMouseWheel();
  if (ImGui::BeginPopupContextItem("##plotmenu")) {
    bool logx = st.x == Scale::log, logy = st.y == Scale::log;
    if (ImGui::Checkbox("log x", &logx)) { st.x = logx ? Scale::log : Scale::linear; st.auto_fit = true; }
    if (ImGui::Checkbox("log y", &logy)) { st.y = logy ? Scale::log : Scale::linear; st.auto_fit = true; }
    ImGui::Checkbox("auto-fit", &st.auto_fit);
    ImGui::TextDisabled("wheel: zoom (shift: x only, ctrl: y only)\ndrag: pan, double-click: fit");
    ImGui::EndPopup();
  }
  ImGui::PopID();

  // Auto-fit: the data's extent (positive part on log axes), padded a little.
  if (st.cache.size() != series_.size()) st.cache.resize(series_.size());
  for (std::size_t si = 0; si < series_.size(); ++si) {
    SeriesCache& c = st.cache[si];
    const Series& s = series_[si];
    if (c.x != s.x || c.y != s.y || s.n < c.fit_n) {
      if (s.n < c.fit_n || !same_data(c, s.x, s.y, s.n)) c = SeriesCache{};  // other data (or a restarted run)
      c.x = s.x, c.y = s.y;
    }
    if (s.n > 0) {
      c.seen_n = s.n;
      c.first_x = s.x[0], c.first_y = s.y[0], c.last_x = s.x[s.n - 1], c.last_y = s.y[s.n - 1];
    }
  }
  if (st.auto_fit) {
    double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
    for (std::size_t si = 0; si < series_.size(); ++si) {
      const Series& s = series_[si];
      SeriesCache& c = st.cache[si];
      if (c.fit_x != st.x || c.fit_y != st.y || c.fit_n == 0) {
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
  const float title_h = fs * 1.35f;
  const float xlab_h = fs * 1.6f;
  const AxisMap ymap0{st.y, st.ylo, st.yhi};
  const int ymax_ticks = std::clamp(static_cast<int>((size.y - title_h - xlab_h) / (fs * 2.0f)), 2, 10);
  auto yticks = make_ticks(st.y, st.ylo, st.yhi, ymax_ticks);
  float ylab_w = fs * 1.5f;
  for (const Tick& t : yticks)
    if (t.major) ylab_w = std::max(ylab_w, tick_label_width(t, fs) + fs * 0.5f);
  const float xname_w = ImGui::CalcTextSize(opt_.xlabel).x + fs * 0.6f;
  const ImVec2 a0{p0.x + ylab_w, p0.y + title_h};
  const ImVec2 a1{p0.x + size.x - std::max(xname_w, fs * 0.8f), p0.y + size.y - xlab_h};
  const float aw = std::max(a1.x - a0.x, 10.0f), ah = std::max(a1.y - a0.y, 10.0f);
  const int xmax_ticks = std::clamp(static_cast<int>(aw / (fs * 4.5f)), 2, 12);
  auto xticks = make_ticks(st.x, st.xlo, st.xhi, xmax_ticks);

  // Interaction (before drawing so the frame shows the new range).
  ImGuiIO& io = ImGui::GetIO();
  const ImVec2 mouse = io.MousePos;
  const bool in_area = hovered && mouse.x >= a0.x && mouse.x <= a0.x + aw && mouse.y >= a0.y && mouse.y <= a0.y + ah;
  if (hovered && io.MouseWheel != 0.0f) {
    const double factor = std::pow(1.2, -io.MouseWheel);
    const double fx = std::clamp((mouse.x - a0.x) / aw, 0.0f, 1.0f);
    const double fy = std::clamp((a0.y + ah - mouse.y) / ah, 0.0f, 1.0f);
    if (!io.KeyCtrl) zoom_axis(st.x, st.xlo, st.xhi, fx, factor);
    if (!io.KeyShift) zoom_axis(st.y, st.ylo, st.yhi, fy, factor);
    st.auto_fit = false;
  }
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 1.0f)) {
    const ImVec2 d = io.MouseDelta;
    if (d.x != 0 || d.y != 0) {
      pan_axis(st.x, st.xlo, st.xhi, -d.x / aw);
      pan_axis(st.y, st.ylo, st.yhi, d.y / ah);
      st.auto_fit = false;
    }
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) st.auto_fit = true;

  const AxisMap xm{st.x, st.xlo, st.xhi}, ym{st.y, st.ylo, st.yhi};
  auto to_screen = [&](double x, double y) {
    return ImVec2(a0.x + static_cast<float>(xm.forward(x)) * aw, a0.y + ah - static_cast<float>(ym.forward(y)) * ah);
  };
  (void)ymap0;
  // The same mapping from axis-space values, for the cached decimated points.
  const double xa = axis_space(st.x, st.xlo), xk = aw / (axis_space(st.x, st.xhi) - xa);
  const double ya = axis_space(st.y, st.ylo), yk = ah / (axis_space(st.y, st.yhi) - ya);
  auto project = [&](double ax, double ay) {
    return ImVec2(a0.x + static_cast<float>((ax - xa) * xk), a0.y + ah - static_cast<float>((ay - ya) * yk));
  };

  // Frame, grid and ticks.
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_major = IM_COL32(255, 255, 255, 38), grid_minor = IM_COL32(255, 255, 255, 14);
  // The plot area is not filled: the window clear shows through (fill rate matters under llvmpipe).
  // A title too long for a small panel starts at the panel's left edge, and is cut with "…" if it still does
  // not fit, instead of running into the next panel.
  std::string title = opt_.title;
  float title_x = p0.x + ylab_w;
  if (ImGui::CalcTextSize(title.c_str()).x > size.x - ylab_w) {
    title_x = p0.x + fs * 0.2f;
    title = fit_text(opt_.title, size.x - fs * 0.4f);
  }
  add_text(dl, ImVec2(title_x, p0.y + fs * 0.1f), text_col, title.c_str());
  if (!note_.empty()) {
    // Only where it does not collide with the title.
    const float w = ImGui::CalcTextSize(note_.c_str()).x, tw = ImGui::CalcTextSize(title.c_str()).x;
    if (title_x + tw + fs < a0.x + aw - w) dl->AddText(ImVec2(a0.x + aw - w, p0.y + fs * 0.1f), dim_col, note_.c_str());
  }
  // Minor grid lines only where they are few (an axis of one or two decades). A six-decade log axis would
  // draw fifty of them: noise on screen, and a large share of a software-rendered frame. Minor ticks stay.
  constexpr std::size_t kMinorGridMaxTicks = 20;
  const bool minor_grid_x = xticks.size() <= kMinorGridMaxTicks, minor_grid_y = yticks.size() <= kMinorGridMaxTicks;
  for (const Tick& t : xticks) {
    const double f = xm.forward(t.value);
    if (!(f >= -1e-6 && f <= 1 + 1e-6)) continue;
    const float x = a0.x + static_cast<float>(f) * aw;
    if (t.major || minor_grid_x) add_vline(dl, x, a0.y, a0.y + ah, t.major ? grid_major : grid_minor);
    add_vline(dl, x, a0.y + ah, a0.y + ah + (t.major ? fs * 0.3f : fs * 0.15f), dim_col);
    if (t.major) {
      const float w = tick_label_width(t, fs);
      // The axis name sits right of the frame: a label that would run into it moves left to end at the frame.
      float left = x - w * 0.5f;
      if (opt_.xlabel && *opt_.xlabel) left = std::min(left, a0.x + aw + fs * 0.1f - w);
      draw_tick_label(dl, t, ImVec2(left, a0.y + ah + fs * 0.3f), fs, text_col);
    }
  }
  for (const Tick& t : yticks) {
    const double f = ym.forward(t.value);
    if (!(f >= -1e-6 && f <= 1 + 1e-6)) continue;
    const float y = a0.y + ah - static_cast<float>(f) * ah;
    if (t.major || minor_grid_y) add_hline(dl, a0.x, a0.x + aw, y, t.major ? grid_major : grid_minor);
    add_hline(dl, a0.x - (t.major ? fs * 0.3f : fs * 0.15f), a0.x, y, dim_col);
    if (t.major) {
      const float w = tick_label_width(t, fs);
      draw_tick_label(dl, t, ImVec2(a0.x - w - fs * 0.35f, y - fs * 0.55f), fs, text_col);
    }
  }
  add_text(dl, ImVec2(a0.x + aw + fs * 0.3f, a0.y + ah + fs * 0.3f), text_col, opt_.xlabel);
  add_frame(dl, a0, ImVec2(a0.x + aw, a0.y + ah), IM_COL32(255, 255, 255, 70));

  // Series, decimated per pixel column; remember the nearest drawn point for the hover readout.
  dl->PushClipRect(a0, ImVec2(a0.x + aw, a0.y + ah), true);
  static std::vector<std::size_t> idx;
  static std::vector<ImVec2> pts;
  static std::vector<std::size_t> bounds;
  static std::vector<ImVec2> drawn;  // every drawn point, to put the legend where the data is not
  drawn.clear();
  float best_d2 = (fs * 1.2f) * (fs * 1.2f);
  int best_series = -1;
  std::size_t best_index = 0;
  const int columns = std::max(1, static_cast<int>(aw));
  std::optional<SmoothLines> smooth(std::in_place, dl);  // series lines at any angle: the filtered atlas
  for (std::size_t si = 0; si < series_.size(); ++si) {
    const Series& s = series_[si];
    if (s.n == 0) continue;
    SeriesCache& cache = st.cache[si];
    const bool logy = st.y == Scale::log;
    const bool same_view = cache.dec_lo == st.xlo && cache.dec_hi == st.xhi && cache.dec_columns == columns &&
                           cache.dec_x == st.x && cache.dec_y == st.y && cache.dec_n != static_cast<std::size_t>(-1);
    // Decimates points [from, to) and appends to cache.idx, remembering where the last column starts.
    auto decimate_range = [&](std::size_t from, std::size_t to) {
      bounds.assign(static_cast<std::size_t>(columns) + 1, to);
      for (int c = 0; c <= columns; ++c) {
        const double xv = xm.inverse(static_cast<double>(c) / columns);
        bounds[static_cast<std::size_t>(c)] = std::lower_bound(s.x + from, s.x + to, xv) - s.x;
      }
      std::size_t col = 0;
      auto xcol = [&](std::size_t k) {
        const std::size_t i = k + from;
        while (col < static_cast<std::size_t>(columns) && i >= bounds[col + 1]) ++col;
        return static_cast<long>(col);
      };
      const double* yy = s.y + from;
      auto yv = [&](std::size_t k) {
        const double v = yy[k];
        return (logy && !(v > 0)) ? std::numeric_limits<double>::quiet_NaN() : v;
      };
      decimate_minmax(to - from, xcol, yv, idx);
      // The last point's column may still grow: remember where it begins.
      const std::size_t last = to - 1;
      std::size_t c = static_cast<std::size_t>(std::upper_bound(bounds.begin(), bounds.end(), last) - bounds.begin());
      cache.tail_from = c == 0 ? from : std::max(from, bounds[c - 1]);
      cache.tail_pos = cache.idx.size();
      for (std::size_t k : idx) {
        if (k + from < cache.tail_from) ++cache.tail_pos;
        cache.idx.push_back(k + from);
        cache.ax.push_back(axis_space(st.x, s.x[k + from]));
        cache.ay.push_back(axis_space(st.y, s.y[k + from]));
      }
    };
    if (same_view && s.n > cache.dec_n && cache.dec_to_end && !cache.idx.empty()) {
      // New points appended, same view: redo only the last column onwards (O(new points)).
      const std::size_t from = cache.tail_from;
      std::size_t to = std::upper_bound(s.x + from, s.x + s.n, st.xhi) - s.x;
      if (to < s.n) ++to;
      cache.idx.resize(cache.tail_pos);
      cache.ax.resize(cache.tail_pos);
      cache.ay.resize(cache.tail_pos);
      decimate_range(from, to);
      cache.dec_to_end = to == s.n;
      cache.dec_n = s.n;
    } else if (!same_view || s.n != cache.dec_n) {
      // Visible index range from the sorted x (one point beyond each edge so lines reach the frame).
      const double xlo_vis = st.x == Scale::log ? std::max(st.xlo, std::numeric_limits<double>::min()) : st.xlo;
      std::size_t i0 = std::lower_bound(s.x, s.x + s.n, xlo_vis) - s.x;
      std::size_t i1 = std::upper_bound(s.x, s.x + s.n, st.xhi) - s.x;
      if (i0 > 0 && !(st.x == Scale::log && s.x[i0 - 1] <= 0)) --i0;
      if (i1 < s.n) ++i1;
      if (g_redecimate_frame != ImGui::GetFrameCount()) g_redecimate_frame = ImGui::GetFrameCount(), g_redecimated = 0;
      // Over budget, a series whose cache still belongs to this data and scales keeps last frame's points.
      const std::size_t k = cache.idx.empty() ? 0 : cache.idx.back();
      const bool can_wait = !cache.idx.empty() && cache.dec_x == st.x && cache.dec_y == st.y && k < s.n &&
                            cache.ax.back() == axis_space(st.x, s.x[k]) && cache.ay.back() == axis_space(st.y, s.y[k]);
      if (!can_wait || g_redecimated < kRedecimateBudget) {
        g_redecimated += i1 - i0, g_redecimated_total += i1 - i0;
        cache.dec_n = s.n, cache.dec_lo = st.xlo, cache.dec_hi = st.xhi, cache.dec_columns = columns;
        cache.dec_x = st.x, cache.dec_y = st.y;
        cache.idx.clear();
        cache.ax.clear();
        cache.ay.clear();
        cache.dec_to_end = i1 == s.n;
        if (i0 < i1) decimate_range(i0, i1);
      }
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
    for (std::size_t j = 0; j < cache.idx.size(); ++j) {
      const std::size_t i = cache.idx[j];
      if (!(cache.ax[j] == cache.ax[j])) continue;  // x ≤ 0 on a log axis
      const ImVec2 p = project(cache.ax[j], cache.ay[j]);
      pts.push_back(p);
      if (drawn.size() < 200000) drawn.push_back(p);
      if (in_area) {
        const float dx = p.x - mouse.x, dy = p.y - mouse.y, d2 = dx * dx + dy * dy;
        if (d2 < best_d2) best_d2 = d2, best_series = static_cast<int>(si), best_index = i;
      }
    }
    flush();
  }
  smooth.reset();
  for (const Mark& m : marks_) {
    if (m.kind == 0) {
      const double f = xm.forward(m.x);
      if (f >= 0 && f <= 1) {
        const float x = a0.x + static_cast<float>(f) * aw;
        add_vline(dl, x, a0.y, a0.y + ah, m.color);
      }
    } else if (m.kind == 1) {
      const double f = ym.forward(m.y);
      if (f >= 0 && f <= 1) {
        const float y = a0.y + ah - static_cast<float>(f) * ah;
        add_hline(dl, a0.x, a0.x + aw, y, m.color);
      }
    } else {
      const ImVec2 p = to_screen(m.x, m.y);
      if (p.x == p.x && p.y == p.y) dl->AddCircleFilled(p, m.radius, m.color);
    }
  }
  if (best_series >= 0) {
    const Series& s = series_[static_cast<std::size_t>(best_series)];
    const ImVec2 p = to_screen(s.x[best_index], s.y[best_index]);
    dl->AddCircle(p, fs * 0.35f, IM_COL32_WHITE, 12, 1.5f);
    ImGui::BeginTooltip();
    ImGui::ColorButton("##c", ImGui::ColorConvertU32ToFloat4(s.style.color), ImGuiColorEditFlags_NoTooltip,
                       ImVec2(fs * 0.8f, fs * 0.8f));
    ImGui::SameLine();
    ImGui::Text("%s", s.label.empty() ? "(series)" : s.label.c_str());
    ImGui::Text("%s = %s", opt_.xlabel, format_number(s.x[best_index], 6).c_str());
    ImGui::Text("value = %s", format_number(s.y[best_index], 6).c_str());
    ImGui::EndTooltip();
  }
  dl->PopClipRect();

  // Legend: swatches in the top-left corner of the plot area, in as many columns as it takes.
  if (opt_.legend) {
    std::vector<const Series*> entries;
    std::string collapsed_label;
    bool show_collapsed = false;
    for (const Series& s : series_)
      if (!s.label.empty()) entries.push_back(&s);
    if (!entries.empty()) {
      float w = 0;
      for (const Series* s : entries) w = std::max(w, ImGui::CalcTextSize(s->label.c_str()).x);
      const float sw = fs * 0.9f, row_h = fs * 1.15f, col_w = w + sw + fs * 0.9f;
      int cols = opt_.legend_columns > 0 ? opt_.legend_columns
                                         : std::max(1, static_cast<int>(std::ceil(entries.size() * row_h / (ah * 0.55f))));
      cols = std::min<int>(cols, std::max(1, static_cast<int>((aw * 0.9f) / col_w)));
      int rows = static_cast<int>((entries.size() + cols - 1) / cols);
      float lw = cols * col_w + fs * 0.2f, lh = rows * row_h + fs * 0.3f;
      const float m = fs * 0.4f;
      // A legend that would cover much of a small plot (a projector's 1024x768) collapses to its boldest entry
      // (the winner) and a count; the pointer over it shows them all.
      if (entries.size() > 1 && (lw * lh > 0.2f * aw * ah || lh > 0.6f * ah)) {
        const Series* bold = entries.front();
        for (const Series* e : entries)
          if (e->style.thickness > bold->style.thickness) bold = e;
        collapsed_label = bold->label + "  +" + std::to_string(entries.size() - 1) + " more";
        const float cw = ImGui::CalcTextSize(collapsed_label.c_str()).x + sw + fs * 0.9f;
        const ImVec2 c0{a0.x + m, a0.y + m};
        const bool open = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) &&
                          ImGui::IsMouseHoveringRect(c0, ImVec2(c0.x + cw, c0.y + row_h + fs * 0.3f));
        if (!open) {
          entries = {bold};
          cols = rows = 1;
          lw = cw, lh = row_h + fs * 0.3f;
          show_collapsed = true;
        }
      }
      // The corner that hides the fewest drawn points (top-left wins ties).
      const ImVec2 corners[4] = {{a0.x + m, a0.y + m}, {a0.x + aw - m - lw, a0.y + m},
                                 {a0.x + m, a0.y + ah - m - lh}, {a0.x + aw - m - lw, a0.y + ah - m - lh}};
      int best = 0;
      std::size_t best_count = static_cast<std::size_t>(-1);
      for (int k = 0; k < 4; ++k) {
        std::size_t count = 0;
        for (const ImVec2& q : drawn)
          count += q.x >= corners[k].x - m && q.x <= corners[k].x + lw + m && q.y >= corners[k].y - m &&
                   q.y <= corners[k].y + lh + m;
        if (count < best_count) best_count = count, best = k;
      }
      const ImVec2 l0 = corners[best];
      const ImVec2 l1{l0.x + lw, l0.y + lh};
      dl->AddRectFilled(l0, l1, IM_COL32(10, 12, 16, 200), 3.0f);
      for (std::size_t k = 0; k < entries.size(); ++k) {
        const int c = static_cast<int>(k) / rows, r = static_cast<int>(k) % rows;
        const ImVec2 q{l0.x + fs * 0.3f + c * col_w, l0.y + fs * 0.2f + r * row_h};
        dl->AddRectFilled(ImVec2(q.x, q.y + fs * 0.15f), ImVec2(q.x + sw, q.y + fs * 0.15f + sw * 0.8f),
                          entries[k]->style.color);
        add_text(dl, ImVec2(q.x + sw + fs * 0.35f, q.y), text_col,
                 show_collapsed ? collapsed_label.c_str() : entries[k]->label.c_str());
      }
    }
  }
  (void)style;
}

}  // namespace polarlab::widgets
