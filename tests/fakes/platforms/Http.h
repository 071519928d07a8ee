// The fake platforms' view of one HTTP exchange: a request read whole (body, query, form
// fields, multipart files, JSON) and the reply to write.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fake {

using Json = nlohmann::json;

struct FilePart {
  std::string name;
  std::string filename;
  std::string contentType;
  std::string bytes;
};

struct Call {
  std::string method;
  std::string path;    // without the platform prefix ("/api/v1/statuses")
  std::string target;  // the full request target, as received
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::map<std::string, std::string> form;  // urlencoded or multipart fields
  std::vector<FilePart> files;              // multipart files
  Json json;                                // the body when it is JSON, else null

  std::string header(const std::string& name) const;
  std::string queryValue(const std::string& name) const;
  std::vector<std::string> queryValues(const std::string& name) const;
  // Authorization: Bearer <token> → token ("" when absent).
  std::string bearer() const;
  // A field from the JSON body, or else the form, or else the query ("" when absent).
  std::string param(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Reply& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

Reply jsonReply(int status, const Json& body);
Reply emptyReply(int status);

// Path segments of "/a/b/c" → {"a","b","c"}.
std::vector<std::string> segments(const std::string& path);
std::string isoTime(std::int64_t epochMs);
// "2026-08-21T12:00:00[.sss]Z" → Unix ms; 0 when empty or not that form.
std::int64_t parseIsoTime(const std::string& text);
std::int64_t nowMs();
std::string urlDecode(const std::string& text);

}  // namespace fake
