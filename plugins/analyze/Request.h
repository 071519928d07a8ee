// A content:analyze job's data, read after the host checked it against
// schemas/content-analyze.data.json (the checks here are the second line of defence and give
// the same readable refusals).
#pragma once

#include "json/Json.h"

#include <optional>
#include <string>

namespace analyze {

enum class Kind { text, image, video, url };

struct Request {
  Kind kind = Kind::text;
  std::optional<std::string> text;  // the material (kind text) or a caption (image, video)
  std::optional<std::string> key;   // object storage key
  std::optional<std::string> url;
  std::string language;  // a hint, lower case; "" when not given
  bool store = false;
  std::optional<std::string> materialId;  // ids as text (the web app's may be numbers)
  std::optional<std::string> brandProfileId;
};

// Throws job::Unrecoverable("invalid job data: ...") naming the field.
Request parseRequest(const common::Json& data);

const char* kindName(Kind kind);

}  // namespace analyze
