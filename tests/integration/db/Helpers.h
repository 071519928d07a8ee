// Shared by the database integration tests.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>

#include "db/Database.h"

namespace warren::db::test {

// Options for tests: small timeouts so that failures show quickly.
inline Options fastOptions(const std::string& url, const std::string& replicaUrl = "") {
  Options options;
  options.url = url;
  options.replicaUrl = replicaUrl;
  options.poolSize = 4;
  options.acquireTimeout = std::chrono::milliseconds(2000);
  options.connectTimeout = std::chrono::seconds(2);
  options.retryAttempts = 3;
  options.retryDelay = std::chrono::milliseconds(20);
  options.retryMaxDelay = std::chrono::milliseconds(100);
  options.replicaRecheck = std::chrono::milliseconds(200);
  return options;
}

inline Poco::JSON::Array::Ptr rows(const DbResult& result) {
  EXPECT_TRUE(result.ok) << result.error;
  Poco::JSON::Parser parser;
  return parser.parse(result.rowsJson).extract<Poco::JSON::Array::Ptr>();
}

// The first row's column `name` as text ("" when there is no row).
inline std::string firstValue(const DbResult& result, const std::string& name) {
  const auto array = rows(result);
  if (array->size() == 0) return "";
  return array->getObject(0)->get(name).toString();
}

// Lines of `log` that contain every one of `needles`.
inline int countLines(const std::string& log, std::initializer_list<std::string> needles) {
  std::istringstream in(log);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    bool all = true;
    for (const auto& needle : needles) all = all && line.find(needle) != std::string::npos;
    count += all ? 1 : 0;
  }
  return count;
}

}  // namespace warren::db::test
