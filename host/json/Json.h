// JSON text as BullMQ stores it: any JSON value, scalars included (Poco's parser alone only takes
// objects and arrays at the top level).
#pragma once

#include <Poco/Dynamic/Var.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace warren::json {

// Parses any JSON value; throws Poco::Exception (JSON Exception) on invalid text.
Poco::Dynamic::Var parse(std::string_view text);
// RFC 8259 syntax with well-formed UTF-8 in strings, checked without building values (the per-job
// checks of job data and plugin results run on it).
bool wellFormed(std::string_view text);
// A member of a JSON object: its key as written between the quotes (escapes not decoded) and the
// text of its value.
struct Member {
  std::string_view key;
  std::string_view value;
};
// The top-level members of a JSON object text, in order, without building values; nullopt when
// the text is not a well-formed object.
std::optional<std::vector<Member>> objectMembers(std::string_view text);
// wellFormed, or accepted by Poco's parser.
bool valid(std::string_view text);
// Compact JSON text of a value.
std::string stringify(const Poco::Dynamic::Var& value);

}  // namespace warren::json
