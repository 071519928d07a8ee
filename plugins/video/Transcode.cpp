#include "Transcode.h"

#include "Fields.h"
#include "Input.h"
#include "Probe.h"
#include "Shared.h"
#include "Transcoder.h"

#include <cmath>

namespace video {
namespace {

constexpr std::size_t kMaxRenditions = 4;

bool validName(const std::string& name) {
  if (name.empty() || name.size() > 40) return false;
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  }
  return true;
}

const Preset& presetOf(const Json* value) {
  if (value == nullptr || !value->isString()) {
    unrecoverable("invalid job data: each rendition needs a 'preset' (" + presetNames() + ")");
  }
  const Preset* preset = findPreset(value->asString());
  if (preset == nullptr) {
    unrecoverable("invalid job data: unknown preset '" + value->asString() + "' (expected " +
                  presetNames() + ")");
  }
  return *preset;
}

// A rendition from its preset name, or from an object overriding the job-level defaults.
Rendition renditionOf(const Json& item, const Json& data, const Settings& settings) {
  const Json& fields = item.isObject() ? item : data;
  const Preset& preset = presetOf(item.isObject() ? item.find("preset") : &item);
  Rendition r;
  r.preset = &preset;
  r.name = preset.name;
  if (const Json* name = item.isObject() ? item.find("name") : nullptr) {
    if (!name->isString() || !validName(name->asString())) {
      unrecoverable(
          "invalid job data: a rendition 'name' must be 1 to 40 characters of a-z, "
          "0-9, '_' and '-'");
    }
    r.name = name->asString();
  }
  const Fit jobFit = fitField(data, "fit", Fit::Pad);
  const int jobCrf = intField(data, "crf", settings.crf, 0, 51);
  const int jobRate = intField(data, "max_bitrate_kbps", preset.maxBitrateKbps, 0, 100000);
  r.fit = fitField(fields, "fit", jobFit);
  r.crf = intField(fields, "crf", jobCrf, 0, 51);
  r.maxBitrateKbps = intField(fields, "max_bitrate_kbps", jobRate, 0, 100000);
  return r;
}

Json describeOutput(JobScope& scope, const std::filesystem::path& path, const std::string& key) {
  const Media output(path, key, scope.interrupt());
  Json out;
  out.set("key", key);
  std::error_code ignored;
  out.set("size_bytes", static_cast<double>(std::filesystem::file_size(path, ignored)));
  out.set("duration_s", std::round(output.durationS() * 1000.0) / 1000.0);
  const VideoStream* video = output.video();
  out.set("width", video != nullptr ? video->displayWidth : 0);
  out.set("height", video != nullptr ? video->displayHeight : 0);
  out.set("fps", video != nullptr && video->fps.num > 0 ? Json(av_q2d(video->fps)) : Json());
  out.set("video_codec",
          video != nullptr ? avcodec_get_name(video->stream->codecpar->codec_id) : "none");
  const int audio = output.audioIndex();
  out.set("audio_codec",
          audio >= 0 ? Json(avcodec_get_name(output.format()->streams[audio]->codecpar->codec_id))
                     : Json());
  return out;
}

// "transcoding 'uploads/a.mp4' (1920x1080 h264, 30 s, audio) to vertical, square"
std::string describeJob(const Media& media, const TranscodeRequest& request) {
  const VideoStream& video = *media.video();
  std::string line = "transcoding '" + media.name() + "' (" + std::to_string(video.displayWidth) +
                     "x" + std::to_string(video.displayHeight) + " " +
                     avcodec_get_name(video.stream->codecpar->codec_id);
  if (media.durationS() >= 0) line += ", " + seconds(media.durationS()) + " s";
  line += media.audioIndex() >= 0 ? ", audio) to " : ", no audio) to ";
  for (std::size_t i = 0; i < request.renditions.size(); ++i) {
    line += (i > 0 ? ", " : "") + request.renditions[i].name;
  }
  return line;
}

}  // namespace

TranscodeRequest parseTranscode(const Json& data, const Settings& settings) {
  TranscodeRequest request;
  const Json* renditions = data.find("renditions");
  if (renditions == nullptr || !renditions->isArray() || renditions->asArray().empty()) {
    unrecoverable(
        "invalid job data: 'renditions' must be a non-empty array of preset names "
        "or objects (presets: " +
        presetNames() + ")");
  }
  if (renditions->asArray().size() > kMaxRenditions) {
    unrecoverable("invalid job data: at most " + std::to_string(kMaxRenditions) +
                  " renditions per job");
  }
  for (const Json& item : renditions->asArray()) {
    Rendition r = renditionOf(item, data, settings);
    for (const Rendition& other : request.renditions) {
      if (other.name == r.name) {
        unrecoverable("invalid job data: rendition name '" + r.name +
                      "' appears twice (give one a 'name')");
      }
    }
    request.renditions.push_back(std::move(r));
  }
  request.startS = numberField(data, "start_s", 0, 0, 1e6);
  request.durationS = numberField(data, "duration_s", -1, 0.1, 1e6);
  request.maxFps = intField(data, "max_fps", settings.maxFps, 1, 120);
  return request;
}

Json transcode(JobScope& scope, const Json& data) {
  const TranscodeRequest request = parseTranscode(data, scope.settings());
  const LocalInput input = fetchInput(scope, data);
  const Media media(input.path, input.name, scope.interrupt());
  media.requireVideo();
  media.checkLimits(scope.settings().limits());
  media.checkComplete();
  if (media.durationS() >= 0 && request.startS >= media.durationS()) {
    unrecoverable("invalid job data: 'start_s' " + seconds(request.startS) +
                  " s is not before the end of the input (" + seconds(media.durationS()) + " s)");
  }
  scope.job().log(describeJob(media, request));
  Json renditions = Json(Json::Array{});
  const auto count = static_cast<double>(request.renditions.size());
  for (std::size_t i = 0; i < request.renditions.size(); ++i) {
    const Rendition& rendition = request.renditions[i];
    const double from = 100.0 * static_cast<double>(i) / count;
    const double to = 100.0 * static_cast<double>(i + 1) / count;
    Transcoder transcoder(scope, media, request, rendition, from, from + 0.95 * (to - from));
    transcoder.run();
    const std::string key = scope.outputPrefix() + rendition.name + ".mp4";
    Json described;
    described.set("name", rendition.name);
    described.set("preset", rendition.preset->name);
    const Json output = describeOutput(scope, transcoder.output(), key);
    for (const auto& [field, value] : output.asObject()) described.set(field, value);
    scope.upload(key, transcoder.output(), "video/mp4");
    std::error_code ignored;
    std::filesystem::remove(transcoder.output(), ignored);  // disk use stays one rendition
    renditions.push(std::move(described));
    scope.progress(to);
  }
  Json result;
  result.set("renditions", std::move(renditions));
  result.set("input", summary(media));
  return result;
}

}  // namespace video
