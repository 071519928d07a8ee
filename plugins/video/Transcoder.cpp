#include "Transcoder.h"

#include "Shared.h"

#include <cmath>
#include <limits>

namespace video {
namespace {

constexpr int kSampleRate = 48000;

AVRational outputRate(AVRational source, int cap) {
  if (source.num <= 0 || source.den <= 0 || av_q2d(source) > cap) return AVRational{cap, 1};
  return source;
}

std::string rateText(AVRational rate) {
  return std::to_string(rate.num) + "/" + std::to_string(rate.den);
}

std::string joined(std::initializer_list<std::string> parts) {
  std::string out;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!out.empty()) out += ',';
    out += part;
  }
  return out;
}

double streamSeconds(std::int64_t ts, AVRational timeBase) {
  return static_cast<double>(ts) * av_q2d(timeBase);
}

std::int64_t timestampOf(const AVFrame& frame) {
  return frame.best_effort_timestamp != AV_NOPTS_VALUE ? frame.best_effort_timestamp : frame.pts;
}

}  // namespace

Transcoder::Transcoder(JobScope& scope, const Media& media, const TranscodeRequest& request,
                       const Rendition& rendition, double progressFrom, double progressTo)
    : scope_(scope),
      media_(media),
      request_(request),
      rendition_(rendition),
      progressFrom_(progressFrom),
      progressTo_(progressTo),
      video_(media.requireVideo()),
      fps_(outputRate(video_.fps, request.maxFps)),
      endS_(request.durationS >= 0 ? request.durationS : std::numeric_limits<double>::infinity()),
      expectedS_(request.durationS),
      // Two decoding threads outrun x264 even on 4K input; each more holds another set of
      // frames (about 80 MB at 4K).
      videoDecoder_(*video_.stream, std::min(2, scope.settings().threads), media.name()),
      frame_(newFrame()),
      filtered_(newFrame()) {
  const AVRational tb = video_.stream->time_base;
  const std::int64_t startUs = std::llround(request.startS * AV_TIME_BASE);
  videoOrigin_ = media.origin(video_.index) + av_rescale_q(startUs, AV_TIME_BASE_Q, tb);
  if (expectedS_ < 0 && media.durationS() >= 0) expectedS_ = media.durationS() - request.startS;
  if (media.audioIndex() >= 0) {
    const AVStream& audio = *media.format()->streams[media.audioIndex()];
    audioDecoder_.emplace(audio, 1, media.name());
    audioOrigin_ =
        media.origin(media.audioIndex()) + av_rescale_q(startUs, AV_TIME_BASE_Q, audio.time_base);
  } else {
    audioDone_ = true;
  }
  // Only the streams we decode are read.
  for (unsigned i = 0; i < media.format()->nb_streams; ++i) {
    const bool used =
        static_cast<int>(i) == video_.index || static_cast<int>(i) == media.audioIndex();
    if (!used) media.format()->streams[i]->discard = AVDISCARD_ALL;
  }
  openOutput();
}

void Transcoder::openOutput() {
  const Settings& settings = scope_.settings();
  file_ =
      std::make_unique<OutputFile>(scope_.dir() / (rendition_.name + ".mp4"), scope_.interrupt());
  H264Settings h264;
  h264.width = rendition_.preset->width;
  h264.height = rendition_.preset->height;
  h264.fps = fps_;
  h264.crf = rendition_.crf;
  h264.maxBitrateKbps = rendition_.maxBitrateKbps;
  h264.preset = settings.x264Preset;
  h264.threads = settings.threads;
  videoEncoder_.emplace(Encoder::h264(h264, file_->wantsGlobalHeader()));
  videoStream_ = file_->addStream(*videoEncoder_->context());
  if (audioDecoder_) {
    audioEncoder_.emplace(Encoder::aac(settings.audioBitrateKbps, file_->wantsGlobalHeader()));
    audioStream_ = file_->addStream(*audioEncoder_->context());
  }
  file_->writeHeader();
}

void Transcoder::seekToStart() {
  std::int64_t target = std::llround(request_.startS * AV_TIME_BASE);
  const std::int64_t fileStart = media_.format()->start_time;
  if (fileStart != AV_NOPTS_VALUE) target += fileStart;
  // To the key frame at or before the start (the file was read before: always seek); frames
  // before the start are dropped by the filters. A failed seek shows up as a truncated result.
  const int rc = avformat_seek_file(media_.format(), -1, std::numeric_limits<std::int64_t>::min(),
                                    target, target, 0);
  if (rc == AVERROR_EXIT) cancelled();
}

void Transcoder::run() {
  seekToStart();
  PacketPtr packet = newPacket();
  while (!doneReading()) {
    scope_.checkCancelled();
    const int rc = av_read_frame(media_.format(), packet.get());
    if (rc == AVERROR_EOF) break;
    if (rc == AVERROR_EXIT || scope_.cancelled()) cancelled();
    if (rc < 0) {
      unrecoverable("input is corrupt or truncated: reading '" + media_.name() +
                    "' failed: " + avError(rc));
    }
    if (packet->stream_index == video_.index) {
      decodeVideo(packet.get());
    } else if (packet->stream_index == media_.audioIndex()) {
      decodeAudio(packet.get());
    }
    av_packet_unref(packet.get());
  }
  scope_.checkCancelled();
  finishStreams();
  checkComplete();
  file_->finish();
}

bool Transcoder::doneReading() const {
  return videoDone_ && audioDone_;
}

void Transcoder::decodeVideo(const AVPacket* packet) {
  if (videoDone_ && packet != nullptr) return;
  videoDecoder_.send(packet);
  while (videoDecoder_.receive(frame_.get())) onVideoFrame(frame_.get());
}

void Transcoder::decodeAudio(const AVPacket* packet) {
  if (!audioDecoder_ || (audioDone_ && packet != nullptr)) return;
  audioDecoder_->send(packet);
  while (audioDecoder_->receive(frame_.get())) onAudioFrame(frame_.get());
}

void Transcoder::onVideoFrame(AVFrame* frame) {
  const std::int64_t ts = timestampOf(*frame);
  if (ts == AV_NOPTS_VALUE || videoDone_) {
    av_frame_unref(frame);
    return;
  }
  const AVRational tb = video_.stream->time_base;
  const double t = streamSeconds(ts - videoOrigin_, tb);
  if (t >= endS_) {
    videoDone_ = true;
    av_frame_unref(frame);
    return;
  }
  if (media_.durationS() < 0 && t > static_cast<double>(scope_.settings().maxDurationS)) {
    unrecoverable("input too long: more than " + std::to_string(scope_.settings().maxDurationS) +
                  " s exceeds video.max_duration_s " +
                  std::to_string(scope_.settings().maxDurationS));
  }
  const std::int64_t duration =
      frame->pkt_duration > 0 ? frame->pkt_duration : av_rescale_q(1, av_inv_q(fps_), tb);
  videoEndTs_ = std::max(videoEndTs_, ts - videoOrigin_ + duration);
  videoEnd_ = streamSeconds(videoEndTs_, tb);
  frame->pts = ts - videoOrigin_;
  if (!videoGraph_) buildVideoGraph(*frame);
  videoGraph_->push(frame);
  ++videoFrames_;
  drainVideo();
  reportProgress(t);
}

void Transcoder::onAudioFrame(AVFrame* frame) {
  const std::int64_t ts = timestampOf(*frame);
  if (ts == AV_NOPTS_VALUE || audioDone_) {
    av_frame_unref(frame);
    return;
  }
  const AVStream& stream = *media_.format()->streams[media_.audioIndex()];
  if (streamSeconds(ts - audioOrigin_, stream.time_base) >= endS_) {
    audioDone_ = true;
    av_frame_unref(frame);
    return;
  }
  frame->pts = ts - audioOrigin_;
  audioEndTs_ = std::max(
      audioEndTs_, frame->pts + av_rescale_q(frame->nb_samples, AVRational{1, frame->sample_rate},
                                             stream.time_base));
  if (!audioGraph_) buildAudioGraph(*frame);
  audioGraph_->push(frame);
  drainAudio();
}

void Transcoder::buildVideoGraph(const AVFrame& first) {
  // fps first: it drops what the output does not need before anything costly runs. start_time=0
  // makes the first output frame the picture shown at the start (it may come from before it).
  const Shape shape =
      displayShape(first.width, first.height, first.sample_aspect_ratio, video_.rotation);
  const std::string description =
      "[in]" +
      joined(
          {"fps=fps=" + rateText(fps_) + ":start_time=0", rotationFilters(video_.rotation),
           fitFilters(shape, rendition_.preset->width, rendition_.preset->height, rendition_.fit),
           "format=yuv420p"}) +
      "[out0]";
  videoGraph_.emplace(FilterGraph::video(first, video_.stream->time_base, description, 1,
                                         scope_.settings().threads));
}

void Transcoder::buildAudioGraph(const AVFrame& first) {
  std::string trim = "atrim=start=0";
  if (std::isfinite(endS_)) trim += ":end=" + std::to_string(endS_);
  // async=1:first_pts=0 pads with silence so the audio starts with the picture at 0.
  const std::string description = "[in]" + trim + ",aresample=" + std::to_string(kSampleRate) +
                                  ":async=1:first_pts=0,aformat=sample_fmts=fltp:"
                                  "channel_layouts=stereo[out0]";
  const AVRational tb = media_.format()->streams[media_.audioIndex()]->time_base;
  audioGraph_.emplace(FilterGraph::audio(first, tb, description,
                                         static_cast<unsigned>(audioEncoder_->frameSize())));
}

void Transcoder::drainVideo() {
  while (videoGraph_->pull(0, filtered_.get())) {
    encodeVideo(filtered_.get());
    av_frame_unref(filtered_.get());
  }
}

void Transcoder::drainAudio() {
  while (audioGraph_->pull(0, filtered_.get())) {
    encodeAudio(filtered_.get());
    av_frame_unref(filtered_.get());
  }
}

void Transcoder::encodeVideo(AVFrame* frame) {
  Encoder& encoder = *videoEncoder_;
  if (frame != nullptr) {
    frame->pts = av_rescale_q(frame->pts, videoGraph_->timeBase(0), encoder.timeBase());
    frame->pict_type = AV_PICTURE_TYPE_NONE;
  }
  encoder.encode(frame,
                 [&](AVPacket* packet) { file_->write(packet, videoStream_, encoder.timeBase()); });
}

void Transcoder::encodeAudio(AVFrame* frame) {
  if (frame != nullptr) {
    frame->pts = av_rescale_q(frame->pts, audioGraph_->timeBase(0), audioEncoder_->timeBase());
  }
  audioEncoder_->encode(frame, [&](AVPacket* packet) {
    file_->write(packet, audioStream_, audioEncoder_->timeBase());
  });
}

void Transcoder::finishStreams() {
  decodeVideo(nullptr);
  decodeAudio(nullptr);
  scope_.checkCancelled();
  if (videoGraph_) {
    // The last frame shows until it ends (or the trim ends it).
    std::int64_t end = videoEndTs_;
    if (std::isfinite(endS_)) {
      end = std::min(end, av_rescale_q(std::llround(endS_ * AV_TIME_BASE), AV_TIME_BASE_Q,
                                       video_.stream->time_base));
    }
    videoGraph_->close(end);
    drainVideo();
  }
  scope_.checkCancelled();
  encodeVideo(nullptr);
  if (audioGraph_) {
    audioGraph_->close(audioEndTs_);
    drainAudio();
  }
  if (audioEncoder_) encodeAudio(nullptr);
}

void Transcoder::checkComplete() const {
  if (videoFrames_ == 0) {
    unrecoverable("input is corrupt: no video frame could be decoded from '" + media_.name() + "'");
  }
  // A video that stops well before its stream says it ends was cut off (or is damaged there).
  const AVStream& stream = *video_.stream;
  if (stream.duration == AV_NOPTS_VALUE || stream.duration <= 0) return;
  const double streamEnd = streamSeconds(stream.duration, stream.time_base) - request_.startS;
  const double expected = std::min(endS_, streamEnd);
  if (videoEnd_ < expected - 0.5) {
    unrecoverable("input is truncated or corrupt: its video stops at " +
                  seconds(videoEnd_ + request_.startS) + " s of " +
                  seconds(expected + request_.startS) + " s in '" + media_.name() + "'");
  }
}

void Transcoder::reportProgress(double t) {
  if (expectedS_ <= 0) return;
  scope_.progress(progressFrom_ + (progressTo_ - progressFrom_) * std::min(1.0, t / expectedS_));
}

}  // namespace video
