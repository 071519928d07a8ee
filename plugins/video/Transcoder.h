// One rendition of a transcode: demux, decode, filter (frame rate, rotation, fit), encode
// (H.264 + AAC) and mux into an MP4 in the job's work directory. Renditions run one after the
// other so that one job holds one encoder's memory at a time, not one per rendition.
#pragma once

#include "JobScope.h"
#include "OutputFile.h"
#include "Shared.h"
#include "Transcode.h"

#include "media/Decoder.h"
#include "media/Encoder.h"
#include "media/FilterGraph.h"

#include <memory>
#include <optional>

namespace video {

class Transcoder {
 public:
  // Progress runs from `progressFrom` to `progressTo` (percent) as the rendition advances.
  Transcoder(JobScope& scope, const Media& media, const TranscodeRequest& request,
             const Rendition& rendition, double progressFrom, double progressTo);

  // Writes the rendition's file. Checks cancellation between packets; FFmpeg's own blocking
  // I/O is interrupted through the scope.
  void run();
  const std::filesystem::path& output() const { return file_->path(); }

 private:
  void openOutput();
  void seekToStart();
  bool doneReading() const;
  void decodeVideo(const AVPacket* packet);
  void decodeAudio(const AVPacket* packet);
  void onVideoFrame(AVFrame* frame);
  void onAudioFrame(AVFrame* frame);
  void buildVideoGraph(const AVFrame& first);
  void buildAudioGraph(const AVFrame& first);
  void drainVideo();
  void drainAudio();
  void encodeVideo(AVFrame* frame);
  void encodeAudio(AVFrame* frame);
  void finishStreams();
  void checkComplete() const;
  void reportProgress(double t);

  JobScope& scope_;
  const Media& media_;
  const TranscodeRequest& request_;
  const Rendition& rendition_;
  double progressFrom_;
  double progressTo_;
  const VideoStream& video_;
  AVRational fps_;
  double endS_;       // end of the output on the input's clock, relative to the start
  double expectedS_;  // how long the output should be; negative when unknown
  std::int64_t videoOrigin_;
  std::int64_t audioOrigin_ = 0;
  Decoder videoDecoder_;
  std::optional<Decoder> audioDecoder_;
  std::optional<FilterGraph> videoGraph_;
  std::optional<FilterGraph> audioGraph_;
  std::unique_ptr<OutputFile> file_;
  std::optional<Encoder> videoEncoder_;
  std::optional<Encoder> audioEncoder_;
  int videoStream_ = -1;
  int audioStream_ = -1;
  FramePtr frame_;
  FramePtr filtered_;
  bool videoDone_ = false;
  bool audioDone_ = false;
  double videoEnd_ = 0;          // where the last video frame fed to the filters ends (seconds)
  std::int64_t videoEndTs_ = 0;  // the same in the stream's time base, from the origin
  std::int64_t audioEndTs_ = 0;
  long videoFrames_ = 0;
};

}  // namespace video
