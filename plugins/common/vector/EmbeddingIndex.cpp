#include "vector/EmbeddingIndex.h"

#include "job/Failure.h"
#include "vector/RowSet.h"
#include "vector/Time.h"

#include <algorithm>
#include <stdexcept>

namespace common::vector {

Method parseMethod(const std::string& name) {
  for (const Method method :
       {Method::automatic, Method::scan, Method::pgvectorExact, Method::pgvectorIvfflat})
    if (name == methodName(method)) return method;
  throw std::invalid_argument("similarity method '" + name +
                              "' is not one of auto, scan, pgvector-exact, pgvector-ivfflat");
}

const char* methodName(Method method) {
  switch (method) {
    case Method::scan:
      return "scan";
    case Method::pgvectorExact:
      return "pgvector-exact";
    case Method::pgvectorIvfflat:
      return "pgvector-ivfflat";
    case Method::automatic:
      break;
  }
  return "auto";
}

EmbeddingIndex::EmbeddingIndex(const warren::Host& host, IndexOptions options)
    : options_(std::move(options)), store_(host, options_.store), cache_(options_.cache) {}

std::vector<std::string> EmbeddingIndex::prepare() {
  std::vector<std::string> notes = store_.prepare();
  const bool pgvector = store_.layout() == Layout::pgvector;
  method_ = options_.method;
  if (method_ == Method::automatic) method_ = pgvector ? Method::pgvectorExact : Method::scan;
  if ((method_ == Method::pgvectorExact || method_ == Method::pgvectorIvfflat) && !pgvector)
    throw std::runtime_error(std::string("similarity method ") + methodName(method_) +
                             " needs vectors in pgvector, but they are stored as " +
                             layoutName(store_.layout()));
  notes.push_back(std::string("similarity: ") + methodName(method_) + ", scan level " +
                  isaName(bestIsa()));
  lastMaintenance_ = nowMicros();
  return notes;
}

std::vector<std::string> EmbeddingIndex::store(const warren::Job& job, const std::string& brand,
                                               const Embeddings& embeddings,
                                               const std::vector<StoreItem>& items) {
  if (items.size() != embeddings.vectors.size())
    throw std::invalid_argument(std::to_string(items.size()) + " items for " +
                                std::to_string(embeddings.vectors.size()) + " vectors");
  std::vector<NewRow> rows;
  std::vector<std::string> ids;
  rows.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    NewRow row;
    row.sourceType = items[i].sourceType.empty() ? "text" : items[i].sourceType;
    row.sourceId = items[i].sourceId;
    row.text = items[i].text;
    row.values = embeddings.vectors[i];
    row.id = Store::rowId(brand, embeddings.model, embeddings.dimensions, row.sourceType,
                          row.sourceId, job.queue(), job.id(), i, Store::textHash(row.text));
    // One statement cannot store a row twice (PostgreSQL refuses it; SQLite would keep one).
    const auto same = std::find(ids.begin(), ids.end(), row.id);
    if (same != ids.end())
      throw job::Unrecoverable("items " + std::to_string(same - ids.begin()) + " and " +
                               std::to_string(i) + " have the same id '" +
                               row.sourceId.value_or("") + "' (" + row.sourceType +
                               "): store each once");
    ids.push_back(row.id);
    rows.push_back(std::move(row));
  }
  store_.insert(&job, brand, embeddings.model, embeddings.dimensions, rows);
  // The ivfflat indexes follow the row counts, checked at most every maintainEveryMicros.
  std::int64_t last = lastMaintenance_.load();
  const std::int64_t now = nowMicros();
  if (store_.layout() == Layout::pgvector && now - last > options_.maintainEveryMicros &&
      lastMaintenance_.compare_exchange_strong(last, now)) {
    store_.maintainIndexes(&job);
  }
  return ids;
}

SimilarityResult EmbeddingIndex::nearest(const warren::Job* job, const std::string& brand,
                                         const std::string& model,
                                         const std::vector<Vector>& vectors, std::int64_t days,
                                         bool describeMatches) {
  if (vectors.empty()) throw job::Unrecoverable("no vectors to compare");
  if (days <= 0) throw job::Unrecoverable("days must be at least 1");
  const auto dims = static_cast<std::uint32_t>(vectors.front().size());
  const std::int64_t now = nowMicros();
  const std::int64_t from = now - days * kMicrosPerDay;
  const CacheKey key{brand, model, dims};
  SimilarityResult result;
  result.method = method_;
  // Every form checks the inputs the same way (one length, each can be normalised).
  std::optional<InputBatch> batch;
  try {
    batch.emplace(vectors, dims);
  } catch (const std::invalid_argument& e) {
    throw job::Unrecoverable(std::string("cannot compare the vectors: ") + e.what());
  }
  NearestResult found;
  if (method_ == Method::scan) {
    StoreRows source(store_, job, key);
    found = cache_.nearest(key, source, now, from, *batch);
  } else {
    PgvectorSearch search = options_.ivfflat;
    search.form = method_ == Method::pgvectorIvfflat ? PgvectorSearch::Form::ivfflat
                                                     : PgvectorSearch::Form::exact;
    found = store_.nearestPgvector(job, key, from, vectors, search);
  }
  result.rowsCompared = found.rowsCompared;
  if (found.rowsCompared == 0) {
    const std::vector<ModelRows> others = store_.models(job, brand, from);
    if (!others.empty()) {
      std::string list;
      for (const ModelRows& other : others) {
        if (!list.empty()) list += ", ";
        list += other.model + " (" + std::to_string(other.dimensions) + " dimensions, " +
                std::to_string(other.rows) + " rows)";
      }
      throw job::Unrecoverable("brand " + brand + " has no embeddings of " + model + " (" +
                               std::to_string(dims) + " dimensions) in the last " +
                               std::to_string(days) + " days, only of " + list +
                               ": vectors of different models or dimensions are never compared");
    }
  }
  std::vector<std::string> ids;
  result.matches.resize(found.matches.size());
  for (std::size_t i = 0; i < found.matches.size(); ++i) {
    const Match& match = found.matches[i];
    result.matches[i].found = match.found;
    result.matches[i].id = match.id;
    result.matches[i].similarity = match.similarity;
    result.matches[i].created = match.created;
    if (match.found) ids.push_back(match.id);
  }
  if (describeMatches && !ids.empty()) {
    for (const RowInfo& info : store_.describe(job, ids))
      for (SimilarityMatch& match : result.matches)
        if (match.found && match.id == info.id) match.row = info;
  }
  return result;
}

}  // namespace common::vector
