#include "Source.h"

#include "job/Failure.h"
#include "text/Segments.h"
#include "text/Unicode.h"
#include "text/Utf8.h"

namespace generate {
namespace {

using common::Json;
using common::job::Unrecoverable;

std::string clean(const std::string& text) {
  return common::text::nfc(common::text::repairUtf8(text));
}

std::string stringField(const Json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? clean(found->get<std::string>())
                                                     : std::string();
}

// A list of strings, or of objects with a text (keywords may come as {"text": ..., "score"}).
std::vector<std::string> listField(const Json& object, const char* key) {
  std::vector<std::string> out;
  const auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return out;
  for (const Json& item : *found) {
    std::string text;
    if (item.is_string()) text = item.get<std::string>();
    if (item.is_object()) {
      for (const char* field : {"text", "word", "phrase"}) {
        if (item.contains(field) && item[field].is_string()) {
          text = item[field].get<std::string>();
          break;
        }
      }
    }
    text = clean(text);
    if (!text.empty()) out.push_back(std::move(text));
  }
  return out;
}

const Json& objectField(const Json& object, const char* key) {
  static const Json empty = Json::object();
  const auto found = object.find(key);
  return found != object.end() && found->is_object() ? *found : empty;
}

// JSONB comes back from PostgreSQL as text; SQLite stores text.
Json analysisColumn(const Json& row, const std::string& what) {
  const auto found = row.find("analysis");
  if (found != row.end() && found->is_object()) return *found;
  if (found != row.end() && found->is_string()) {
    try {
      Json parsed = Json::parse(found->get<std::string>());
      if (parsed.is_object()) return parsed;
    } catch (const Json::parse_error&) {
    }
  }
  throw Unrecoverable(what + " holds no analysis object");
}

std::string columnText(const Json& row, const char* column) {
  const auto found = row.find(column);
  if (found == row.end() || found->is_null()) return {};
  if (found->is_number_integer()) return std::to_string(found->get<std::int64_t>());
  return found->is_string() ? found->get<std::string>() : std::string();
}

Json query(const common::db::Db& db, const warren::Job& job, const std::string& sql,
           const Json& params) {
  try {
    return db.rows(&job, sql, params);
  } catch (const Unrecoverable& e) {
    throw Unrecoverable(std::string("cannot read the stored analyses (content_analyses, created "
                                    "by the analyze plugin's migration): ") +
                        e.what());
  }
}

}  // namespace

Source sourceFromAnalysis(const Json& analysis) {
  Source source;
  source.analysis = analysis;
  source.summary = stringField(analysis, "summary");
  source.keyPoints = listField(analysis, "keyPoints");
  source.topics = listField(analysis, "topics");
  source.keywords = listField(analysis, "keywords");
  source.hashtags = listField(analysis, "hashtags");
  source.language = stringField(analysis, "language");
  source.tone = stringField(analysis, "tone");
  source.audience = stringField(analysis, "audience");
  if (const auto entities = analysis.find("entities");
      entities != analysis.end() && entities->is_array()) {
    for (const Json& entity : *entities) {
      if (entity.is_object() && entity.value("type", "") == "mention" && entity.contains("text") &&
          entity["text"].is_string()) {
        source.mentions.push_back(clean(entity["text"].get<std::string>()));
      }
    }
  }
  const Json& from = objectField(analysis, "source");
  source.kind = stringField(from, "kind");
  source.key = stringField(from, "key");
  source.url = stringField(from, "url");
  source.title = stringField(from, "title");
  const Json& media = objectField(analysis, "media");
  source.mediaType = stringField(media, "type");
  source.mediaDescription = stringField(media, "description");
  return source;
}

Source loadStoredSource(const common::db::Db& db, const warren::Job& job, const std::string& brand,
                        const std::optional<std::string>& analysisId,
                        const std::optional<std::string>& materialId) {
  Json rows;
  std::string what;
  if (analysisId) {
    what = "stored analysis " + *analysisId;
    const bool digits = !analysisId->empty() && analysisId->size() <= 18 &&
                        analysisId->find_first_not_of("0123456789") == std::string::npos;
    if (!digits) throw Unrecoverable(what + " not found in content_analyses");
    rows =
        query(db, job, "SELECT id, brand_profile_id, analysis FROM content_analyses WHERE id = $1",
              Json::array({std::stoll(*analysisId)}));
    if (rows.empty()) throw Unrecoverable(what + " not found in content_analyses");
    const std::string owner = columnText(rows.front(), "brand_profile_id");
    if (!owner.empty() && owner != brand) {
      throw Unrecoverable(what + " belongs to brand profile '" + owner + "', not '" + brand + "'");
    }
  } else {
    what = "the newest stored analysis of material '" + *materialId + "'";
    rows = query(db, job,
                 "SELECT id, brand_profile_id, analysis FROM content_analyses WHERE material_id = "
                 "$1 AND (brand_profile_id = $2 OR brand_profile_id IS NULL) ORDER BY created_at "
                 "DESC, id DESC LIMIT 1",
                 Json::array({*materialId, brand}));
    if (rows.empty()) {
      throw Unrecoverable("no stored analysis of material '" + *materialId +
                          "' for brand profile '" + brand + "' in content_analyses");
    }
  }
  Source source = sourceFromAnalysis(analysisColumn(rows.front(), what));
  source.analysisId = columnText(rows.front(), "id");
  return source;
}

std::vector<std::string> leadSentences(const Source& source) {
  std::vector<std::string> out;
  std::vector<std::string> folded;
  const auto add = [&](std::string_view sentence) {
    std::string text(sentence);
    if (text.empty()) return;
    const std::string key = common::text::foldCase(text);
    for (const std::string& seen : folded) {
      if (seen == key) return;
    }
    folded.push_back(key);
    out.push_back(std::move(text));
  };
  for (const auto& sentence : common::text::sentences(source.summary, source.language)) {
    add(sentence.text);
  }
  for (const std::string& point : source.keyPoints) add(point);
  return out;
}

}  // namespace generate
