// polarlab_animate — a paper figure as a video: frame k draws the figure of the records with t <= t_k, the
// times log-uniform (schedule.hpp), on the axes of the whole run (figure::pin_panels), with the clock t_k as
// the figure's title. Headless: Cairo into memory (figure::render_to_image), FFmpeg's libraries to encode.
//
//   namespace pa = polarlab::animate;
//   pa::FrameRenderer frames("fig2", figure::run_preset("fig2"), figure::Style::slides(), 1280, 720);
//   pa::write_animation("fig2.mp4", frames, {.fps = 30, .frames = 120});
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "core/animate/encoder.hpp"
#include "core/figure/figure.hpp"

namespace polarlab::animate {

class FrameRenderer {
 public:
  // `kind` as for figure::build_figure. The figure's canvas grows in width or height (never shrinks) to the
  // video's aspect, so it fills the frame with the layout, fonts and line widths of `polarlab-cli figure`.
  // Throws ConfigError when the runs do not fit the kind or no run has a record at t > 0.
  FrameRenderer(std::string kind, std::vector<figure::RunData> runs, figure::Style style, int width, int height,
                std::string note = "");

  // The first time whose figure has all the panels of the whole run's (the earliest positive record, or later
  // for a figure whose panels are snapshots, like sink's), and the last record's time.
  double t_first() const { return t_first_; }
  double t_last() const { return t_last_; }
  // The runs cut to the records with t <= t (every run keeps at least its first record).
  std::vector<figure::RunData> runs_until(double t) const;
  // Frame t's figure: the records up to t, pinned to the whole run's axes, titled with time_label(t).
  figure::Figure figure_at(double t) const;
  figure::Bitmap render_at(double t) const;
  int width() const { return width_; }
  int height() const { return height_; }
  const figure::Style& style() const { return style_; }

 private:
  figure::Figure build(const std::vector<figure::RunData>& runs, double t) const;
  std::string kind_, note_;
  std::vector<figure::RunData> runs_;
  figure::Style style_;
  int width_, height_;
  double width_in_ = 0, height_in_ = 0;
  std::vector<figure::PanelFrame> frames_;
  double t_first_ = 0, t_last_ = 0;
};

struct AnimationOptions {
  int fps = 30;
  int frames = 120;
  int threads = 0;  // frames rendered in parallel; 0: one per core
  int encoder_threads = 0;
  std::function<void(int done, int total)> progress;  // called after each encoded frame
};

struct AnimationStats {
  int frames = 0;
  double seconds = 0;         // wall time of rendering and encoding together
  double render_seconds = 0;  // summed over the rendering threads
  std::vector<double> times;  // t_k of each frame
};

// Renders the frames at log_uniform_times(t_first, t_last, frames) in parallel and encodes them in order into
// path (its extension picks the container); atomic like VideoEncoder. A GIF first renders a few sampled frames
// for its palette.
AnimationStats write_animation(const std::string& path, const FrameRenderer& renderer, const AnimationOptions& opt);

}  // namespace polarlab::animate
