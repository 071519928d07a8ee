#include "Local.h"

#include "text/Analyze.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace analyze {

const char* const kLocalModel = "warren-local-1";

namespace {

using common::Json;

double rounded(double value) {
  return std::round(value * 1000.0) / 1000.0;
}

// "pt-br" -> "pt": the text analysis takes ISO 639-1 hints.
std::string baseLanguage(const std::string& tag) {
  return tag.substr(0, tag.find('-'));
}

Json readabilityJson(const common::text::Readability& r) {
  return {{"score", r.scale == "none" ? Json(nullptr) : Json(r.score)},
          {"scale", r.scale},
          {"level", r.level}};
}

Json unknownReadability() {
  return {{"score", nullptr}, {"scale", "none"}, {"level", "unknown"}};
}

// The colour names of a media object, most common first, each once.
std::vector<std::string> colourNames(const Json& media) {
  std::vector<std::string> names;
  for (const Json& colour : media.value("colours", Json::array())) {
    const std::string name = colour.value("name", "");
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

std::string describeMedia(const Json& media) {
  const std::string type = media.value("type", "");
  const std::string size =
      std::to_string(media.value("width", 0)) + "\u00d7" + std::to_string(media.value("height", 0));
  std::string sentence;
  if (type == "image") {
    sentence = "A " + size + " " + upper(media.value("format", "")) + " image";
  } else {
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.0f s", media.value("durationS", 0.0));
    sentence = std::string("A ") + duration + " " + size + " video (" + media.value("codec", "") +
               (media.value("hasAudio", false) ? ", with sound)" : ", silent)");
  }
  const std::vector<std::string> names = colourNames(media);
  if (!names.empty()) {
    const Json& first = media["colours"][0];
    sentence += ", mostly " + names[0] + " (" + first.value("hex", "") + ")";
    for (std::size_t i = 1; i < names.size() && i < 3; ++i) {
      sentence += (i == 1 ? ", with " : " and ") + names[i];
    }
  }
  return sentence + ".";
}

Json measuredText(const std::string& text, const std::string& languageHint) {
  if (text.empty()) return {{"readability", unknownReadability()}};
  common::text::AnalyzeOptions options;
  options.languageHint = baseLanguage(languageHint);
  const common::text::TextAnalysis a = common::text::analyze(text, options);
  return {
      {"readability", readabilityJson(a.readability)},
      {"counts", {{"characters", a.characters}, {"words", a.words}, {"sentences", a.sentences}}}};
}

Json analyzeLocally(const Material& material, const Json& media) {
  Json out;
  if (material.text.empty()) {
    out = {{"summary", media.is_null() ? std::string() : describeMedia(media)},
           {"keyPoints", Json::array()},
           {"topics", Json::array()},
           {"keywords", Json::array()},
           {"entities", Json::array()},
           {"tone", "unknown"},
           {"sentiment", {{"label", "neutral"}, {"score", 0.0}}},
           {"language", material.language.empty() ? "und" : baseLanguage(material.language)},
           {"readability", unknownReadability()},
           {"audience", "unknown"},
           {"hashtags", Json::array()},
           {"contentWarnings", Json::array()}};
    return out;
  }
  common::text::AnalyzeOptions options;
  options.languageHint = baseLanguage(material.language);
  const common::text::TextAnalysis a = common::text::analyze(material.text, options);
  std::string summary = a.summary;
  if (!media.is_null()) summary += (summary.empty() ? "" : " ") + describeMedia(media);
  Json keywords = Json::array();
  for (const common::text::Keyword& k : a.keywords) keywords.push_back(k.text);
  Json entities = Json::array();
  for (const common::text::Entity& e : a.entities) {
    entities.push_back({{"text", e.text}, {"type", e.type}});
  }
  out = {
      {"summary", summary},
      {"keyPoints", a.keyPoints},
      {"topics", a.topics},
      {"keywords", keywords},
      {"entities", entities},
      {"tone", a.tone},
      {"sentiment", {{"label", a.sentiment.label}, {"score", rounded(a.sentiment.score)}}},
      {"language", a.language},
      {"readability", readabilityJson(a.readability)},
      {"audience", a.audience},
      {"hashtags", a.hashtags},
      {"contentWarnings", a.contentWarnings},
      {"counts", {{"characters", a.characters}, {"words", a.words}, {"sentences", a.sentences}}}};
  return out;
}

}  // namespace analyze
