// A small line-plot widget drawn on ImDrawList (ImPlot is not packaged): linear or log axes with
// readable decade labels, legend, hover readout of the nearest point, wheel zoom, drag pan, double-click
// auto-fit, and min/max decimation so that 10⁵-point series cost a few thousand vertices.
// Usage: Plot p("id", opts); p.line(...); ...; p.end();  — the data must stay alive until end().
#pragma once
#include <imgui.h>

#include <cstddef>
#include <string>
#include <vector>

#include "app/widgets/axis.hpp"

namespace polarlab::widgets {

struct PlotOptions {
  const char* title = "";
  const char* xlabel = "t";
  Scale x = Scale::log;
  Scale y = Scale::linear;
  ImVec2 size{0, 0};           // ≤ 0: fill the available region
  bool legend = true;
  int legend_columns = 0;      // 0: automatic
  double fixed_ymin = 0.0, fixed_ymax = 0.0;  // used when fixed_ymin < fixed_ymax (e.g. scores in [0, 1])
};

struct LineStyle {
  ImU32 color = IM_COL32_WHITE;
  float thickness = 1.5f;
  bool dashed = false;
};

class Plot {
 public:
  Plot(const char* id, const PlotOptions& options);
  Plot(const Plot&) = delete;
  Plot& operator=(const Plot&) = delete;
  ~Plot();

  // x must be non-decreasing. label == nullptr or "": no legend entry (still hoverable).
  void line(const char* label, const double* x, const double* y, std::size_t n, const LineStyle& style);
  void vline(double x, ImU32 color);  // e.g. the current time
  void hline(double y, ImU32 color);
  void marker(double x, double y, ImU32 color, float radius = 4.0f);
  // Extra text drawn under the title, right-aligned (e.g. "winner: 3").
  void note(std::string text) { note_ = std::move(text); }
  // Fits, lays out, handles input and draws the plot (the parts below, in this order).
  void end();

  // Frames drawn and vertices submitted since start-up, for the benchmark.
  static std::size_t vertices_submitted();
  static void reset_vertex_count();
  // Points decimated from scratch since start-up (a view change or new data; appends are not counted).
  static std::size_t points_redecimated();
  // The plots drawn in the ImGui frame now being built (or the last one built): each one's title and the
  // largest x among the last points its series drew (the moment its lines reach; a test hook).
  struct DrawnEnd {
    std::string title;
    double x = 0.0;
  };
  static const std::vector<DrawnEnd>& drawn_ends();
  // Lecture mode (the App sets it each frame): legends go in a strip between the title and the plot area, never
  // over the data, and a legend of up to three entries is never collapsed.
  static void set_legend_outside(bool on);
  // What each plot of the last built frame drew, for the legibility tests (filled only while recording is on):
  // the plot area and legend box (x0, y0, x1, y1; legend empty when none), each series' drawn points in screen
  // space, the boldest labelled series (the winner; -1 when none is bolder) and the legend's shown text with the
  // widest text's right edge (text must end inside the box).
  struct DrawnPlot {
    std::string title;
    ImVec4 area{0, 0, 0, 0}, legend{0, 0, 0, 0};
    std::vector<std::vector<ImVec2>> series;
    int top = -1;
    std::vector<std::string> legend_text;
    float legend_text_right = 0.0f;
    float title_width = 0.0f, title_room = 0.0f;  // the title's shown width and the room it has
    bool title_cut = false;
  };
  static void record_drawn(bool on);
  static const std::vector<DrawnPlot>& drawn_plots();

 private:
  struct State;  // per-plot state across frames (scales, range, per-series caches)
  struct Frame;  // this frame's rectangle, plot area, ticks, hover and drawn points
  State& state();
  void place(Frame& f, State& st);              // size, the invisible button, the context menu
  void bind_series(State& st);                  // per-series caches follow the data
  void fit(State& st);                          // auto-fit the range to the data
  void lay_out(Frame& f, const State& st);      // ticks (for the range before input) and the plot area
  void handle_input(Frame& f, State& st);       // wheel zoom, drag pan, double-click fit
  void draw_axes(const Frame& f, const State& st);
  void draw_series(Frame& f, State& st);        // decimated lines; the nearest point for the hover
  void draw_marks(const Frame& f, const State& st);
  void draw_hover(const Frame& f, const State& st);
  void draw_legend(Frame& f);
  float legend_strip(Frame& f);                 // lecture mode: the legend's rows above the plot area (height)
  struct Series {
    std::string label;
    const double* x;
    const double* y;
    std::size_t n;
    LineStyle style;
  };
  struct Mark {
    double x, y;
    ImU32 color;
    float radius;
    int kind;  // 0 vline, 1 hline, 2 marker
  };
  ImGuiID id_;
  PlotOptions opt_;
  std::vector<Series> series_;
  std::vector<Mark> marks_;
  std::string note_;
  bool ended_ = false;
};

}  // namespace polarlab::widgets
