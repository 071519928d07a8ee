#include "Provider.h"

#include "AnalyzeSchemas.h"
#include "Checks.h"
#include "Utf8.h"

#include <cmath>
#include <cstdio>

namespace analyze {
namespace {

using common::Json;

const char* const kTask =
    "You analyse material for a social media team. Answer with one JSON object as the schema "
    "describes: summary (at most three sentences, in the material's language), keyPoints (the "
    "main points, one sentence each), topics (short noun phrases), keywords, entities named in "
    "the material with their type, tone, sentiment (label, and score from -1 to 1), language "
    "(the ISO 639-1 code of the material's language), audience (who the material is for, a "
    "short phrase), hashtags ('#' then letters, digits or '_', no spaces) and contentWarnings "
    "(only those that apply).";
const char* const kImageTask =
    " The material includes an image: add description, what is seen in it in plain words "
    "(people by what they do, never by who they might be), and use it in the analysis.";
const char* const kVideoTask =
    " The material includes frames sampled in order from one video, without its sound: add "
    "description, what is seen across the frames in plain words (people by what they do, never "
    "by who they might be), and use it in the analysis.";

// The reply's schema: schemas/ai-analysis.json, with "description" for media.
Json replySchema(bool media) {
  Json schema = Json::parse(schemas::kAiAnalysis);
  schema.erase("$schema");
  if (media) {
    schema["properties"]["description"] = {{"type", "string"},
                                           {"description", "what is seen, in plain words"}};
    schema["required"].push_back("description");
  }
  return schema;
}

std::string frameTimes(const std::vector<Frame>& frames) {
  std::string list;
  for (const Frame& frame : frames) {
    char time[32];
    std::snprintf(time, sizeof time, "%.1f s", frame.timeS);
    list += (list.empty() ? "" : ", ") + std::string(time);
  }
  return list;
}

}  // namespace

common::ai::Completion buildCompletion(const ProviderInput& input, const Settings& settings,
                                       std::size_t* analysedCharacters) {
  const Kind kind = input.request.kind;
  const bool media = kind == Kind::image || kind == Kind::video;
  std::string task = kTask;
  if (kind == Kind::image) task += kImageTask;
  if (kind == Kind::video) task += kVideoTask;
  common::ai::Completion completion(task);
  std::string instruction = "Analyse the material.";
  if (!input.material.language.empty()) {
    instruction += " It is expected to be in the language '" + input.material.language +
                   "' (a hint: report the language it is really in).";
  }
  if (kind == Kind::video) {
    instruction += " The " + std::to_string(input.frames.size()) + " images are frames at " +
                   frameTimes(input.frames) + " of a video of " +
                   std::to_string(static_cast<int>(std::lround(input.durationS))) + " s.";
  }
  completion.instruction(instruction);
  if (!input.material.title.empty()) completion.material("title", input.material.title);
  if (!input.material.text.empty()) {
    const char* what = media ? "caption" : "text";
    const std::string sent = firstCharacters(input.material.text, settings.maxPromptChars);
    if (analysedCharacters != nullptr) *analysedCharacters = characters(sent);
    completion.material(what, sent);
  } else if (analysedCharacters != nullptr) {
    *analysedCharacters = 0;
  }
  if (kind == Kind::image) completion.imageKey(*input.request.key);
  for (const Frame& frame : input.frames) completion.imageFile(frame.file);
  completion.schema(replySchema(media), "analysis")
      .maxTokens(settings.maxTokens)
      .temperature(settings.temperature);
  if (!settings.model.empty()) completion.model(settings.model);
  return completion;
}

ProviderAnalysis analyzeWithProvider(const common::ai::Client& client, const warren::Job& job,
                                     const ProviderInput& input, const Settings& settings) {
  ProviderAnalysis analysis;
  const common::ai::Completion completion =
      buildCompletion(input, settings, &analysis.analysedCharacters);
  analysis.call = client.complete(job, completion);
  normalizeHashtags(analysis.call.json);
  const Kind kind = input.request.kind;
  checkReply(analysis.call.json,
             ReplyRules{kind == Kind::image || kind == Kind::video, settings.bannedTerms});
  analysis.reply = analysis.call.json;
  return analysis;
}

}  // namespace analyze
