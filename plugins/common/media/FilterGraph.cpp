#include "media/FilterGraph.h"

#include "media/Errors.h"

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

namespace common::media {
namespace {

// Graph set-up failures are our own bug or a frame shape FFmpeg cannot filter: either way
// retrying the same input cannot help.
[[noreturn]] void graphFailed(const std::string& what, int rc) {
  unrecoverable("cannot set up the filter graph (" + what + "): " + avError(rc));
}

std::string ratio(AVRational value) {
  return std::to_string(value.num) + "/" + std::to_string(value.den);
}

std::string layoutOf(const AVFrame& frame) {
  AVChannelLayout layout{};
  if (frame.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.ch_layout.nb_channels <= 0) {
    av_channel_layout_default(&layout,
                              frame.ch_layout.nb_channels > 0 ? frame.ch_layout.nb_channels : 2);
  } else {
    av_channel_layout_copy(&layout, &frame.ch_layout);
  }
  char text[128] = {};
  av_channel_layout_describe(&layout, text, sizeof text);
  av_channel_layout_uninit(&layout);
  return text;
}

}  // namespace

FilterGraph FilterGraph::video(const AVFrame& frame, AVRational timeBase,
                               const std::string& description, int outputs, int threads) {
  FilterGraph graph;
  graph.graph_.reset(avfilter_graph_alloc());
  if (!graph.graph_) throw std::bad_alloc();
  graph.graph_->nb_threads = threads;
  const AVRational sar =
      frame.sample_aspect_ratio.num > 0 ? frame.sample_aspect_ratio : AVRational{1, 1};
  const std::string args = "video_size=" + std::to_string(frame.width) + "x" +
                           std::to_string(frame.height) +
                           ":pix_fmt=" + std::to_string(frame.format) +
                           ":time_base=" + ratio(timeBase) + ":pixel_aspect=" + ratio(sar);
  graph.build(avfilter_get_by_name("buffer"), args, "buffersink", description, outputs);
  return graph;
}

FilterGraph FilterGraph::audio(const AVFrame& frame, AVRational timeBase,
                               const std::string& description, unsigned frameSize) {
  FilterGraph graph;
  graph.graph_.reset(avfilter_graph_alloc());
  if (!graph.graph_) throw std::bad_alloc();
  graph.graph_->nb_threads = 1;
  const char* format = av_get_sample_fmt_name(static_cast<AVSampleFormat>(frame.format));
  const std::string args =
      "time_base=" + ratio(timeBase) + ":sample_rate=" + std::to_string(frame.sample_rate) +
      ":sample_fmt=" + (format != nullptr ? format : "none") + ":channel_layout=" + layoutOf(frame);
  graph.build(avfilter_get_by_name("abuffer"), args, "abuffersink", description, 1);
  if (frameSize > 0) av_buffersink_set_frame_size(graph.sinks_[0], frameSize);
  return graph;
}

void FilterGraph::build(const AVFilter* source, const std::string& sourceArgs, const char* sink,
                        const std::string& description, int outputs) {
  AVFilterGraph* graph = graph_.get();
  int rc = avfilter_graph_create_filter(&source_, source, "in", sourceArgs.c_str(), nullptr, graph);
  if (rc < 0) graphFailed("source " + sourceArgs, rc);
  InOutPtr open_outputs(avfilter_inout_alloc());
  if (!open_outputs) throw std::bad_alloc();
  open_outputs->name = av_strdup("in");
  open_outputs->filter_ctx = source_;
  InOutPtr open_inputs;
  for (int i = outputs - 1; i >= 0; --i) {
    const std::string name = "out" + std::to_string(i);
    AVFilterContext* context = nullptr;
    rc = avfilter_graph_create_filter(&context, avfilter_get_by_name(sink), name.c_str(), nullptr,
                                      nullptr, graph);
    if (rc < 0) graphFailed("sink", rc);
    sinks_.insert(sinks_.begin(), context);
    AVFilterInOut* entry = avfilter_inout_alloc();
    if (entry == nullptr) throw std::bad_alloc();
    entry->name = av_strdup(name.c_str());
    entry->filter_ctx = context;
    entry->next = open_inputs.release();
    open_inputs.reset(entry);
  }
  AVFilterInOut* inputs = open_inputs.release();
  AVFilterInOut* outputsList = open_outputs.release();
  rc = avfilter_graph_parse_ptr(graph, description.c_str(), &inputs, &outputsList, nullptr);
  avfilter_inout_free(&inputs);
  avfilter_inout_free(&outputsList);
  if (rc < 0) graphFailed(description, rc);
  rc = avfilter_graph_config(graph, nullptr);
  if (rc < 0) graphFailed(description, rc);
}

void FilterGraph::push(AVFrame* frame) {
  const int rc = av_buffersrc_add_frame_flags(source_, frame, 0);
  if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
  if (rc < 0 && rc != AVERROR_EOF) unrecoverable("filtering failed: " + avError(rc));
}

void FilterGraph::close(std::int64_t pts) {
  const int rc = av_buffersrc_close(source_, pts, AV_BUFFERSRC_FLAG_PUSH);
  if (rc < 0 && rc != AVERROR_EOF) unrecoverable("filtering failed: " + avError(rc));
}

bool FilterGraph::pull(int index, AVFrame* frame) {
  const int rc = av_buffersink_get_frame(sinks_[static_cast<std::size_t>(index)], frame);
  if (rc >= 0) return true;
  if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return false;
  if (rc == AVERROR(ENOMEM)) throw std::bad_alloc();
  unrecoverable("filtering failed: " + avError(rc));
}

AVRational FilterGraph::timeBase(int index) const {
  return av_buffersink_get_time_base(sinks_[static_cast<std::size_t>(index)]);
}

}  // namespace common::media
