#include "Dedup.h"

#include "job/Failure.h"
#include "vector/Time.h"

#include <algorithm>

namespace generate {

namespace vec = common::vector;

Dedup::Dedup(const warren::Host& host, const Settings& settings, vec::EmbeddingIndex& index,
             const warren::Job& job, std::string brand)
    : host_(host), settings_(settings), index_(index), job_(job), brand_(std::move(brand)) {}

std::int64_t Dedup::windowStart() const {
  return vec::nowMicros() - settings_.dedupDays * vec::kMicrosPerDay;
}

void Dedup::begin(const std::vector<std::string>& ownPostIds) {
  ownPostIds_ = ownPostIds;
  vec::EmbedderOptions options;
  options.offlineDimensions = settings_.offlineDimensions;
  options.dimensions = settings_.embeddingDimensions;
  if (!settings_.embeddingModel.empty()) {
    requested_ = settings_.embeddingModel;
  } else {
    const std::vector<vec::ModelRows> models =
        index_.storage().models(&job_, brand_, windowStart());
    const auto most = std::max_element(
        models.begin(), models.end(),
        [](const vec::ModelRows& a, const vec::ModelRows& b) { return a.rows < b.rows; });
    if (most != models.end()) {
      requested_ = most->model;
      if (most->model == vec::HashEmbedder::kModel &&
          most->dimensions >= vec::HashEmbedder::kMinDimensions &&
          most->dimensions <= vec::HashEmbedder::kMaxDimensions) {
        options.offlineDimensions = most->dimensions;
      }
    }
  }
  embedder_.emplace(host_, options);
}

vec::Vector Dedup::embed(const std::string& text) {
  vec::Embeddings embeddings = embedder_->embed(&job_, {text}, requested_);
  tokens_ += embeddings.inputTokens;
  if (model_.empty()) {
    provider_ = embeddings.provider;
    model_ = embeddings.model;
    dimensions_ = embeddings.dimensions;
    for (const std::string& id : ownPostIds_) {
      ownRowIds_.insert(vec::Store::rowId(brand_, model_, dimensions_, "post", id, job_.queue(),
                                          job_.id(), 0, ""));
    }
  }
  return std::move(embeddings.vectors.front());
}

Similar Dedup::exactExcludingOwn(const vec::Vector& vector) {
  // The nearest stored row was this job's own (an earlier run stored it): the exact answer
  // without those rows, read page by page.
  Similar best;
  const vec::CacheKey key{brand_, model_, dimensions_};
  std::optional<vec::RowCursor> after;
  std::string bestId;
  double bestScore = -2;
  while (true) {
    const std::vector<vec::StoredRow> rows =
        index_.storage().fetch(&job_, key, windowStart(), after, 2000);
    for (const vec::StoredRow& row : rows) {
      if (ownRowIds_.count(row.id) != 0) continue;
      const double score = vec::cosine(vector, row.values);
      if (score > bestScore) bestScore = score, bestId = row.id;
    }
    if (rows.size() < 2000) break;
    after = vec::RowCursor{rows.back().created, rows.back().id};
  }
  if (bestId.empty()) return best;
  best.similarity = bestScore;
  best.embeddingId = bestId;
  for (const vec::RowInfo& info : index_.storage().describe(&job_, {bestId})) {
    best.sourceType = info.sourceType;
    best.sourceId = info.sourceId.value_or("");
    best.text = info.text.value_or("");
  }
  return best;
}

Similar Dedup::nearest(const vec::Vector& vector, common::platform::Platform platform) {
  Similar best;
  const vec::SimilarityResult result =
      index_.nearest(&job_, brand_, model_, {vector}, settings_.dedupDays, true);
  rowsCompared_ = std::max(rowsCompared_, result.rowsCompared);
  const vec::SimilarityMatch& match = result.matches.front();
  if (match.found && ownRowIds_.count(match.id) != 0) {
    best = exactExcludingOwn(vector);
  } else if (match.found) {
    best.similarity = match.similarity;
    best.embeddingId = match.id;
    if (match.row) {
      best.sourceType = match.row->sourceType;
      best.sourceId = match.row->sourceId.value_or("");
      best.text = match.row->text.value_or("");
    }
  }
  for (const Kept& kept : kept_) {
    if (kept.platform != platform) continue;
    const double score = vec::cosine(vector, kept.vector);
    if (!best.similarity || score > *best.similarity) {
      best = Similar{};
      best.similarity = score;
      best.variant = kept.variant;
      best.text = kept.text;
    }
  }
  return best;
}

void Dedup::keep(common::platform::Platform platform, std::size_t variant, const std::string& text,
                 vec::Vector vector) {
  kept_.push_back(Kept{platform, variant, text, std::move(vector)});
}

void Dedup::store(const std::vector<std::string>& postIds) {
  if (kept_.empty()) return;
  if (postIds.size() != kept_.size()) {
    throw std::logic_error("one post id per kept draft");
  }
  vec::Embeddings embeddings;
  embeddings.provider = provider_;
  embeddings.model = model_;
  embeddings.dimensions = dimensions_;
  std::vector<vec::StoreItem> items;
  for (std::size_t i = 0; i < kept_.size(); ++i) {
    embeddings.vectors.push_back(kept_[i].vector);
    items.push_back(vec::StoreItem{kept_[i].text, postIds[i], "post"});
  }
  index_.store(job_, brand_, embeddings, items);
}

}  // namespace generate
