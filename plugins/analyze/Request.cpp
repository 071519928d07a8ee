#include "Request.h"

#include "job/Failure.h"

#include <algorithm>
#include <cctype>
#include <iterator>

namespace analyze {
namespace {

using common::Json;
using common::job::Unrecoverable;

[[noreturn]] void invalid(const std::string& what) {
  throw Unrecoverable("invalid job data: " + what);
}

Kind kindOf(const Json& data) {
  const std::optional<std::string> kind = common::optionalString(data, "kind");
  if (!kind) invalid("'kind' is required (text, image, video or url)");
  for (const Kind k : {Kind::text, Kind::image, Kind::video, Kind::url}) {
    if (*kind == kindName(k)) return k;
  }
  invalid("'kind' must be text, image, video or url, not '" + *kind + "'");
}

// A string or a whole number, as text.
std::optional<std::string> idOf(const Json& data, const char* key) {
  const auto it = data.find(key);
  if (it == data.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  invalid(std::string("'") + key + "' must be a string or a whole number");
}

std::optional<std::string> nonEmpty(const Json& data, const char* key) {
  std::optional<std::string> value = common::optionalString(data, key);
  if (value && value->empty() && std::string(key) != "text") {
    invalid(std::string("'") + key + "' must not be empty");
  }
  return value;
}

void checkSources(const Request& r) {
  const std::string kind = kindName(r.kind);
  switch (r.kind) {
    case Kind::text:
      if (!r.text && !r.key) invalid("kind 'text' needs 'text' or 'key'");
      if (r.url) invalid("kind 'text' takes no 'url' (use kind 'url')");
      break;
    case Kind::url:
      if (!r.url) invalid("kind 'url' needs 'url'");
      if (r.text || r.key) invalid("kind 'url' takes neither 'text' nor 'key'");
      break;
    case Kind::image:
    case Kind::video:
      if (!r.key) invalid("kind '" + kind + "' needs 'key' (the " + kind + " in object storage)");
      if (r.url) invalid("kind '" + kind + "' takes no 'url'");
      break;
  }
}

}  // namespace

const char* kindName(Kind kind) {
  switch (kind) {
    case Kind::text:
      return "text";
    case Kind::image:
      return "image";
    case Kind::video:
      return "video";
    case Kind::url:
      return "url";
  }
  return "text";
}

Request parseRequest(const Json& data) {
  if (!data.is_object()) invalid("expected a JSON object");
  static const char* const known[] = {"materialId", "brandProfileId", "kind", "text", "key",
                                      "url",        "language",       "store"};
  for (const auto& item : data.items()) {
    if (std::find(std::begin(known), std::end(known), item.key()) == std::end(known)) {
      invalid("unknown field '" + item.key() + "'");
    }
  }
  Request r;
  r.kind = kindOf(data);
  r.text = common::optionalString(data, "text");
  r.key = nonEmpty(data, "key");
  r.url = nonEmpty(data, "url");
  r.language = common::stringOr(data, "language");
  std::transform(r.language.begin(), r.language.end(), r.language.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  r.store = common::boolOr(data, "store", false);
  r.materialId = idOf(data, "materialId");
  r.brandProfileId = idOf(data, "brandProfileId");
  checkSources(r);
  return r;
}

}  // namespace analyze
