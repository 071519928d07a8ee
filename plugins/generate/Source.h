// What the posts are written from: a content:analyze result, given in the job or read from the
// analyze plugin's content_analyses table (by row id, or the newest row of a material).
#pragma once

#include "db/Db.h"
#include "json/Json.h"

#include <warren/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace generate {

struct Source {
  common::Json analysis;  // the analysis as given or stored
  std::string summary;
  std::vector<std::string> keyPoints, topics, keywords, hashtags;
  std::vector<std::string> mentions;  // entities of type mention ("@name")
  std::string language;               // ISO 639-1 or "" / "und"
  std::string tone, audience;
  std::string kind;  // source.kind: text, url, image, video ("" when unknown)
  std::string key;   // source.key: the analysed file in object storage
  std::string url;   // source.url: the analysed page (after redirects)
  std::string title;
  std::string mediaType;         // media.type: image or video ("" without media)
  std::string mediaDescription;  // media.description (provider analyses)
  std::optional<std::string> analysisId;
};

// The fields the generator reads, from a content:analyze result (unknown fields are ignored;
// a field of the wrong type is taken as absent). Text is repaired to valid UTF-8, NFC.
Source sourceFromAnalysis(const common::Json& analysis);

// The stored analysis `analysisId`, or the newest one of `materialId` for `brand` (rows of
// another brand are never read). Throws job::Unrecoverable naming what is missing.
Source loadStoredSource(const common::db::Db& db, const warren::Job& job, const std::string& brand,
                        const std::optional<std::string>& analysisId,
                        const std::optional<std::string>& materialId);

// The sentences to write from: the summary's, then the key points, each once, in order.
std::vector<std::string> leadSentences(const Source& source);

}  // namespace generate
