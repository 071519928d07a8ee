#include "Stills.h"

#include "Fields.h"
#include "Input.h"
#include "Probe.h"
#include "Shared.h"

#include "media/Grabber.h"
#include "media/Still.h"

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
  StillFormat format;
  const char* stem = "thumb";
};

StillSize sizeFor(const StillRequest& request, Shape shape) {
  if (request.width > 0 && request.height > 0) {
    return StillSize{request.width, request.height, true};
  }
  if (request.width > 0) {
    return StillSize{request.width, side(request.width * shape.height / shape.width), false};
  }
  if (request.height > 0) {
    return StillSize{side(request.height * shape.width / shape.height), request.height, false};
  }
  return boundedSize(shape, request.maxSide);
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
  return evenlySpaced(duration, request.count);
}

std::string keyFor(const JobScope& scope, const StillRequest& request, std::size_t index) {
  char number[32];
  std::snprintf(number, sizeof number, "%03zu", index + 1);
  return scope.outputPrefix() + request.stem + "-" + number +
         (request.format.png ? ".png" : ".jpg");
}

Json extract(JobScope& scope, const Json& data, const StillRequest& request, const char* list) {
  const LocalInput input = fetchInput(scope, data);
  const Media media(input.path, input.name, scope.interrupt());
  const VideoStream& video = media.requireVideo();
  media.checkLimits(scope.settings().limits());
  media.checkComplete();
  const std::vector<double> times = timesFor(request, media);
  Grabber grabber(media);
  FramePtr picture = newFrame();
  Json stills = Json(Json::Array{});
  for (std::size_t i = 0; i < times.size(); ++i) {
    grabber.grab(times[i], picture.get());
    const StillSize size =
        sizeFor(request, displayShape(picture->width, picture->height, picture->sample_aspect_ratio,
                                      video.rotation));
    const std::string key = keyFor(scope, request, i);
    const std::filesystem::path path = scope.dir() / std::filesystem::path(key).filename();
    writeStill(video, picture.get(), size, request.format, path);
    Json still;
    still.set("index", static_cast<double>(i));
    still.set("key", key);
    still.set("time_s", std::round(times[i] * 1000.0) / 1000.0);
    still.set("width", size.width);
    still.set("height", size.height);
    std::error_code ignored;
    still.set("size_bytes", static_cast<double>(std::filesystem::file_size(path, ignored)));
    scope.upload(key, path, request.format.png ? "image/png" : "image/jpeg");
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
  request.format.png = choiceField(data, "format", "jpeg", {"jpeg", "png"}) == "png";
  request.format.quality = intField(data, "quality", 3, 2, 31);
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
  request.format.fit = fitField(data, "fit", Fit::Pad);
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
