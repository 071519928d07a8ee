#include "media/Decoder.h"

#include "media/Errors.h"

namespace common::media {

Decoder::Decoder(const AVStream& stream, int threads, const std::string& inputName)
    : inputName_(inputName) {
  const AVCodecParameters& par = *stream.codecpar;
  const AVCodec* codec = avcodec_find_decoder(par.codec_id);
  if (codec == nullptr) {
    unrecoverable(std::string("unsupported ") + av_get_media_type_string(par.codec_type) +
                  " codec '" + avcodec_get_name(par.codec_id) + "' in '" + inputName + "'");
  }
  context_.reset(avcodec_alloc_context3(codec));
  if (!context_) throw std::bad_alloc();
  int rc = avcodec_parameters_to_context(context_.get(), &par);
  if (rc < 0) unrecoverable("cannot set up the decoder for '" + inputName + "': " + avError(rc));
  context_->pkt_timebase = stream.time_base;
  context_->thread_count = threads;
  rc = avcodec_open2(context_.get(), codec, nullptr);
  if (rc < 0) {
    unrecoverable(std::string("cannot open the ") + avcodec_get_name(par.codec_id) +
                  " decoder for '" + inputName + "': " + avError(rc));
  }
}

bool Decoder::send(const AVPacket* packet) {
  const int rc = avcodec_send_packet(context_.get(), packet);
  if (rc == 0 || rc == AVERROR_EOF) return true;
  if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
  // Anything else (AVERROR_INVALIDDATA mostly) is one bad packet: players skip those too.
  ++errors_;
  return false;
}

bool Decoder::receive(AVFrame* frame) {
  // A corrupt frame is skipped: the decoder may still hold good ones after it.
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int rc = avcodec_receive_frame(context_.get(), frame);
    if (rc == 0) return true;
    if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return false;
    if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
    ++errors_;
  }
  return false;
}

void Decoder::flush() {
  avcodec_flush_buffers(context_.get());
}

}  // namespace common::media
