#include "OutputFile.h"

#include "Shared.h"

namespace video {
namespace {

// Writing a local temp file fails for node reasons (disk full, permissions): retryable, unless
// the job was cancelled, which interrupts the write.
[[noreturn]] void writeFailed(const std::filesystem::path& path, const std::string& what, int rc) {
  if (rc == AVERROR_EXIT) cancelled();
  retryable("cannot write '" + path.filename().string() + "' (" + what + "): " + avError(rc));
}

}  // namespace

OutputFile::OutputFile(const std::filesystem::path& path, const AVIOInterruptCB* interrupt)
    : path_(path) {
  int rc = avformat_alloc_output_context2(&context_, nullptr, "mp4", path.c_str());
  if (rc < 0 || context_ == nullptr) writeFailed(path, "mp4 muxer", rc);
  context_->interrupt_callback = *interrupt;
  rc = avio_open2(&context_->pb, path.c_str(), AVIO_FLAG_WRITE, interrupt, nullptr);
  if (rc < 0) {
    avformat_free_context(context_);
    context_ = nullptr;
    writeFailed(path, "open", rc);
  }
}

OutputFile::~OutputFile() {
  if (context_ == nullptr) return;
  avio_closep(&context_->pb);
  avformat_free_context(context_);
}

bool OutputFile::wantsGlobalHeader() const {
  return (context_->oformat->flags & AVFMT_GLOBALHEADER) != 0;
}

int OutputFile::addStream(const AVCodecContext& encoder) {
  AVStream* stream = avformat_new_stream(context_, nullptr);
  if (stream == nullptr) throw std::bad_alloc();
  const int rc = avcodec_parameters_from_context(stream->codecpar, &encoder);
  if (rc < 0) writeFailed(path_, "stream parameters", rc);
  stream->time_base = encoder.time_base;
  if (encoder.codec_type == AVMEDIA_TYPE_VIDEO) stream->avg_frame_rate = encoder.framerate;
  return stream->index;
}

void OutputFile::writeHeader() {
  Options options;
  options.set("movflags", "+faststart");
  const int rc = avformat_write_header(context_, options.get());
  if (rc < 0) writeFailed(path_, "header", rc);
}

void OutputFile::write(AVPacket* packet, int index, AVRational timeBase) {
  AVStream* stream = context_->streams[index];
  packet->stream_index = index;
  av_packet_rescale_ts(packet, timeBase, stream->time_base);
  const int rc = av_interleaved_write_frame(context_, packet);
  if (rc < 0) writeFailed(path_, "packet", rc);
}

void OutputFile::finish() {
  int rc = av_write_trailer(context_);
  if (rc < 0) writeFailed(path_, "trailer", rc);
  rc = avio_closep(&context_->pb);
  if (rc < 0) writeFailed(path_, "close", rc);
}

}  // namespace video
