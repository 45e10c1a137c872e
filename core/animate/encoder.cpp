#include "core/animate/encoder.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/animate/palette.hpp"
#include "core/types.hpp"

namespace polarlab::animate {

Container container_from_path(const std::string& path) {
  const auto dot = path.find_last_of('.');
  std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == "mp4") return Container::mp4;
  if (ext == "gif") return Container::gif;
  if (ext == "webm") return Container::webm;
  throw ConfigError("--out", "'" + path + "' must end in .mp4 (H.264), .gif or .webm (VP9)");
}

std::string container_name(Container c) {
  switch (c) {
    case Container::mp4: return "mp4";
    case Container::gif: return "gif";
    case Container::webm: return "webm";
  }
  return "mp4";
}

void check_encoder_options(const EncoderOptions& o) {
  if (o.width < 160 || o.height < 120 || o.width > 3840 || o.height > 2160 || o.width % 2 || o.height % 2)
    throw ConfigError("--size", std::to_string(o.width) + "x" + std::to_string(o.height) +
                                    " is not allowed (allowed: even width 160 .. 3840 and even height 120 .. 2160, "
                                    "e.g. 1280x720)");
  if (o.fps < 1 || o.fps > 120) throw ConfigError("--fps", std::to_string(o.fps) + " is not allowed (allowed: 1 .. 120)");
}

namespace {

std::string av_error(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

void check(int err, const std::string& what) {
  if (err < 0) throw std::runtime_error("ffmpeg: " + what + ": " + av_error(err));
}

}  // namespace

struct VideoEncoder::Impl {
  std::string path, tmp;
  EncoderOptions opt;
  AVFormatContext* fmt = nullptr;
  AVCodecContext* codec = nullptr;
  AVStream* stream = nullptr;
  AVFrame* frame = nullptr;
  AVPacket* packet = nullptr;
  SwsContext* sws = nullptr;
  std::unique_ptr<PaletteMapper> mapper;
  bool file_open = false, finished = false;
  int count = 0;

  ~Impl() {
    if (file_open) avio_closep(&fmt->pb);
    if (!finished && !tmp.empty()) std::remove(tmp.c_str());
    sws_freeContext(sws);
    av_packet_free(&packet);
    av_frame_free(&frame);
    avcodec_free_context(&codec);
    avformat_free_context(fmt);
  }

  void drain() {
    for (;;) {
      const int r = avcodec_receive_packet(codec, packet);
      if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
      check(r, "encoding");
      av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
      packet->stream_index = stream->index;
      check(av_interleaved_write_frame(fmt, packet), "writing '" + path + "'");
    }
  }
};

VideoEncoder::VideoEncoder(const std::string& path, const EncoderOptions& opt) : impl_(std::make_unique<Impl>()) {
  check_encoder_options(opt);
  Impl& m = *impl_;
  m.path = path;
  m.opt = opt;
  // x264 and libvpx report their settings and statistics at the info level.
  if (av_log_get_level() == AV_LOG_INFO) av_log_set_level(AV_LOG_ERROR);

  const char* encoder = opt.container == Container::mp4 ? "libx264"
                        : opt.container == Container::webm ? "libvpx-vp9"
                                                           : "gif";
  const AVCodec* codec = avcodec_find_encoder_by_name(encoder);
  if (!codec)
    throw std::runtime_error(std::string("this FFmpeg (libavcodec) has no ") + encoder + " encoder");
  if (opt.container == Container::gif) {
    if (opt.palette.empty() || opt.palette.size() > 255)
      throw std::invalid_argument("VideoEncoder: a GIF needs a palette of 1 .. 255 colours");
    m.mapper = std::make_unique<PaletteMapper>(opt.palette);
  }

  // The temporary file beside the destination (same file system: the rename is atomic). The muxer keeps its
  // name: +faststart reopens it to move the index to the front.
  m.tmp = path + ".tmp." + std::to_string(::getpid());
  const std::string name = container_name(opt.container);
  check(avformat_alloc_output_context2(&m.fmt, nullptr, name.c_str(), m.tmp.c_str()), "container " + name);
  m.stream = avformat_new_stream(m.fmt, nullptr);
  if (!m.stream) throw std::runtime_error("ffmpeg: no stream");
  m.codec = avcodec_alloc_context3(codec);
  m.packet = av_packet_alloc();
  m.frame = av_frame_alloc();
  if (!m.codec || !m.packet || !m.frame) throw std::bad_alloc();

  AVCodecContext* c = m.codec;
  c->width = opt.width;
  c->height = opt.height;
  c->time_base = AVRational{1, opt.fps};
  c->framerate = AVRational{opt.fps, 1};
  c->sample_aspect_ratio = AVRational{1, 1};
  c->thread_count = opt.threads;
  AVDictionary* codec_opts = nullptr;
  if (opt.container == Container::gif) {
    c->pix_fmt = AV_PIX_FMT_PAL8;
    // libavcodec's default gifflags: each frame after the first cropped to what changed (offsetting), unchanged
    // pixels inside written transparent (transdiff). One palette for every frame: the global colour table.
  } else {
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->gop_size = 2 * opt.fps;  // a keyframe every 2 s: seeking in a slide deck
    c->color_range = AVCOL_RANGE_MPEG;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    if (opt.container == Container::mp4) {
      av_dict_set(&codec_opts, "preset", "veryfast", 0);
      av_dict_set(&codec_opts, "crf", "20", 0);
      av_dict_set(&codec_opts, "profile", "high", 0);
    } else {
      c->bit_rate = 0;  // constant quality
      av_dict_set(&codec_opts, "crf", "32", 0);
      av_dict_set(&codec_opts, "deadline", "realtime", 0);
      av_dict_set(&codec_opts, "cpu-used", "8", 0);
      av_dict_set(&codec_opts, "row-mt", "1", 0);
    }
  }
  if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  const int opened = avcodec_open2(c, codec, &codec_opts);
  av_dict_free(&codec_opts);
  check(opened, std::string("opening ") + encoder);
  check(avcodec_parameters_from_context(m.stream->codecpar, c), "stream parameters");
  m.stream->time_base = c->time_base;
  m.stream->avg_frame_rate = c->framerate;

  m.frame->format = c->pix_fmt;
  m.frame->width = opt.width;
  m.frame->height = opt.height;
  check(av_frame_get_buffer(m.frame, 0), "frame buffer");
  if (opt.container != Container::gif) {
    m.sws = sws_getContext(opt.width, opt.height, AV_PIX_FMT_RGB32, opt.width, opt.height, AV_PIX_FMT_YUV420P,
                           SWS_BILINEAR | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
    if (!m.sws) throw std::runtime_error("swscale: no RGB to yuv420p conversion");
    // Full-range RGB in, limited-range BT.709 out, as the stream is tagged.
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(m.sws, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
  }

  const int io = avio_open(&m.fmt->pb, m.tmp.c_str(), AVIO_FLAG_WRITE);
  if (io < 0) {
    m.tmp.clear();  // nothing to remove
    throw ConfigError("--out", "cannot write '" + path + "' (" + av_error(io) + "; is the folder there and writable?)");
  }
  m.file_open = true;
  AVDictionary* mux_opts = nullptr;
  if (opt.container == Container::mp4) av_dict_set(&mux_opts, "movflags", "+faststart", 0);
  if (opt.container == Container::gif) av_dict_set(&mux_opts, "loop", "0", 0);  // 0: forever
  const int header = avformat_write_header(m.fmt, &mux_opts);
  av_dict_free(&mux_opts);
  check(header, "writing the header of '" + m.path + "'");
}

VideoEncoder::~VideoEncoder() = default;

void VideoEncoder::add(const figure::Bitmap& img) {
  Impl& m = *impl_;
  if (m.finished) throw std::logic_error("VideoEncoder::add after finish");
  if (img.width != m.opt.width || img.height != m.opt.height ||
      img.pixels.size() != static_cast<std::size_t>(img.width) * img.height)
    throw std::invalid_argument("VideoEncoder: a " + std::to_string(img.width) + "x" + std::to_string(img.height) +
                                " frame for a " + std::to_string(m.opt.width) + "x" + std::to_string(m.opt.height) +
                                " video");
  check(av_frame_make_writable(m.frame), "frame");
  if (m.mapper) {
    m.mapper->map(img, m.frame->data[0], m.frame->linesize[0]);
    auto* pal = reinterpret_cast<std::uint32_t*>(m.frame->data[1]);
    const auto& p = m.mapper->palette();
    for (int i = 0; i < 256; ++i) pal[i] = i < static_cast<int>(p.size()) ? p[static_cast<std::size_t>(i)] : 0xFF000000u;
  } else {
    const std::uint8_t* src[1] = {reinterpret_cast<const std::uint8_t*>(img.pixels.data())};
    const int stride[1] = {img.width * 4};
    sws_scale(m.sws, src, stride, 0, img.height, m.frame->data, m.frame->linesize);
  }
  m.frame->pts = m.count++;
  check(avcodec_send_frame(m.codec, m.frame), "encoding");
  m.drain();
}

void VideoEncoder::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  check(avcodec_send_frame(m.codec, nullptr), "flushing");
  m.drain();
  check(av_write_trailer(m.fmt), "writing the trailer of '" + m.path + "'");
  m.file_open = false;
  check(avio_closep(&m.fmt->pb), "closing '" + m.path + "'");
  std::error_code ec;
  std::filesystem::rename(m.tmp, m.path, ec);
  if (ec) throw std::runtime_error("cannot write '" + m.path + "': " + ec.message());
  m.finished = true;
}

int VideoEncoder::frames() const { return impl_->count; }
const std::string& VideoEncoder::temporary_path() const { return impl_->tmp; }

}  // namespace polarlab::animate
