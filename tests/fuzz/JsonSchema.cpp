// The JSON Schema validator (host/json/Schema) on schemas as plugins declare them (third-party
// descriptors) and on documents as jobs, plugin results and AI replies carry them. The input is
// "SCHEMA\0DOCUMENT" (no NUL: the schema text validates itself).
// Holds: compile refuses with std::invalid_argument and nothing else; validate never throws and
// gives the same answer twice (it is shared between threads and must keep no state); a failure
// is a message that names a JSON Pointer ("/..." first).
#include "Fuzz.h"

#include "json/Schema.h"

#include <optional>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using warren::fuzz::check;
  const auto parts = warren::fuzz::split(warren::fuzz::text(data, size), '\0', 2);
  std::optional<warren::json::Schema> schema;
  try {
    schema = warren::json::Schema::compile(parts[0]);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  const std::string& document = parts.size() > 1 ? parts[1] : parts[0];
  const auto first = schema->validate(document);
  const auto again = schema->validate(document);
  check(first == again, "validate gave two different answers for one document");
  check(!first || (!first->empty() && first->front() == '/'),
        "a validation failure does not start with a JSON Pointer");
  return 0;
}
