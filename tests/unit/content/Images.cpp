#include "Images.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

#include <fstream>
#include <stdexcept>

namespace warren::test {
namespace {

AVFrame* rgbaFrame(int width, int height, const Painter& paint) {
  AVFrame* frame = av_frame_alloc();
  frame->format = AV_PIX_FMT_RGBA;
  frame->width = width;
  frame->height = height;
  if (av_frame_get_buffer(frame, 0) < 0) throw std::runtime_error("av_frame_get_buffer");
  for (int y = 0; y < height; ++y) {
    std::uint8_t* row = frame->data[0] + static_cast<std::ptrdiff_t>(y) * frame->linesize[0];
    for (int x = 0; x < width; ++x) {
      const Rgba p = paint(x, y);
      row[4 * x] = p.r;
      row[4 * x + 1] = p.g;
      row[4 * x + 2] = p.b;
      row[4 * x + 3] = p.a;
    }
  }
  return frame;
}

AVFrame* converted(const AVFrame* in, AVPixelFormat format) {
  AVFrame* out = av_frame_alloc();
  out->format = format;
  out->width = in->width;
  out->height = in->height;
  if (av_frame_get_buffer(out, 0) < 0) throw std::runtime_error("av_frame_get_buffer");
  SwsContext* sws = sws_getContext(in->width, in->height, AV_PIX_FMT_RGBA, in->width, in->height,
                                   format, SWS_BICUBIC, nullptr, nullptr, nullptr);
  sws_scale(sws, in->data, in->linesize, 0, in->height, out->data, out->linesize);
  sws_freeContext(sws);
  return out;
}

void encode(const std::filesystem::path& path, const char* codecName, AVFrame* frame) {
  const AVCodec* codec = avcodec_find_encoder_by_name(codecName);
  AVCodecContext* context = avcodec_alloc_context3(codec);
  context->width = frame->width;
  context->height = frame->height;
  context->pix_fmt = static_cast<AVPixelFormat>(frame->format);
  context->time_base = AVRational{1, 25};
  if (avcodec_open2(context, codec, nullptr) < 0) throw std::runtime_error("avcodec_open2");
  std::ofstream out(path, std::ios::binary);
  AVPacket* packet = av_packet_alloc();
  for (AVFrame* input : {frame, static_cast<AVFrame*>(nullptr)}) {
    avcodec_send_frame(context, input);
    while (avcodec_receive_packet(context, packet) == 0) {
      out.write(reinterpret_cast<const char*>(packet->data), packet->size);
      av_packet_unref(packet);
    }
  }
  av_packet_free(&packet);
  avcodec_free_context(&context);
}

}  // namespace

void writePng(const std::filesystem::path& path, int width, int height, const Painter& paint) {
  AVFrame* frame = rgbaFrame(width, height, paint);
  encode(path, "png", frame);
  av_frame_free(&frame);
}

void writeJpeg(const std::filesystem::path& path, int width, int height, const Painter& paint) {
  AVFrame* rgba = rgbaFrame(width, height, paint);
  AVFrame* yuv = converted(rgba, AV_PIX_FMT_YUVJ420P);
  encode(path, "mjpeg", yuv);
  av_frame_free(&yuv);
  av_frame_free(&rgba);
}

}  // namespace warren::test
