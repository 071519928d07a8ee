// JSON reading at the plugin boundary (host/json/Json): wellFormed (the per-job check of job data
// and plugin results), objectMembers (the job options' fast path) and parse (Poco, any value).
// Holds: parse throws Poco::Exception and nothing else (callers catch only that); valid() is
// wellFormed or parse; objectMembers answers exactly for well-formed objects, with members whose
// values are well-formed; and wellFormed agrees with nlohmann's strict RFC 8259 parser, except
// where they differ on purpose (nesting deeper than 512, lone surrogate escapes, numbers out of
// double's range: all syntactically valid JSON that wellFormed accepts; and text after a NUL
// byte, which nlohmann takes for the end).
#include "Fuzz.h"

#include "json/Json.h"

#include <Poco/Exception.h>
#include <nlohmann/json.hpp>

namespace {

using warren::fuzz::check;

// The deepest nesting of brackets outside strings (a rough count: enough to leave out inputs
// past wellFormed's limit).
int depthOf(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inString) {
      if (c == '\\') ++i;
      if (c == '"') inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// Why nlohmann refuses the text, when it does.
std::string strictRefusal(std::string_view text) {
  try {
    (void)nlohmann::json::parse(text.begin(), text.end());
    return {};
  } catch (const nlohmann::json::exception& e) {
    return e.what();
  }
}

bool differsOnPurpose(const std::string& refusal) {
  return refusal.find("surrogate") != std::string::npos ||
         refusal.find("number overflow") != std::string::npos;
}

void checkMembers(std::string_view text, bool formed) {
  const auto members = warren::json::objectMembers(text);
  const auto first = text.find_first_not_of(" \t\r\n");
  const bool object = formed && first != std::string_view::npos && text[first] == '{';
  check(members.has_value() == object, "objectMembers disagrees with wellFormed");
  if (!members) return;
  for (const auto& member : *members) {
    check(warren::json::wellFormed("\"" + std::string(member.key) + "\""),
          "a member's key is not the text of a JSON string");
    check(warren::json::wellFormed(member.value), "a member's value is not well-formed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = warren::fuzz::text(data, size);
  const bool formed = warren::json::wellFormed(text);
  checkMembers(text, formed);

  bool parsed = false;
  try {
    const Poco::Dynamic::Var value = warren::json::parse(text);
    (void)warren::json::stringify(value);
    parsed = true;
  } catch (const Poco::Exception&) {
  }
  check(warren::json::valid(text) == (formed || parsed), "valid() is not wellFormed or parse");

  // nlohmann reads a NUL byte as the end of its input: no comparison there.
  if (text.find('\0') != std::string_view::npos || depthOf(text) > 500) return 0;
  const bool strict = nlohmann::json::accept(text.begin(), text.end());
  if (strict != formed) {
    const std::string refusal = strictRefusal(text);
    if (!(formed && differsOnPurpose(refusal))) {
      warren::fuzz::violated(std::string("wellFormed says ") + (formed ? "yes" : "no") +
                             ", nlohmann says " + (strict ? "yes" : "no: " + refusal));
    }
  }
  return 0;
}
