#include "app/gui/lecture/recorder.hpp"

#include <algorithm>

#include "core/experiment/config.hpp"

#ifdef HAVE_POLARLAB_ANIMATE
#include "core/animate/encoder.hpp"
#endif

namespace polarlab::gui {

#ifdef HAVE_POLARLAB_ANIMATE
struct FrameRecorder::Codec {
  animate::VideoEncoder encoder;
  Codec(const std::string& path, const animate::EncoderOptions& o) : encoder(path, o) {}
};
bool recording_available() { return true; }
#else
struct FrameRecorder::Codec {};
bool recording_available() { return false; }
#endif

FrameRecorder::FrameRecorder(JobHost& host, const std::string& path, int width, int height, int fps)
    : path_(path), width_(width / 2 * 2), height_(height / 2 * 2), fps_(fps), worker_(host) {
#ifdef HAVE_POLARLAB_ANIMATE
  animate::EncoderOptions o;
  o.container = animate::container_from_path(path);
  o.width = width_;
  o.height = height_;
  o.fps = fps;
  if (o.container == animate::Container::gif) {
    // One palette for the whole video: the lab's dark background, text greys and the coordinates' colours are
    // few, so a fixed 6×7×6 colour cube plus three greys keeps them without a first pass over the video.
    for (int r = 0; r < 6; ++r)
      for (int g = 0; g < 7; ++g)
        for (int b = 0; b < 6; ++b)
          o.palette.push_back(0xff000000u | static_cast<std::uint32_t>(r * 51) << 16 |
                              static_cast<std::uint32_t>(g * 42 + g / 2) << 8 | static_cast<std::uint32_t>(b * 51));
    for (std::uint32_t grey : {0x40u, 0x80u, 0xc0u}) o.palette.push_back(0xff000000u | grey * 0x010101u);  // 255 in all
  }
  animate::check_encoder_options(o);
  codec_ = std::make_unique<Codec>(path, o);
#else
  throw ConfigError("--record", "this build cannot record video: it needs FFmpeg's libraries (apt install "
                                "libavcodec-dev libavformat-dev libswscale-dev libavutil-dev) and Cairo, then rebuild");
#endif
  snap_ = std::make_shared<RecorderSnapshot>();
  worker_.publish(snap_);
  worker_.job().set_state(JobState::running);
  worker_.start("recording " + path_, "dynamics",
                [this](JobControl& job, const SliceContext& ctx) { return slice(job, ctx); }, false);
}

FrameRecorder::~FrameRecorder() {
  finish();
  worker_.join();
}

bool FrameRecorder::push(figure::Bitmap frame) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (finishing_ || queue_.size() >= kQueue) return false;
  queue_.push_back(std::move(frame));
  cv_.notify_one();
  return true;
}

void FrameRecorder::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  finishing_ = true;
  cv_.notify_one();
}

Slice FrameRecorder::slice(JobControl& job, const SliceContext& ctx) {
  // One frame encoded per slice; threads wait for the next frame, inline returns until the frame loop pushes one.
  figure::Bitmap frame;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (ctx.may_block) cv_.wait(lock, [&] { return !queue_.empty() || finishing_; });
    if (queue_.empty() && !finishing_) return Slice::idle;
    if (!queue_.empty()) {
      frame = std::move(queue_.front());
      queue_.pop_front();
    }
  }
  try {
    if (frame.width == 0) {  // finishing and nothing left
#ifdef HAVE_POLARLAB_ANIMATE
      codec_->encoder.finish();
#endif
      job.set_state(JobState::finished);
    } else {
#ifdef HAVE_POLARLAB_ANIMATE
      if (frame.width != width_ || frame.height != height_) {
        // A window resized while recording: the video keeps its size; the frame is cropped or padded black.
        figure::Bitmap fit;
        fit.width = width_;
        fit.height = height_;
        fit.pixels.assign(static_cast<std::size_t>(width_) * height_, 0xff000000u);
        for (int y = 0; y < std::min(height_, frame.height); ++y)
          std::copy_n(&frame.pixels[static_cast<std::size_t>(y) * frame.width], std::min(width_, frame.width),
                      &fit.pixels[static_cast<std::size_t>(y) * width_]);
        frame = std::move(fit);
      }
      codec_->encoder.add(frame);
#endif
      auto next = std::make_shared<RecorderSnapshot>(*snap_);
      ++next->frames;
      snap_ = next;
      worker_.publish(snap_);
      return Slice::more;
    }
  } catch (const std::exception& e) {
    job.fail(e.what());
    auto next = std::make_shared<RecorderSnapshot>(*snap_);
    next->error = e.what();
    snap_ = next;
  }
  auto last = std::make_shared<RecorderSnapshot>(*snap_);
  last->done = true;
  worker_.publish(last);
  return Slice::ended;
}

}  // namespace polarlab::gui
