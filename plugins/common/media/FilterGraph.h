// An avfilter graph with one buffer source ("[in]") and N buffer sinks ("[out0]".."[outN-1]"),
// built from a filter description (e.g. "[in]fps=30,split=2[a][b];[a]scale=...[out0];...").
#pragma once

#include "media/Av.h"

#include <string>
#include <vector>

namespace common::media {

class FilterGraph {
 public:
  // Video source shaped like `frame` (size, pixel format, sample aspect), in `timeBase`.
  static FilterGraph video(const AVFrame& frame, AVRational timeBase,
                           const std::string& description, int outputs, int threads);
  // Audio source shaped like `frame` (rate, format, layout), in `timeBase`. `frameSize` > 0
  // makes the sinks return frames of exactly that many samples (the last one may be shorter).
  static FilterGraph audio(const AVFrame& frame, AVRational timeBase,
                           const std::string& description, unsigned frameSize);

  // Feeds a frame (its reference is taken over); nullptr ends the input.
  void push(AVFrame* frame);
  // Ends the input at `pts` (source time base): where the last frame stops showing, so that
  // filters like fps know how long the last frame lasts.
  void close(std::int64_t pts);
  // The next frame of output `index`; false when none is ready yet or the graph is finished.
  bool pull(int index, AVFrame* frame);
  AVRational timeBase(int index) const;

 private:
  FilterGraph() = default;
  void build(const AVFilter* source, const std::string& sourceArgs, const char* sink,
             const std::string& description, int outputs);

  GraphPtr graph_;
  AVFilterContext* source_ = nullptr;
  std::vector<AVFilterContext*> sinks_;
};

}  // namespace common::media
