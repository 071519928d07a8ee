// video: probes, transcodes and samples videos with FFmpeg's libraries (see README.md for the
// job data of each job name). Serves the `video-process` queue.
#include "JobScope.h"
#include "Json.h"
#include "Probe.h"
#include "Settings.h"
#include "Shared.h"
#include "Stills.h"
#include "Transcode.h"
#include "VideoSchemas.h"

#include <warren/plugin.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
}

#include <new>

namespace video {
namespace {

// Refuses to start on a node whose FFmpeg lacks an encoder the jobs need.
void checkEncoders() {
  for (const char* name : {"libx264", "aac", "mjpeg", "png"}) {
    if (avcodec_find_encoder_by_name(name) == nullptr) {
      throw std::runtime_error(std::string("this node's FFmpeg has no '") + name + "' encoder");
    }
  }
}

// Validates an explicit `output_prefix` (keys are written under it).
std::string outputPrefixOf(const Json& value) {
  if (!value.isString() || value.asString().empty() || value.asString().front() == '/' ||
      value.asString().find("..") != std::string::npos) {
    unrecoverable(
        "invalid job data: 'output_prefix' must be a non-empty key prefix without a "
        "leading '/' or '..'");
  }
  return value.asString();
}

Json run(std::string_view name, JobScope& scope, const Json& data) {
  if (name == "video:probe") return probe(scope, data);
  if (name == "video:transcode") return transcode(scope, data);
  if (name == "video:thumbnail") return thumbnails(scope, data);
  if (name == "video:frames") return frames(scope, data);
  unrecoverable("unknown job name '" + std::string(name) +
                "' (expected video:probe, video:transcode, video:thumbnail or video:frames)");
}

class VideoPlugin final : public warren::Plugin {
 public:
  explicit VideoPlugin(const warren::Host& host)
      : warren::Plugin(host), settings_(Settings::from(host)) {
    // A process-wide level (an int, nothing that points into this library).
    av_log_set_level(settings_.logLevel);
    checkEncoders();
  }

  warren::Result handle(warren::Job& job) override {
    Json data;
    try {
      data = Json::parse(job.data());
    } catch (const std::invalid_argument& e) {
      return warren::Result::fail(std::string("invalid job data: not JSON: ") + e.what());
    }
    if (!data.isObject()) return warren::Result::fail("invalid job data: expected a JSON object");
    try {
      // Jobs that write outputs need storage: say so before any work is done.
      if (job.name() != "video:probe") host().storage();
      JobScope scope(host(), job, settings_);
      if (const Json* prefix = data.find("output_prefix")) {
        scope.setOutputPrefix(outputPrefixOf(*prefix));
      }
      Json result = run(job.name(), scope, data);
      scope.commit();
      return warren::Result::completed(result.dump());
    } catch (const common::job::Unrecoverable& e) {
      return warren::Result::fail(e.what());
    } catch (const common::job::Retryable& e) {
      return warren::Result::retry(e.what());
    } catch (const warren::ServiceUnavailable& e) {
      return warren::Result::retry(e.what());
    } catch (const std::bad_alloc&) {
      return warren::Result::retry("out of memory");
    }
  }

 private:
  const Settings settings_;
};

const char* const kJobNames[] = {"video:probe", "video:transcode", "video:thumbnail",
                                 "video:frames"};

// The contract of each job (docs/jobs.md; schemas/*.json, embedded at build time).
const warren_job_type kJobTypes[] = {
    warren::jobType("video:probe", "Describes a video: container, duration, size and every stream",
                    schemas::kVideoProbeData, schemas::kVideoProbeResult),
    warren::jobType("video:transcode",
                    "H.264 + AAC MP4 renditions by named preset, uploaded to storage",
                    schemas::kVideoTranscodeData, schemas::kVideoTranscodeResult),
    warren::jobType("video:thumbnail",
                    "Still pictures at chosen or evenly spaced times (JPEG or PNG)",
                    schemas::kVideoThumbnailData, schemas::kVideoThumbnailResult),
    warren::jobType("video:frames", "Evenly spaced, downscaled frames for content analysis",
                    schemas::kVideoFramesData, schemas::kVideoFramesResult),
};

// Peak memory of one job, measured (README.md, "Memory"): the worst case within the default
// limits is a 3840x3840 input to the vertical preset with threads=8, 415 MiB.
constexpr std::uint64_t kMemoryPerJob = 448ull << 20;

}  // namespace
}  // namespace video

WARREN_PLUGIN_EX(video::VideoPlugin, "video", "1.1.0", video::kJobNames, WARREN_RESOURCE_CPU,
                 video::kMemoryPerJob, 1, video::kConfigKeys, video::kJobTypes, nullptr)
