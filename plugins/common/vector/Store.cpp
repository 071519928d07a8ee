#include "vector/Store.h"

#include "job/Failure.h"
#include "vector/Codec.h"
#include "vector/Time.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace common::vector {
namespace {

// pgvector indexes vectors of at most 2000 dimensions.
constexpr std::uint32_t kMaxIndexedDimensions = 2000;
// Rows per INSERT or UPDATE statement (each row binds 9 parameters).
constexpr std::size_t kRowsPerStatement = 100;

const char* const kPostgresCreated =
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

std::string hex(const unsigned char* bytes, std::size_t count) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(count * 2);
  for (std::size_t i = 0; i < count; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  return out;
}

std::string sha256Hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed");
  return hex(digest, length);
}

std::string stringOf(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump();
}

std::int64_t intOf(const Json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) return std::stoll(value.get<std::string>());
  return 0;
}

// A stored vector as the row gives it: base64 float32 (embedding) or pgvector's binary form.
Vector decodeStored(const Json& row, const std::string& id) {
  try {
    const auto binary = row.find("embedding_binary");
    if (binary != row.end() && binary->is_string())
      return decodePgvectorBinary(binary->get<std::string>());
    const auto plain = row.find("embedding");
    if (plain != row.end() && plain->is_string()) return decodeFloat32(plain->get<std::string>());
  } catch (const std::invalid_argument& e) {
    throw job::Unrecoverable("content_embeddings row " + id +
                             " holds an unreadable vector: " + e.what());
  }
  throw job::Unrecoverable("content_embeddings row " + id + " has no vector");
}

}  // namespace

const char* layoutName(Layout layout) {
  switch (layout) {
    case Layout::pgvector:
      return "pgvector";
    case Layout::postgres:
      return "postgres-bytea";
    case Layout::sqlite:
      break;
  }
  return "sqlite-base64";
}

Store::Store(const warren::Host& host, StoreOptions options) : db_(host), options_(options) {}

std::string Store::textHash(std::string_view text) {
  return sha256Hex(text);
}

std::string Store::rowId(const std::string& brand, const std::string& model, std::uint32_t dims,
                         const std::string& sourceType, const std::optional<std::string>& sourceId,
                         std::string_view queue, std::string_view jobId, std::size_t index,
                         std::string_view textHash) {
  // Fields joined with a unit separator, which none of them can hold ambiguously.
  std::string key = sourceId ? "source" : "job";
  for (const std::string_view part :
       {std::string_view(brand), std::string_view(model), std::string_view(std::to_string(dims)),
        std::string_view(sourceType)}) {
    key += '\x1f';
    key += part;
  }
  if (sourceId) {
    key += '\x1f';
    key += *sourceId;
  } else {
    key += '\x1f';
    key += queue;
    key += '\x1f';
    key += jobId;
    key += '\x1f';
    key += std::to_string(index);
    key += '\x1f';
    key += textHash;
  }
  return sha256Hex(key).substr(0, 32);
}

std::string Store::timestampParam(std::int64_t micros) const {
  // SQLite compares the text, which strftime wrote with milliseconds.
  return formatTimestamp(micros, layout_ == Layout::sqlite ? 3 : 6);
}

std::string Store::createdColumn() const {
  return layout_ == Layout::sqlite ? "created_at" : kPostgresCreated;
}

std::vector<std::string> Store::prepare() {
  std::vector<std::string> notes;
  if (db_.backend() == db::Backend::sqlite) {
    layout_ = Layout::sqlite;
    notes.push_back("vectors stored as float32 (base64) in SQLite; similarity by the exact scan");
    return notes;
  }
  layout_ = Layout::postgres;
  for (std::string& note : setUpPgvector()) notes.push_back(std::move(note));
  return notes;
}

std::vector<std::string> Store::setUpPgvector() {
  std::vector<std::string> notes;
  const auto installed = [this] {
    return !db_.rows(nullptr, "SELECT extversion FROM pg_extension WHERE extname = 'vector'")
                .empty();
  };
  bool hasExtension = installed();
  if (!hasExtension && options_.pgvectorSetup) {
    const Json available = db_.rows(
        nullptr, "SELECT default_version FROM pg_available_extensions WHERE name = 'vector'");
    if (available.empty()) {
      notes.push_back(
          "the PostgreSQL server has no pgvector extension: vectors stored as float32 "
          "(bytea); similarity by the exact scan");
    } else {
      try {
        db_.execute(nullptr, "CREATE EXTENSION IF NOT EXISTS vector");
        notes.push_back("created the pgvector extension (version " +
                        stringOf(available[0]["default_version"]) + ")");
      } catch (const std::exception& e) {
        notes.push_back(std::string("pgvector is available but could not be created (") + e.what() +
                        "); an administrator can run CREATE EXTENSION vector. Until then: float32 "
                        "(bytea) and the exact scan");
      }
      hasExtension = installed();
    }
  }
  const auto hasColumn = [this] {
    return !db_.rows(nullptr,
                     "SELECT 1 AS found FROM information_schema.columns WHERE table_schema = "
                     "current_schema() AND table_name = 'content_embeddings' AND column_name = "
                     "'embedding_vector'")
                .empty();
  };
  bool column = hasExtension && hasColumn();
  if (hasExtension && !column && options_.pgvectorSetup) {
    db_.execute(nullptr,
                "ALTER TABLE content_embeddings ADD COLUMN IF NOT EXISTS embedding_vector vector");
    column = hasColumn();
    notes.push_back("added content_embeddings.embedding_vector (pgvector)");
  }
  if (!column) {
    if (hasExtension)
      notes.push_back(
          "pgvector is installed but not used (pgvector setup is off): float32 (bytea)");
    return notes;
  }
  layout_ = Layout::pgvector;
  const std::size_t moved = moveToPgvector();
  if (moved > 0)
    notes.push_back("moved " + std::to_string(moved) + " stored vectors into pgvector");
  notes.push_back("vectors stored in pgvector (content_embeddings.embedding_vector)");
  for (std::string& note : maintainIndexes(nullptr)) notes.push_back(std::move(note));
  return notes;
}

std::size_t Store::moveToPgvector() const {
  std::size_t moved = 0;
  for (;;) {
    const Json rows = db_.rows(nullptr,
                               "SELECT id, embedding FROM content_embeddings WHERE "
                               "embedding_vector IS NULL AND embedding IS NOT NULL LIMIT " +
                                   std::to_string(kRowsPerStatement));
    if (rows.empty()) return moved;
    std::string sql =
        "UPDATE content_embeddings AS e SET embedding_vector = v.vec::vector, "
        "embedding = NULL FROM (VALUES ";
    Json params = Json::array();
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string id = stringOf(rows[i]["id"]);
      params.push_back(id);
      params.push_back(pgvectorLiteral(decodeStored(rows[i], id)));
      if (i) sql += ", ";
      sql += "($" + std::to_string(2 * i + 1) + ", $" + std::to_string(2 * i + 2) + ")";
    }
    sql += ") AS v(id, vec) WHERE e.id = v.id AND e.embedding_vector IS NULL";
    moved += static_cast<std::size_t>(db_.execute(nullptr, sql, params));
  }
}

std::vector<std::string> Store::maintainIndexes(const warren::Job* job) const {
  std::vector<std::string> notes;
  if (layout_ != Layout::pgvector || !options_.ivfflatIndex) return notes;
  const Json counts = db_.rows(job,
                               "SELECT dimensions, count(*) AS rows FROM content_embeddings WHERE "
                               "embedding_vector IS NOT NULL GROUP BY dimensions");
  for (const Json& count : counts) {
    const auto dims = static_cast<std::uint32_t>(intOf(count["dimensions"]));
    const std::int64_t rows = intOf(count["rows"]);
    if (dims > kMaxIndexedDimensions || rows < options_.ivfflatMinRows) continue;
    const std::int64_t lists =
        rows <= 1000000 ? std::max<std::int64_t>(10, rows / 1000)
                        : static_cast<std::int64_t>(std::sqrt(static_cast<double>(rows)));
    const std::string name = "content_embeddings_ivfflat_" + std::to_string(dims);
    const Json existing = db_.rows(job,
                                   "SELECT c.reloptions::text AS options, i.indisvalid AS valid "
                                   "FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
                                   "WHERE c.relname = $1",
                                   Json::array({name}));
    if (!existing.empty()) {
      const std::string options = stringOf(existing[0]["options"]);
      const auto at = options.find("lists=");
      const std::int64_t current =
          at == std::string::npos ? 0 : std::atoll(options.c_str() + at + 6);
      const bool valid = existing[0]["valid"].is_boolean() && existing[0]["valid"].get<bool>();
      if (valid && current * 4 >= lists && current <= lists * 4) continue;
      db_.execute(job, "DROP INDEX CONCURRENTLY IF EXISTS " + name);
    }
    const std::string d = std::to_string(dims);
    db_.execute(job, "CREATE INDEX CONCURRENTLY IF NOT EXISTS " + name +
                         " ON content_embeddings USING ivfflat ((embedding_vector::vector(" + d +
                         ")) vector_cosine_ops) WITH (lists = " + std::to_string(lists) +
                         ") WHERE dimensions = " + d);
    notes.push_back("built " + name + " (ivfflat, lists = " + std::to_string(lists) + ", " +
                    std::to_string(rows) + " rows)");
  }
  return notes;
}

void Store::insert(const warren::Job* job, const std::string& brand, const std::string& model,
                   std::uint32_t dims, const std::vector<NewRow>& rows) const {
  const std::string now =
      layout_ == Layout::sqlite ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')" : "now()";
  const std::string column = layout_ == Layout::pgvector ? "embedding_vector" : "embedding";
  for (std::size_t first = 0; first < rows.size(); first += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, rows.size() - first);
    std::string sql =
        "INSERT INTO content_embeddings (id, brand_profile_id, source_type, "
        "source_id, model, dimensions, text_hash, text, " +
        column + ") VALUES ";
    Json params = Json::array();
    for (std::size_t i = 0; i < count; ++i) {
      const NewRow& row = rows[first + i];
      if (row.values.size() != dims)
        throw std::invalid_argument("row " + row.id + " has " + std::to_string(row.values.size()) +
                                    " values, not " + std::to_string(dims));
      const std::size_t p = params.size();
      const auto n = [p](std::size_t k) { return "$" + std::to_string(p + k); };
      std::string value;
      switch (layout_) {
        case Layout::pgvector:
          value = n(9) + "::vector";
          params.push_back(row.id);
          break;
        case Layout::postgres:
          value = "decode(" + n(9) + ", 'base64')";
          params.push_back(row.id);
          break;
        case Layout::sqlite:
          value = n(9);
          params.push_back(row.id);
          break;
      }
      params.push_back(brand);
      params.push_back(row.sourceType);
      params.push_back(row.sourceId ? Json(*row.sourceId) : Json(nullptr));
      params.push_back(model);
      params.push_back(dims);
      params.push_back(textHash(row.text));
      params.push_back(row.text);
      params.push_back(layout_ == Layout::pgvector ? pgvectorLiteral(row.values)
                                                   : encodeFloat32(row.values));
      const std::string integer = layout_ == Layout::sqlite ? "" : "::integer";
      sql += (i ? ", (" : "(") + n(1) + ", " + n(2) + ", " + n(3) + ", " + n(4) + ", " + n(5) +
             ", " + n(6) + integer + ", " + n(7) + ", " + n(8) + ", " + value + ")";
    }
    sql +=
        " ON CONFLICT (id) DO UPDATE SET text_hash = excluded.text_hash, text = excluded.text, "
        "source_type = excluded.source_type, source_id = excluded.source_id, " +
        column + " = excluded." + column + ", created_at = " + now;
    db_.execute(job, sql, params);
  }
}

std::vector<StoredRow> Store::fetch(const warren::Job* job, const CacheKey& key, std::int64_t from,
                                    const std::optional<RowCursor>& after,
                                    std::size_t limit) const {
  const bool sqlite = layout_ == Layout::sqlite;
  std::string sql = "SELECT id, " + createdColumn() + " AS created_at, embedding";
  if (layout_ == Layout::pgvector) sql += ", vector_send(embedding_vector) AS embedding_binary";
  sql += " FROM content_embeddings WHERE brand_profile_id = $1 AND model = $2 AND dimensions = $3";
  sql += sqlite ? " AND created_at >= $4" : "::integer AND created_at >= $4::timestamptz";
  Json params = Json::array({key.brand, key.model, key.dimensions, timestampParam(from)});
  if (after) {
    const std::string t = sqlite ? "$5" : "$5::timestamptz";
    sql += " AND (created_at > " + t + " OR (created_at = " + t + " AND id > $6))";
    params.push_back(timestampParam(after->created));
    params.push_back(after->id);
  }
  sql += " ORDER BY created_at, id LIMIT " + std::to_string(limit);
  const Json rows = db_.rows(job, sql, params);
  std::vector<StoredRow> out;
  out.reserve(rows.size());
  for (const Json& row : rows) {
    StoredRow stored;
    stored.id = stringOf(row["id"]);
    stored.created = parseTimestamp(stringOf(row["created_at"]));
    stored.values = decodeStored(row, stored.id);
    out.push_back(std::move(stored));
  }
  return out;
}

std::string pgvectorBatchSql(const PgvectorSearch& search, std::uint32_t dims) {
  const std::string d = std::to_string(dims);
  const std::string window =
      "dimensions = " + d +
      " AND brand_profile_id = $2 AND model = $3 AND created_at >= $4::timestamptz AND "
      "embedding_vector IS NOT NULL";
  const std::string created =
      "to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') AS created_at";
  const std::string compared =
      "(SELECT count(*) FROM content_embeddings WHERE " + window + ") AS compared";
  if (search.form == PgvectorSearch::Form::exact) {
    // The ORDER BY compares the untyped column, which no index covers: PostgreSQL reads the
    // window through content_embeddings_window and sorts it.
    return "SELECT q.ord AS ord, m.id AS id, 1 - (m.embedding_vector <=> q.v) AS similarity, " +
           created + ", " + compared +
           " FROM unnest($1::vector[]) WITH ORDINALITY AS q(v, ord) LEFT JOIN LATERAL (SELECT "
           "id, embedding_vector, created_at FROM content_embeddings WHERE " +
           window + " ORDER BY embedding_vector <=> q.v, id LIMIT 1) AS m ON true ORDER BY q.ord";
  }
  // The seed's form on the per-length index. The settings are local to the statement's
  // transaction; the LATERAL refers to them, so they are set before the first index scan.
  std::string settings = "set_config('ivfflat.probes', $5, true) AS probes";
  if (search.iterativeScan != "off")
    settings += ", set_config('ivfflat.iterative_scan', $6, true) AS iterative";
  const std::string typed = "embedding_vector::vector(" + d + ")";
  return "WITH settings AS MATERIALIZED (SELECT " + settings +
         ") SELECT q.ord AS ord, m.id AS id, m.similarity AS similarity, " + created + ", " +
         compared + " FROM settings AS s CROSS JOIN unnest($1::vector(" + d +
         ")[]) WITH ORDINALITY AS q(v, ord) LEFT JOIN LATERAL (SELECT id, created_at, 1 - (" +
         typed + " <=> q.v) AS similarity FROM content_embeddings WHERE " + window +
         " AND s.probes IS NOT NULL ORDER BY " + typed +
         " <=> q.v LIMIT 1) AS m ON true ORDER "
         "BY q.ord";
}

NearestResult Store::nearestPgvector(const warren::Job* job, const CacheKey& key, std::int64_t from,
                                     const std::vector<Vector>& inputs,
                                     const PgvectorSearch& search) const {
  if (layout_ != Layout::pgvector)
    throw std::logic_error("pgvector search without pgvector storage");
  Json params = Json::array({pgvectorArrayLiteral(inputs.data(), inputs.size()), key.brand,
                             key.model, timestampParam(from)});
  if (search.form == PgvectorSearch::Form::ivfflat) {
    params.push_back(std::to_string(std::max(1, search.probes)));
    if (search.iterativeScan != "off") params.push_back(search.iterativeScan);
  }
  const std::string sql = pgvectorBatchSql(search, key.dimensions);
  const Json rows = db_.rows(job, sql, params);
  NearestResult result;
  result.matches.resize(inputs.size());
  for (const Json& row : rows) {
    const std::int64_t ord = intOf(row["ord"]);
    result.rowsCompared = static_cast<std::size_t>(intOf(row["compared"]));
    if (ord < 1 || static_cast<std::size_t>(ord) > inputs.size() || row["id"].is_null()) continue;
    Match& match = result.matches[static_cast<std::size_t>(ord - 1)];
    match.found = true;
    match.id = stringOf(row["id"]);
    match.similarity = row["similarity"].is_number() ? row["similarity"].get<double>() : 0.0;
    match.created = parseTimestamp(stringOf(row["created_at"]));
  }
  return result;
}

std::vector<ModelRows> Store::models(const warren::Job* job, const std::string& brand,
                                     std::int64_t from) const {
  const std::string since = layout_ == Layout::sqlite ? "$2" : "$2::timestamptz";
  const Json rows =
      db_.rows(job,
               "SELECT model, dimensions, count(*) AS rows FROM content_embeddings "
               "WHERE brand_profile_id = $1 AND created_at >= " +
                   since + " GROUP BY model, dimensions ORDER BY count(*) DESC, model",
               Json::array({brand, timestampParam(from)}));
  std::vector<ModelRows> out;
  for (const Json& row : rows)
    out.push_back(ModelRows{stringOf(row["model"]),
                            static_cast<std::uint32_t>(intOf(row["dimensions"])),
                            intOf(row["rows"])});
  return out;
}

std::vector<RowInfo> Store::describe(const warren::Job* job,
                                     const std::vector<std::string>& ids) const {
  std::vector<RowInfo> out;
  if (ids.empty()) return out;
  std::string sql = "SELECT id, source_type, source_id, text, " + createdColumn() +
                    " AS created_at FROM content_embeddings WHERE id IN (";
  Json params = Json::array();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 1);
    params.push_back(ids[i]);
  }
  sql += ")";
  for (const Json& row : db_.rows(job, sql, params)) {
    RowInfo info;
    info.id = stringOf(row["id"]);
    info.sourceType = stringOf(row["source_type"]);
    if (row["source_id"].is_string()) info.sourceId = row["source_id"].get<std::string>();
    if (row["text"].is_string()) info.text = row["text"].get<std::string>();
    info.created = parseTimestamp(stringOf(row["created_at"]));
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace common::vector
