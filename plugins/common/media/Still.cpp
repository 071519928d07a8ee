#include "media/Still.h"

#include "media/Encoder.h"
#include "media/Errors.h"
#include "media/FilterGraph.h"

#include <algorithm>
#include <cmath>
#include <fstream>

namespace common::media {

int side(double value) {
  return std::max(1, static_cast<int>(std::lround(value)));
}

StillSize boundedSize(Shape shape, int maxSide) {
  double scale = 1.0;
  if (maxSide > 0) scale = std::min(1.0, maxSide / std::max(shape.width, shape.height));
  return StillSize{side(shape.width * scale), side(shape.height * scale), false};
}

void writeStill(const VideoStream& video, AVFrame* picture, const StillSize& size,
                const StillFormat& format, const std::filesystem::path& path) {
  const Shape shape =
      displayShape(picture->width, picture->height, picture->sample_aspect_ratio, video.rotation);
  std::string description = "[in]";
  const std::string rotation = rotationFilters(video.rotation);
  if (!rotation.empty()) description += rotation + ",";
  description += size.exact ? fitFilters(shape, size.width, size.height, format.fit)
                            : scaleFilters(size.width, size.height);
  description += format.png ? ",format=rgb24[out0]" : ",format=yuvj420p[out0]";
  FilterGraph graph = FilterGraph::video(*picture, video.stream->time_base, description, 1, 1);
  graph.push(picture);
  graph.push(nullptr);
  FramePtr scaled = newFrame();
  if (!graph.pull(0, scaled.get())) unrecoverable("scaling a still picture produced nothing");
  scaled->pts = 0;
  Encoder encoder = Encoder::still(format.png, size.width, size.height, format.quality);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const auto write = [&](AVPacket* packet) {
    out.write(reinterpret_cast<const char*>(packet->data), packet->size);
  };
  encoder.encode(scaled.get(), write);
  encoder.encode(nullptr, write);
  out.close();
  if (!out) retryable("cannot write '" + path.filename().string() + "' in the work directory");
}

}  // namespace common::media
