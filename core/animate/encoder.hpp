// Video files from in-memory frames with Debian's FFmpeg libraries (libavformat, libavcodec, libswscale), linked,
// never an ffmpeg binary:
//   .mp4  H.264 (libx264), yuv420p, BT.709, +faststart: plays in PowerPoint, Keynote, browsers, beamer
//   .webm VP9 (libvpx-vp9), yuv420p, constant quality
//   .gif  one global palette (PaletteMapper), looping forever
// The file is written atomically: "<path>.tmp.<pid>" beside it, renamed onto path by finish(); an encoder
// destroyed without finish() (an exception on the way) removes its temporary file and leaves path untouched.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/figure/plot.hpp"

namespace polarlab::animate {

enum class Container { mp4, gif, webm };
// From the extension (.mp4, .gif, .webm; any case); throws ConfigError("--out", ...) naming the allowed ones.
Container container_from_path(const std::string& path);
std::string container_name(Container c);

struct EncoderOptions {
  Container container = Container::mp4;
  int width = 1280, height = 720;  // even
  int fps = 30;
  int threads = 0;                 // the codec's threads; 0: its default
  std::vector<std::uint32_t> palette;  // GIF only: 1 .. 255 colours (median_cut_palette)
};

// Throws ConfigError("--size" / "--fps") for a size or rate the codecs cannot take.
void check_encoder_options(const EncoderOptions& opt);

class VideoEncoder {
 public:
  // Opens the temporary file; ConfigError("--out", ...) when it cannot be created (a missing or read-only folder),
  // std::runtime_error when FFmpeg lacks the encoder.
  VideoEncoder(const std::string& path, const EncoderOptions& opt);
  ~VideoEncoder();
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // The next frame; its size must be the encoder's (std::invalid_argument otherwise).
  void add(const figure::Bitmap& frame);
  // Flushes the codec, writes the trailer and renames the file into place.
  void finish();
  int frames() const;
  const std::string& temporary_path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace polarlab::animate
