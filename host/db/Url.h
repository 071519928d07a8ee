// DATABASE_URL -> what Poco Data's SessionPool needs, plus what must never be shown.
#pragma once

#include "db/Database.h"

#include <chrono>
#include <string>
#include <vector>

namespace warren::db {

struct Target {
  Backend backend = Backend::sqlite;
  std::string connector;             // "PostgreSQL" or "SQLite"
  std::string connectionString;      // libpq keyword string, or the SQLite file path
  std::vector<std::string> secrets;  // password (raw and as spelled in the URL): never shown
  std::string display;               // the URL with secrets as ***
};

// postgres://user:pass@host:port/dbname?sslmode=require&... (also postgresql://): percent-decoded
// into libpq keywords, every value quoted; query parameters become keywords. Adds
// connect_timeout (unless given) and application_name=warren (unless given).
// sqlite://PATH (sqlite:///abs/file.db) opens that file. An empty URL is the SQLite file
// <dataDir>/warren.db. Throws DbError (invalid) without echoing the URL.
// `setting` names the URL in error texts.
Target parseUrl(const std::string& url, const std::string& dataDir,
                std::chrono::seconds connectTimeout = std::chrono::seconds(5),
                const std::string& setting = "DATABASE_URL");

// Quotes a value for a libpq keyword string: 'it\'s'.
std::string quoteConnValue(const std::string& value);

}  // namespace warren::db
