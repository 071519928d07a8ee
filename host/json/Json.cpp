#include "json/Json.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

namespace warren::json {

Poco::Dynamic::Var parse(std::string_view text) {
  Poco::JSON::Parser parser;
  std::string wrapped;
  wrapped.reserve(text.size() + 2);
  wrapped += '[';
  wrapped += text;
  wrapped += ']';
  const auto array = parser.parse(wrapped).extract<Poco::JSON::Array::Ptr>();
  if (array->size() != 1) throw Poco::JSON::JSONException("expected exactly one JSON value");
  return array->get(0);
}

bool valid(std::string_view text) {
  try {
    parse(text);
    return true;
  } catch (...) {
    return false;
  }
}

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

}  // namespace warren::json
