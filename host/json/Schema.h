// JSON Schema (draft 7) validation on valijson, for job data, plugin results and AI replies.
//
// Messages name the failing value by its JSON Pointer ("/" for the whole document) and say what
// was expected in words, e.g. "/items/0/text: expected a string". When an anyOf or oneOf matches
// no alternative, the failures of each alternative are listed.
//
// valijson matches `pattern` and `patternProperties` with std::regex, whose recursion overflows
// the stack on strings of some ten thousand characters: this class matches them with PCRE2
// (heap-bounded, with a match limit) instead, and checks the `date`, `time` and `date-time`
// formats without regular expressions. Use valijson in the host only through this class.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace warren::json {

class Schema {
 public:
  // Compiles a JSON Schema (draft 7). Throws std::invalid_argument with a readable reason when
  // the text is not JSON or not a schema valijson accepts (a `pattern` PCRE2 cannot compile, a
  // `$schema` other than draft 7, an unresolvable `$ref`...).
  static Schema compile(std::string_view schemaJson);

  // nullopt when `json` (any JSON text) satisfies the schema; otherwise the first failures,
  // e.g. "/items/0/text: expected a string" or "/kind: must be one of text, image, video, url"
  // or "/: missing required property 'platforms'" ("; "-joined, at most 3). Text that is not
  // JSON gives "/: not valid JSON (...)". Safe to call concurrently.
  std::optional<std::string> validate(std::string_view json) const;

  // The schema text as compiled.
  const std::string& text() const;

 private:
  struct Compiled;
  explicit Schema(std::shared_ptr<const Compiled> compiled);
  std::shared_ptr<const Compiled> compiled_;  // immutable, shared by copies
};

}  // namespace warren::json
