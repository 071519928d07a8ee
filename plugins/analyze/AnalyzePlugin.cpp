// analyze: analyses social media material (text, a web page, an image, a video) with the AI
// provider the host serves on the queue, or offline with the local method when there is none.
// Serves the `content-analyze` queue; see README.md and docs/jobs.md for the contract.
#include "AnalyzeSchemas.h"
#include "JobFiles.h"
#include "Local.h"
#include "Material.h"
#include "MediaFacts.h"
#include "Provider.h"
#include "Request.h"
#include "Settings.h"
#include "Store.h"
#include "Utf8.h"

#include "ai/Client.h"
#include "db/Db.h"
#include "job/Failure.h"
#include "json/Json.h"
#include "web/Html.h"

#include <warren/plugin.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
}

namespace analyze {
namespace {

using common::Json;

// Checks what the offline method needs from this node's FFmpeg.
void checkCodecs() {
  for (const char* name : {"mjpeg", "png", "gif", "webp", "h264"}) {
    if (avcodec_find_decoder_by_name(name) == nullptr) {
      throw std::runtime_error(std::string("this node's FFmpeg has no '") + name + "' decoder");
    }
  }
  if (avcodec_find_encoder_by_name("mjpeg") == nullptr) {
    throw std::runtime_error("this node's FFmpeg has no 'mjpeg' encoder");
  }
}

// Media facts, and a video's frames for the provider.
struct MediaPart {
  Json facts;
  std::vector<Frame> frames;
  double durationS = 0;
};

MediaPart mediaOf(const Request& request, const Material& material, const Settings& settings,
                  const JobFiles& files, bool provider) {
  MediaPart part;
  if (request.kind == Kind::image) {
    part.facts = imageFacts(readImageMaterial(material, *request.key, settings, files));
  } else if (request.kind == Kind::video) {
    VideoSample sample = sampleVideo(material, *request.key, settings, files, provider);
    part.facts = std::move(sample.facts);
    part.frames = std::move(sample.frames);
    part.durationS = part.facts.value("durationS", 0.0);
  }
  return part;
}

// `total`: the material's characters; `analysed`: how many of them the method read.
Json sourceOf(const Request& request, const Material& material, std::size_t total,
              std::size_t analysed) {
  Json source = {{"kind", kindName(request.kind)}};
  if (request.key) source["key"] = *request.key;
  if (!material.url.empty()) source["url"] = material.url;
  if (!material.title.empty()) source["title"] = material.title;
  if (total > 0) {
    source["characters"] = total;
    source["analysedCharacters"] = analysed;
  }
  return source;
}

Json usageOf(const common::ai::Usage& usage) {
  return {
      {"inputTokens", usage.input}, {"outputTokens", usage.output}, {"cachedTokens", usage.cached}};
}

// The provider's analysis with what is measured (readability, counts, media facts) beside it.
Json providerResult(const ProviderAnalysis& analysis, const Material& material, MediaPart& media) {
  Json result = analysis.reply;
  result.update(measuredText(material.text, material.language));
  if (!media.facts.is_null()) {
    media.facts["description"] = result["description"];
    result.erase("description");
    result["media"] = media.facts;
  }
  return result;
}

Json localResult(const Material& material, const MediaPart& media) {
  Json result = analyzeLocally(material, media.facts);
  if (!media.facts.is_null()) result["media"] = media.facts;
  return result;
}

class AnalyzePlugin final : public warren::Plugin {
 public:
  explicit AnalyzePlugin(const warren::Host& host)
      : warren::Plugin(host), settings_(Settings::from(host)), ai_(host) {
    av_log_set_level(AV_LOG_QUIET);
    checkCodecs();
    common::web::initHtmlParser();
  }

  warren::Result handle(warren::Job& job) override {
    return common::job::run(job, [&] { return analyze(job); });
  }

 private:
  warren::Result analyze(warren::Job& job) const {
    const Request request = parseRequest(common::parseJson(job.data(), "job data"));
    JobFiles files(host(), job, settings_.tempDir);
    Material material = loadMaterial(request, settings_, files, host(), job);
    // Past max_analysed_chars a text adds cost, not meaning: both methods read its beginning.
    const std::size_t total = characters(material.text);
    material.text = firstCharacters(material.text, settings_.maxAnalysedChars);
    job.progress(20);
    const bool provider = ai_.available();
    MediaPart media = mediaOf(request, material, settings_, files, provider);
    job.progress(50);
    Json result;
    if (provider) {
      const ProviderAnalysis analysis = analyzeWithProvider(
          ai_, job, ProviderInput{request, material, media.frames, media.durationS}, settings_);
      result = providerResult(analysis, material, media);
      result["source"] = sourceOf(request, material, total, analysis.analysedCharacters);
      result["provider"] = analysis.call.provider;
      result["model"] = analysis.call.model;
      result["usage"] = usageOf(analysis.call.usage);
    } else {
      result = localResult(material, media);
      result["source"] = sourceOf(request, material, total, characters(material.text));
      result["provider"] = "local";
      result["model"] = kLocalModel;
      result["usage"] = usageOf({});
    }
    job.progress(90);
    if (request.store) {
      result["id"] = storeAnalysis(common::db::Db(host()), job, request, result);
    }
    return warren::Result::completed(common::dumpJson(result));
  }

  const Settings settings_;
  const common::ai::Client ai_;
};

const char* const kJobNames[] = {"content:analyze"};

const warren_job_type kJobTypes[] = {
    warren::jobType(
        "content:analyze",
        "Analyses text, a web page, an image or a video: summary, key points, topics, "
        "keywords, entities, tone, sentiment, language, readability, audience, hashtags",
        schemas::kContentAnalyzeData, schemas::kContentAnalyzeResult),
};

// Peak memory of one job (README.md, "Memory"): the worst case within the default limits.
constexpr std::uint64_t kMemoryPerJob = 160ull << 20;

}  // namespace
}  // namespace analyze

WARREN_PLUGIN_EX(analyze::AnalyzePlugin, "analyze", "1.0.0", analyze::kJobNames, WARREN_RESOURCE_IO,
                 analyze::kMemoryPerJob, 8, analyze::kConfigKeys, analyze::kJobTypes,
                 analyze::kMigrations)
