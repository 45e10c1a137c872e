// Recording the window to a video: the UI thread hands over captured frames, a JobWorker encodes them (H.264 MP4,
// VP9 WebM or GIF through core/animate's encoder), so a frame never waits for the codec. The queue is short:
// when it is full push() says so and the App keeps its recording clock where it is (the next frame is the same
// moment again), so a slow machine makes recording slower, never the video shorter or jerky.
#pragma once
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>

#include "app/gui/shell/job_worker.hpp"
#include "core/figure/plot.hpp"

namespace polarlab::gui {

struct RecorderSnapshot {
  int frames = 0;      // encoded so far
  bool done = false;   // the file is complete (or failed: error)
  std::string error;
};

// Whether this build can record (FFmpeg's libraries were found).
bool recording_available();

class FrameRecorder {
 public:
  static constexpr std::size_t kQueue = 4;
  // Opens `path` (.mp4, .webm or .gif) for width × height at fps (sizes rounded down to even). Throws ConfigError
  // naming the problem (a folder that does not exist, an extension it cannot encode).
  FrameRecorder(JobHost& host, const std::string& path, int width, int height, int fps);
  // Finishes the file with the frames so far (a window closed while recording keeps its video).
  ~FrameRecorder();
  FrameRecorder(const FrameRecorder&) = delete;
  FrameRecorder& operator=(const FrameRecorder&) = delete;

  // A frame (pixels 0xAARRGGBB, any size: cropped or padded to the video's); false when the queue is full.
  bool push(figure::Bitmap frame);
  // No more frames: the worker flushes the codec and renames the file into place.
  void finish();
  std::shared_ptr<const RecorderSnapshot> snapshot() const { return worker_.snapshot(); }
  const std::string& path() const { return path_; }
  int width() const { return width_; }
  int height() const { return height_; }
  int fps() const { return fps_; }

 private:
  Slice slice(JobControl& job, const SliceContext& ctx);
  std::shared_ptr<RecorderSnapshot> snap_;  // the encoder's side

  std::string path_;
  int width_ = 0, height_ = 0, fps_ = 30;
  struct Codec;
  std::unique_ptr<Codec> codec_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<figure::Bitmap> queue_;
  bool finishing_ = false;
  JobWorker<RecorderSnapshot> worker_;  // last: joins before the rest goes
};

}  // namespace polarlab::gui
