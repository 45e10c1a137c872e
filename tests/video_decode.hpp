// Tests' video reader: every frame of an MP4/WebM/GIF decoded with libavformat/libavcodec and converted to RGB,
// so a test checks what a player would show (codec, size, pixel format, frame count, pixels).
#pragma once
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/figure/plot.hpp"

namespace polarlab::test {

struct Decoded {
  std::string codec, pix_fmt;
  int width = 0, height = 0;
  std::vector<polarlab::figure::Bitmap> frames;  // 0xFFRRGGBB
};

// Every frame of a video file, converted to RGB (BT.709 limited range for YUV, as the encoder tags it).
inline Decoded decode(const std::string& path) {
  Decoded out;
  AVFormatContext* fmt = nullptr;
  if (avformat_open_input(&fmt, path.c_str(), nullptr, nullptr) < 0) throw std::runtime_error("cannot open " + path);
  std::unique_ptr<AVFormatContext*, void (*)(AVFormatContext**)> fg(&fmt, avformat_close_input);
  if (avformat_find_stream_info(fmt, nullptr) < 0) throw std::runtime_error("no stream info");
  const int si = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (si < 0) throw std::runtime_error("no video stream");
  const AVCodecParameters* par = fmt->streams[si]->codecpar;
  const AVCodec* dec = avcodec_find_decoder(par->codec_id);
  out.codec = avcodec_get_name(par->codec_id);
  out.width = par->width, out.height = par->height;
  const char* pfn = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par->format));
  out.pix_fmt = pfn ? pfn : "";
  AVCodecContext* c = avcodec_alloc_context3(dec);
  std::unique_ptr<AVCodecContext*, void (*)(AVCodecContext**)> cg(&c, avcodec_free_context);
  avcodec_parameters_to_context(c, par);
  if (avcodec_open2(c, dec, nullptr) < 0) throw std::runtime_error("cannot open decoder");
  AVPacket* pkt = av_packet_alloc();
  AVFrame* frame = av_frame_alloc();
  SwsContext* sws = nullptr;
  auto receive = [&] {
    while (avcodec_receive_frame(c, frame) == 0) {
      polarlab::figure::Bitmap img;
      img.width = frame->width, img.height = frame->height;
      img.pixels.resize(static_cast<std::size_t>(img.width) * img.height);
      sws = sws_getCachedContext(sws, frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                                 frame->width, frame->height, AV_PIX_FMT_RGB32, SWS_BILINEAR | SWS_ACCURATE_RND,
                                 nullptr, nullptr, nullptr);
      const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
      if (frame->format == AV_PIX_FMT_YUV420P) sws_setColorspaceDetails(sws, bt709, 0, bt709, 1, 0, 1 << 16, 1 << 16);
      std::uint8_t* dst[1] = {reinterpret_cast<std::uint8_t*>(img.pixels.data())};
      const int stride[1] = {img.width * 4};
      sws_scale(sws, frame->data, frame->linesize, 0, frame->height, dst, stride);
      for (auto& p : img.pixels) p |= 0xFF000000u;
      out.frames.push_back(std::move(img));
    }
  };
  while (av_read_frame(fmt, pkt) >= 0) {
    if (pkt->stream_index == si) {
      avcodec_send_packet(c, pkt);
      receive();
    }
    av_packet_unref(pkt);
  }
  avcodec_send_packet(c, nullptr);
  receive();
  sws_freeContext(sws);
  av_frame_free(&frame);
  av_packet_free(&pkt);
  return out;
}

}  // namespace polarlab::test
