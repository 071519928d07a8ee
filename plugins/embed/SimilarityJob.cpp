#include "Jobs.h"

#include "job/Failure.h"
#include "vector/Codec.h"
#include "vector/Time.h"

#include <cmath>

namespace embed {
namespace {

using common::Json;
using common::job::Unrecoverable;

std::vector<common::vector::Vector> givenVectors(const Json& embeddings) {
  std::vector<common::vector::Vector> out;
  for (std::size_t i = 0; i < embeddings.size(); ++i) {
    const Json& item = embeddings[i];
    const std::string which = "embeddings[" + std::to_string(i) + "]";
    common::vector::Vector v;
    if (item.is_string()) {
      try {
        v = common::vector::decodeFloat32(item.get<std::string>());
      } catch (const std::invalid_argument& e) {
        throw Unrecoverable("invalid job data: " + which + ": " + e.what());
      }
    } else if (item.is_array()) {
      for (const Json& x : item) {
        if (!x.is_number())
          throw Unrecoverable("invalid job data: " + which + " holds a value that is not a number");
        const double value = x.get<double>();
        if (!std::isfinite(value) || std::fabs(value) > 3.4e38)
          throw Unrecoverable("invalid job data: " + which +
                              " holds a value out of float32's range");
        v.push_back(static_cast<float>(value));
      }
    } else {
      throw Unrecoverable("invalid job data: " + which +
                          " must be an array of numbers or base64 text");
    }
    if (v.empty()) throw Unrecoverable("invalid job data: " + which + " is empty");
    if (!out.empty() && v.size() != out.front().size())
      throw Unrecoverable("invalid job data: " + which + " has " + std::to_string(v.size()) +
                          " dimensions, embeddings[0] has " + std::to_string(out.front().size()));
    out.push_back(std::move(v));
  }
  return out;
}

// The model of given vectors when the job names none: the one model of that length among the
// brand's rows in the window.
std::optional<std::string> modelOfRows(Context& context, const warren::Job& job,
                                       const std::string& brand, std::uint32_t dims,
                                       std::int64_t days) {
  const std::int64_t from = common::vector::nowMicros() - days * common::vector::kMicrosPerDay;
  const auto rows = context.index.storage().models(&job, brand, from);
  std::vector<std::string> same;
  std::string others;
  for (const auto& row : rows) {
    if (row.dimensions == dims)
      same.push_back(row.model);
    else
      others += (others.empty() ? "" : ", ") + row.model + " (" + std::to_string(row.dimensions) +
                " dimensions)";
  }
  if (same.size() == 1) return same.front();
  if (same.size() > 1)
    throw Unrecoverable("brand " + brand + " has " + std::to_string(dims) +
                        "-dimension embeddings of " + std::to_string(same.size()) + " models (" +
                        same[0] + ", " + same[1] + (same.size() > 2 ? ", ..." : "") +
                        "): name the model of the embeddings with 'model'");
  if (!others.empty())
    throw Unrecoverable("the embeddings have " + std::to_string(dims) + " dimensions, but brand " +
                        brand + " has embeddings of only " + others + " in the last " +
                        std::to_string(days) +
                        " days: vectors of different models or dimensions are never compared");
  return std::nullopt;  // nothing stored in the window: every input has no match
}

}  // namespace

Json similarity(Context& context, const warren::Job& job, const Json& data) {
  const std::string brand = brandOf(data);
  const std::int64_t days = common::intOr(data, "days", context.settings.days);
  if (days < 1 || days > 3650)
    throw Unrecoverable("invalid job data: 'days' must be from 1 to 3650");
  const double threshold = common::numberOr(data, "threshold", context.settings.threshold);
  const auto texts = data.find("texts");
  const auto embeddings = data.find("embeddings");
  const bool hasTexts = texts != data.end() && !texts->is_null();
  const bool hasEmbeddings = embeddings != data.end() && !embeddings->is_null();
  if (hasTexts == hasEmbeddings)
    throw Unrecoverable("invalid job data: give either 'texts' or 'embeddings'");
  std::optional<std::string> model = common::optionalString(data, "model");
  std::vector<common::vector::Vector> vectors;
  if (hasTexts) {
    if (!texts->is_array() || texts->empty())
      throw Unrecoverable("invalid job data: 'texts' must be a non-empty array");
    std::vector<std::string> list;
    for (const Json& text : *texts) {
      if (!text.is_string()) throw Unrecoverable("invalid job data: 'texts' must hold strings");
      list.push_back(text.get<std::string>());
    }
    common::vector::Embeddings embedded = context.embedder.embed(&job, list, model);
    model = embedded.model;
    vectors = std::move(embedded.vectors);
  } else {
    if (!embeddings->is_array() || embeddings->empty())
      throw Unrecoverable("invalid job data: 'embeddings' must be a non-empty array");
    vectors = givenVectors(*embeddings);
    if (!model)
      model = modelOfRows(context, job, brand, static_cast<std::uint32_t>(vectors.front().size()),
                          days);
  }
  const auto dims = static_cast<std::uint32_t>(vectors.front().size());
  Json results = Json::array();
  common::vector::SimilarityResult found;
  found.method = context.index.method();
  if (model) {
    found = context.index.nearest(&job, brand, *model, vectors, days);
  } else {
    found.matches.resize(vectors.size());
  }
  for (const common::vector::SimilarityMatch& match : found.matches) {
    Json entry = {{"similarity", nullptr}, {"id", nullptr}, {"duplicate", false}};
    if (match.found) {
      entry["similarity"] = match.similarity;
      entry["id"] = match.id;
      entry["duplicate"] = match.similarity >= threshold;
      entry["createdAt"] = common::vector::formatTimestamp(match.created, 6);
      if (match.row) {
        entry["sourceType"] = match.row->sourceType;
        if (match.row->sourceId) entry["sourceId"] = *match.row->sourceId;
      }
    }
    results.push_back(std::move(entry));
  }
  return {{"results", std::move(results)},
          {"model", model ? Json(*model) : Json(nullptr)},
          {"dimensions", dims},
          {"days", days},
          {"threshold", threshold},
          {"method", common::vector::methodName(found.method)},
          {"compared", found.rowsCompared}};
}

}  // namespace embed
