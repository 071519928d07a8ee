#include "Stills.h"

#include "Decoder.h"
#include "Encoder.h"
#include "Errors.h"
#include "Fields.h"
#include "FilterGraph.h"
#include "Geometry.h"
#include "Input.h"
#include "Media.h"
#include "Probe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>

namespace video {
namespace {

struct StillRequest {
  std::vector<double> times;
  int count = 0;  // evenly spaced, when times is empty
  int width = 0;  // 0: from the other side, or the input's
  int height = 0;
  int maxSide = 0;  // > 0: longest side at most this (frames)
  Fit fit = Fit::Pad;
  bool png = false;
  int quality = 3;
  const char* stem = "thumb";
};

struct Size {
  int width;
  int height;
  bool exact;  // both sides were asked for: fit the picture into them
};

// The picture shown at a time: seek to the key frame before it, decode up to it.
class Grabber {
 public:
  Grabber(JobScope& scope, const Media& media)
      : scope_(scope),
        media_(media),
        video_(media.requireVideo()),
        decoder_(*video_.stream, 1, media.name()),
        packet_(newPacket()),
        next_(newFrame()) {
    for (unsigned i = 0; i < media.format()->nb_streams; ++i) {
      if (static_cast<int>(i) != video_.index) media.format()->streams[i]->discard = AVDISCARD_ALL;
    }
  }

  // Fills `best` with the picture shown at `t` seconds (the last frame starting at or before
  // it; the last frame of the video when `t` is at its end).
  void grab(double t, AVFrame* best) {
    const AVRational tb = video_.stream->time_base;
    const std::int64_t target = media_.origin(video_.index) +
                                av_rescale_q(std::llround(t * AV_TIME_BASE), AV_TIME_BASE_Q, tb);
    const int rc = avformat_seek_file(media_.format(), video_.index,
                                      std::numeric_limits<std::int64_t>::min(), target, target, 0);
    if (rc == AVERROR_EXIT) cancelled();
    if (rc < 0)
      unrecoverable("cannot seek to " + seconds(t) + " s in '" + media_.name() +
                    "': " + avError(rc));
    decoder_.flush();
    av_frame_unref(best);
    const std::int64_t slack = av_rescale_q(1000, AVRational{1, 1000000}, tb);  // 1 ms
    bool have = false;
    bool done = false;
    while (!done) {
      scope_.checkCancelled();
      const int read = av_read_frame(media_.format(), packet_.get());
      if (read == AVERROR_EXIT) cancelled();
      const bool end = read < 0;
      if (!end && packet_->stream_index != video_.index) {
        av_packet_unref(packet_.get());
        continue;
      }
      decoder_.send(end ? nullptr : packet_.get());
      av_packet_unref(packet_.get());
      while (!done && decoder_.receive(next_.get())) {
        const std::int64_t ts = next_->best_effort_timestamp;
        if (have && ts != AV_NOPTS_VALUE && ts > target + slack) {
          done = true;
        } else {
          av_frame_unref(best);
          av_frame_move_ref(best, next_.get());
          have = true;
          done = ts != AV_NOPTS_VALUE && ts > target + slack;
        }
        av_frame_unref(next_.get());
      }
      if (end) break;
    }
    if (!have) {
      unrecoverable("input is corrupt: no video frame could be decoded at " + seconds(t) +
                    " s in '" + media_.name() + "'");
    }
  }

 private:
  JobScope& scope_;
  const Media& media_;
  const VideoStream& video_;
  Decoder decoder_;
  PacketPtr packet_;
  FramePtr next_;
};

int atLeastOne(double value) {
  return std::max(1, static_cast<int>(std::lround(value)));
}

Size sizeFor(const StillRequest& request, Shape shape) {
  if (request.width > 0 && request.height > 0) return Size{request.width, request.height, true};
  if (request.width > 0) {
    return Size{request.width, atLeastOne(request.width * shape.height / shape.width), false};
  }
  if (request.height > 0) {
    return Size{atLeastOne(request.height * shape.width / shape.height), request.height, false};
  }
  double scale = 1.0;
  if (request.maxSide > 0) {
    scale = std::min(1.0, request.maxSide / std::max(shape.width, shape.height));
  }
  return Size{atLeastOne(shape.width * scale), atLeastOne(shape.height * scale), false};
}

// Encodes one picture as JPEG or PNG into `path`.
void writeStill(const StillRequest& request, const VideoStream& video, AVFrame* picture,
                const Size& size, const std::filesystem::path& path) {
  const Shape shape =
      displayShape(picture->width, picture->height, picture->sample_aspect_ratio, video.rotation);
  std::string description = "[in]";
  const std::string rotation = rotationFilters(video.rotation);
  if (!rotation.empty()) description += rotation + ",";
  description += size.exact ? fitFilters(shape, size.width, size.height, request.fit)
                            : scaleFilters(size.width, size.height);
  description += request.png ? ",format=rgb24[out0]" : ",format=yuvj420p[out0]";
  FilterGraph graph = FilterGraph::video(*picture, video.stream->time_base, description, 1, 1);
  graph.push(picture);
  graph.push(nullptr);
  FramePtr scaled = newFrame();
  if (!graph.pull(0, scaled.get())) unrecoverable("scaling a still picture produced nothing");
  scaled->pts = 0;
  Encoder encoder = Encoder::still(request.png, size.width, size.height, request.quality);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const auto write = [&](AVPacket* packet) {
    out.write(reinterpret_cast<const char*>(packet->data), packet->size);
  };
  encoder.encode(scaled.get(), write);
  encoder.encode(nullptr, write);
  out.close();
  if (!out) retryable("cannot write '" + path.filename().string() + "' in the work directory");
}

std::vector<double> timesFor(const StillRequest& request, const Media& media) {
  const double duration = media.durationS();
  if (!request.times.empty()) {
    for (const double t : request.times) {
      if (duration >= 0 && t > duration) {
        unrecoverable("invalid job data: time " + seconds(t) +
                      " s is beyond the end of the "
                      "input (" +
                      seconds(duration) + " s)");
      }
    }
    return request.times;
  }
  if (duration < 0) {
    unrecoverable("input has no known duration: give 'times_s' instead of 'count'");
  }
  std::vector<double> times;
  for (int i = 0; i < request.count; ++i) times.push_back(duration * (i + 0.5) / request.count);
  return times;
}

std::string keyFor(const JobScope& scope, const StillRequest& request, std::size_t index) {
  char number[32];
  std::snprintf(number, sizeof number, "%03zu", index + 1);
  return scope.outputPrefix() + request.stem + "-" + number + (request.png ? ".png" : ".jpg");
}

Json extract(JobScope& scope, const Json& data, const StillRequest& request, const char* list) {
  const LocalInput input = fetchInput(scope, data);
  const Media media(input.path, input.name, scope.interrupt());
  const VideoStream& video = media.requireVideo();
  media.checkLimits(scope.settings());
  media.checkComplete();
  const std::vector<double> times = timesFor(request, media);
  Grabber grabber(scope, media);
  FramePtr picture = newFrame();
  Json stills = Json(Json::Array{});
  for (std::size_t i = 0; i < times.size(); ++i) {
    grabber.grab(times[i], picture.get());
    const Size size = sizeFor(request, displayShape(picture->width, picture->height,
                                                    picture->sample_aspect_ratio, video.rotation));
    const std::string key = keyFor(scope, request, i);
    const std::filesystem::path path = scope.dir() / std::filesystem::path(key).filename();
    writeStill(request, video, picture.get(), size, path);
    Json still;
    still.set("index", static_cast<double>(i));
    still.set("key", key);
    still.set("time_s", std::round(times[i] * 1000.0) / 1000.0);
    still.set("width", size.width);
    still.set("height", size.height);
    std::error_code ignored;
    still.set("size_bytes", static_cast<double>(std::filesystem::file_size(path, ignored)));
    scope.upload(key, path, request.png ? "image/png" : "image/jpeg");
    std::filesystem::remove(path, ignored);
    stills.push(std::move(still));
    scope.progress(100.0 * static_cast<double>(i + 1) / static_cast<double>(times.size()));
  }
  Json result;
  result.set(list, std::move(stills));
  result.set("input", summary(media));
  return result;
}

void readCommon(StillRequest& request, const Json& data) {
  request.png = choiceField(data, "format", "jpeg", {"jpeg", "png"}) == "png";
  request.quality = intField(data, "quality", 3, 2, 31);
}

}  // namespace

Json thumbnails(JobScope& scope, const Json& data) {
  const int maxFrames = scope.settings().maxFrames;
  StillRequest request;
  readCommon(request, data);
  if (const Json* times = data.find("times_s"); times != nullptr && !times->isNull()) {
    const bool valid = times->isArray() && !times->asArray().empty() &&
                       times->asArray().size() <= static_cast<std::size_t>(maxFrames);
    if (valid) {
      for (const Json& t : times->asArray()) {
        if (!t.isNumber() || t.asNumber() < 0) {
          unrecoverable("invalid job data: 'times_s' must hold numbers of seconds, 0 or more");
        }
        request.times.push_back(t.asNumber());
      }
    } else {
      unrecoverable("invalid job data: 'times_s' must be an array of 1 to " +
                    std::to_string(maxFrames) + " times in seconds");
    }
  } else {
    request.count = intField(data, "count", 1, 1, maxFrames);
  }
  request.width = intField(data, "width", 0, 16, 7680);
  request.height = intField(data, "height", 0, 16, 7680);
  request.fit = fitField(data, "fit", Fit::Pad);
  request.stem = "thumb";
  return extract(scope, data, request, "thumbnails");
}

Json frames(JobScope& scope, const Json& data) {
  StillRequest request;
  readCommon(request, data);
  request.count = intField(data, "count", 8, 1, scope.settings().maxFrames);
  request.maxSide = intField(data, "max_side", 512, 16, 7680);
  request.stem = "frame";
  return extract(scope, data, request, "frames");
}

}  // namespace video
