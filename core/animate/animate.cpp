#include "core/animate/animate.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "core/animate/palette.hpp"
#include "core/animate/schedule.hpp"
#include "core/job/job.hpp"
#include "core/types.hpp"

namespace polarlab::animate {

namespace pf = polarlab::figure;

namespace {

bool same_structure(const pf::Figure& a, const pf::Figure& b) {
  return a.rows == b.rows && a.cols == b.cols && a.panels.size() == b.panels.size();
}

}  // namespace

FrameRenderer::FrameRenderer(std::string kind, std::vector<pf::RunData> runs, pf::Style style, int width, int height,
                             std::string note)
    : kind_(std::move(kind)), note_(std::move(note)), runs_(std::move(runs)), style_(std::move(style)),
      width_(width), height_(height) {
  if (width < 1 || height < 1) throw ConfigError("--size", "needs a positive width and height");
  // The whole run's figure, its canvas grown to the video's aspect.
  pf::Figure full = pf::build_figure(kind_, runs_, note_);
  const double aspect = static_cast<double>(width) / height;
  width_in_ = full.width_in, height_in_ = full.height_in;
  if (width_in_ / height_in_ < aspect) width_in_ = height_in_ * aspect;
  else height_in_ = width_in_ / aspect;

  std::vector<double> ts;
  for (const pf::RunData& r : runs_)
    for (const Record& rec : r.records)
      if (rec.t > 0 && std::isfinite(rec.t)) ts.push_back(rec.t);
  if (ts.empty()) throw ConfigError("animate", "the run has no record at t > 0 to animate");
  std::sort(ts.begin(), ts.end());
  ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
  t_last_ = ts.back();

  full.title = time_label(t_last_);
  full.width_in = width_in_, full.height_in = height_in_;
  frames_ = pf::panel_frames(full, style_);
  // A figure of snapshots (sink: four attention maps) has fewer panels while there are few records.
  t_first_ = t_last_;
  for (double t : ts) {
    const pf::Figure f = pf::build_figure(kind_, runs_until(t), note_);
    if (same_structure(f, full)) {
      t_first_ = t;
      break;
    }
  }
}

std::vector<pf::RunData> FrameRenderer::runs_until(double t) const {
  std::vector<pf::RunData> out;
  out.reserve(runs_.size());
  for (const pf::RunData& r : runs_) {
    pf::RunData cut{r.config, r.facts, {}, r.label};
    std::size_t n = 0;
    while (n < r.records.size() && r.records[n].t <= t) ++n;
    n = std::max<std::size_t>(n, std::min<std::size_t>(1, r.records.size()));
    cut.records.assign(r.records.begin(), r.records.begin() + static_cast<std::ptrdiff_t>(n));
    out.push_back(std::move(cut));
  }
  return out;
}

pf::Figure FrameRenderer::build(const std::vector<pf::RunData>& runs, double t) const {
  pf::Figure f = pf::build_figure(kind_, runs, note_);
  f.width_in = width_in_, f.height_in = height_in_;
  f.title = time_label(t);
  if (f.panels.size() == frames_.size()) pf::pin_panels(f, frames_);
  return f;
}

pf::Figure FrameRenderer::figure_at(double t) const {
  return build(t >= t_last_ ? runs_ : runs_until(t), t);
}

pf::Bitmap FrameRenderer::render_at(double t) const {
  return pf::render_to_image(figure_at(t), style_, width_, height_);
}

AnimationStats write_animation(const std::string& path, const FrameRenderer& renderer, const AnimationOptions& opt) {
  EncoderOptions eo;
  eo.container = container_from_path(path);
  eo.width = renderer.width(), eo.height = renderer.height();
  eo.fps = opt.fps;
  eo.threads = opt.encoder_threads;
  check_encoder_options(eo);
  if (opt.frames < 1) throw ConfigError("--duration", "gives no frame");
  AnimationStats stats;
  stats.frames = opt.frames;
  stats.times = log_uniform_times(renderer.t_first(), renderer.t_last(), opt.frames);
  const double t0 = monotonic_seconds();

  if (eo.container == Container::gif) {
    // One palette for every frame, from up to 8 frames spread over the video (the last always among them).
    std::vector<pf::Bitmap> samples;
    const int n = std::min(8, opt.frames);
    for (int i = 0; i < n; ++i) {
      const int k = n == 1 ? opt.frames - 1 : static_cast<int>(static_cast<long>(i) * (opt.frames - 1) / (n - 1));
      samples.push_back(renderer.render_at(stats.times[static_cast<std::size_t>(k)]));
    }
    std::vector<const pf::Bitmap*> ptrs;
    for (const auto& s : samples) ptrs.push_back(&s);
    eo.palette = median_cut_palette(ptrs, 255);
  }
  VideoEncoder encoder(path, eo);

  // Workers render frames ahead (at most `window` of them in memory); this thread encodes them in order.
  const int threads = opt.threads > 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  const int window = 2 * threads + 2;
  std::vector<std::optional<pf::Bitmap>> slots(static_cast<std::size_t>(opt.frames));
  std::mutex mu;
  std::condition_variable ready, room;
  std::atomic<int> next{0};
  int encoded = 0;  // guarded by mu
  bool stop = false;
  std::exception_ptr error;
  double render_s = 0;
  auto worker = [&] {
    for (;;) {
      const int k = next.fetch_add(1);
      if (k >= opt.frames) return;
      {
        std::unique_lock lock(mu);
        room.wait(lock, [&] { return stop || k < encoded + window; });
        if (stop) return;
      }
      try {
        const double s = monotonic_seconds();
        pf::Bitmap img = renderer.render_at(stats.times[static_cast<std::size_t>(k)]);
        std::lock_guard lock(mu);
        render_s += monotonic_seconds() - s;
        slots[static_cast<std::size_t>(k)] = std::move(img);
      } catch (...) {
        std::lock_guard lock(mu);
        if (!error) error = std::current_exception();
        stop = true;
      }
      ready.notify_all();
    }
  };
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) pool.emplace_back(worker);
  auto halt = [&] {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    room.notify_all();
    for (auto& t : pool) t.join();
  };
  try {
    for (int k = 0; k < opt.frames; ++k) {
      pf::Bitmap img;
      {
        std::unique_lock lock(mu);
        ready.wait(lock, [&] { return stop || slots[static_cast<std::size_t>(k)].has_value(); });
        if (error) std::rethrow_exception(error);
        if (!slots[static_cast<std::size_t>(k)]) throw std::runtime_error("animate: rendering stopped");
        img = std::move(*slots[static_cast<std::size_t>(k)]);
        slots[static_cast<std::size_t>(k)].reset();
      }
      encoder.add(img);
      {
        std::lock_guard lock(mu);
        encoded = k + 1;
      }
      room.notify_all();
      if (opt.progress) opt.progress(k + 1, opt.frames);
    }
  } catch (...) {
    halt();
    throw;  // the encoder's destructor removes its temporary file
  }
  halt();
  encoder.finish();
  stats.seconds = monotonic_seconds() - t0;
  stats.render_seconds = render_s;
  return stats;
}

}  // namespace polarlab::animate
