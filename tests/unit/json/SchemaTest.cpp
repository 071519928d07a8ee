// JSON Schema validation as plugins' job data and AI replies meet it: exact messages naming the
// failing value by its JSON Pointer, refusals of bad schemas with their reason, and patterns that
// stay safe on long untrusted strings.
#include "json/Schema.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace warren::test {
namespace {

using json::Schema;

const char* const kAnalyze = R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["kind", "platforms"],
  "additionalProperties": false,
  "properties": {
    "kind": {"enum": ["text", "image", "video", "url"]},
    "platforms": {"type": "array", "minItems": 1, "items": {"type": "string"}},
    "items": {"type": "array", "items": {
      "type": "object", "properties": {"text": {"type": "string", "minLength": 2}}}},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "ratio": {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.5},
    "tag": {"type": "string", "pattern": "^[a-z]+$", "maxLength": 8},
    "note": {"type": ["string", "null"]},
    "language": {"$ref": "#/definitions/language"},
    "when": {"type": "string", "format": "date-time"},
    "mode": {"const": "strict"},
    "meta": {"type": "object", "maxProperties": 1,
             "patternProperties": {"^x-": {"type": "number"}}}
  },
  "definitions": {"language": {"type": "string", "enum": ["en", "de", "fr"]}}
})";

std::string failure(const Schema& schema, const std::string& data) {
  const auto result = schema.validate(data);
  return result.value_or("<valid>");
}

TEST(Schema, AcceptsValidData) {
  const Schema schema = Schema::compile(kAnalyze);
  EXPECT_EQ(schema.validate(R"({"kind":"text","platforms":["x"]})"), std::nullopt);
  EXPECT_EQ(schema.validate(R"({"kind":"url","platforms":["x","y"],"items":[{"text":"ab"}],
      "count":3,"ratio":1.5,"tag":"abc","note":null,"language":"de",
      "when":"2026-12-07T23:10:00.000Z","mode":"strict","meta":{"x-a":1}})"),
            std::nullopt);
}

TEST(Schema, NamesTheFailingValueAndWhatWasExpected) {
  const Schema schema = Schema::compile(kAnalyze);
  EXPECT_EQ(failure(schema, R"({"kind":"text","platforms":["x"],"items":[{"text":5}]})"),
            "/items/0/text: expected a string");
  EXPECT_EQ(failure(schema, R"({"kind":"txt","platforms":["x"]})"),
            "/kind: must be one of text, image, video, url");
  EXPECT_EQ(failure(schema, R"({"kind":"text"})"), "/: missing required property 'platforms'");
  EXPECT_EQ(failure(schema, "[]"), "/: expected an object");
}

TEST(Schema, GivesAtMostThreeFailuresInValidationOrder) {
  const Schema schema = Schema::compile(kAnalyze);
  EXPECT_EQ(failure(schema, R"({"kind":"txt","items":[{"text":5}]})"),
            "/items/0/text: expected a string; /kind: must be one of text, image, video, url; "
            "/: missing required property 'platforms'");
  EXPECT_EQ(failure(schema, R"({"kind":"txt","items":[{"text":5}],"count":0,"tag":"A"})"),
            "/count: must be >= 1; /items/0/text: expected a string; "
            "/kind: must be one of text, image, video, url");
}

TEST(Schema, WordsEachKindOfConstraint) {
  const Schema schema = Schema::compile(kAnalyze);
  const std::string base = R"({"kind":"text","platforms":["x"],)";
  auto with = [&](const std::string& member) { return failure(schema, base + member + "}"); };
  EXPECT_EQ(with(R"("count":11)"), "/count: must be <= 10");
  EXPECT_EQ(with(R"("count":2.5)"), "/count: expected an integer");
  EXPECT_EQ(with(R"("count":2.0)"), "<valid>");  // draft 7: an integral number is an integer
  EXPECT_EQ(with(R"("ratio":0)"), "/ratio: must be > 0");
  EXPECT_EQ(with(R"("ratio":0.7)"), "/ratio: must be a multiple of 0.5");
  EXPECT_EQ(with(R"("items":[{"text":"a"}])"), "/items/0/text: must be at least 2 characters long");
  EXPECT_EQ(with(R"("tag":"abcdefghi")"), "/tag: must be at most 8 characters long");
  EXPECT_EQ(with(R"("tag":"A1")"), "/tag: must match the pattern '^[a-z]+$'");
  EXPECT_EQ(with(R"("note":5)"), "/note: expected a string or null");
  EXPECT_EQ(with(R"("language":"es")"), "/language: must be one of en, de, fr");
  EXPECT_EQ(with(R"("when":"2026-02-30T10:00:00Z")"),
            "/when: must be a date-time (RFC 3339, e.g. 2026-12-07T23:10:00Z)");
  EXPECT_EQ(with(R"("mode":"lax")"), "/mode: must be strict");
  EXPECT_EQ(with(R"("meta":{"x-a":"1"})"), "/meta/x-a: expected a number");
  EXPECT_EQ(with(R"("meta":{"a":1,"b":2})"), "/meta: must have at most 1 properties");
  EXPECT_EQ(with(R"("extra":1)"), "/: unexpected property 'extra'");
  EXPECT_EQ(failure(schema, R"({"kind":"text","platforms":[]})"),
            "/platforms: must have at least 1 items");
}

TEST(Schema, EscapesPointerTokens) {
  const Schema schema =
      Schema::compile(R"({"properties":{"a/b":{"properties":{"c~d":{"type":"boolean"}}}}})");
  EXPECT_EQ(failure(schema, R"({"a/b":{"c~d":1}})"), "/a~1b/c~0d: expected a boolean");
}

TEST(Schema, ListsTheFailuresOfEveryAlternative) {
  const Schema schema = Schema::compile(
      R"({"properties":{"v":{"anyOf":[{"type":"string"},{"type":"integer"}]},
          "w":{"oneOf":[{"minimum":1},{"minimum":2}]}}})");
  EXPECT_EQ(failure(schema, R"({"v":true})"), "/v: expected a string; /v: expected an integer");
  EXPECT_EQ(failure(schema, R"({"w":3})"), "/w: matches more than one of the oneOf alternatives");
}

TEST(Schema, RepeatedFailuresAreGivenOnce) {
  const Schema schema = Schema::compile(R"({"items":{"enum":[1,2]}})");
  EXPECT_EQ(failure(schema, "[3,4,1,\"x\"]"),
            "/0: must be one of 1, 2; /1: must be one of 1, 2; /3: must be one of 1, 2");
}

TEST(Schema, BooleanSchemas) {
  EXPECT_EQ(Schema::compile("true").validate("{\"any\":1}"), std::nullopt);
  EXPECT_EQ(failure(Schema::compile("false"), "1"), "/: does not match the schema");
}

TEST(Schema, DataThatIsNotJson) {
  const Schema schema = Schema::compile("{}");
  EXPECT_EQ(failure(schema, "{\"a\":"),
            "/: not valid JSON (parse error at line 1, column 6: syntax error while parsing "
            "value - unexpected end of input; expected '[', '{', or a literal)");
  EXPECT_EQ(failure(schema, std::string(600, '[') + std::string(600, ']')),
            "/: not valid JSON (nested too deeply)");
}

TEST(Schema, RefusesTextThatIsNotASchema) {
  auto reason = [](const std::string& text) {
    try {
      Schema::compile(text);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("<compiled>");
  };
  EXPECT_EQ(reason("{\"type\":"),
            "schema is not JSON: parse error at line 1, column 9: syntax error while parsing "
            "value - unexpected end of input; expected '[', '{', or a literal");
  EXPECT_EQ(reason("[]"), "a schema is an object or a boolean, not an array");
  EXPECT_EQ(reason("5"), "a schema is an object or a boolean, not a number");
  EXPECT_EQ(reason(R"({"type":"strin"})"),
            "not a valid JSON Schema: Unrecognised JSON type name 'strin'");
  EXPECT_EQ(reason(R"({"minimum":"a"})"),
            "not a valid JSON Schema: Expected numeric value for minimum constraint.");
  EXPECT_EQ(reason(R"({"$ref":"http://example.com/s.json"})"),
            "not a valid JSON Schema: Fetching of remote JSON References not enabled.");
  // Found by the json_schema fuzz target (tests/fuzz/JsonSchema.cpp): valijson followed these
  // $ref chains until the stack overflowed, so a plugin declaring one killed the host.
  EXPECT_EQ(reason(R"({"$ref":"#"})"),
            "not a valid JSON Schema: $ref '#' leads into a cycle of $refs with no schema in it");
  EXPECT_EQ(reason(R"({"$ref":"x"})"),
            "not a valid JSON Schema: $ref 'x' leads into a cycle of $refs with no schema in it");
  EXPECT_EQ(reason(R"({"items":{"$ref":"#/items/"}})"),
            "not a valid JSON Schema: $ref '#/items/' leads into a cycle of $refs with no schema "
            "in it");
  EXPECT_EQ(
      reason(R"({"definitions":{"a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},)"
             R"("properties":{"x":{"$ref":"#/definitions/a"}}})"),
      "not a valid JSON Schema: $ref '#/definitions/b' leads into a cycle of $refs with no "
      "schema in it");
  EXPECT_EQ(reason(R"({"pattern":"(("})"),
            "not a valid JSON Schema: pattern '((' is not a valid regular expression: missing "
            "closing parenthesis at offset 2");
  EXPECT_EQ(reason(R"({"patternProperties":{"[":{}}})"),
            "not a valid JSON Schema: pattern '[' is not a valid regular expression: missing "
            "terminating ] for character class at offset 1");
  EXPECT_EQ(reason(R"({"$schema":"https://json-schema.org/draft/2020-12/schema"})"),
            "$schema is 'https://json-schema.org/draft/2020-12/schema'; only JSON Schema draft 7 "
            "is supported");
  // A pattern inside a value is data, not a schema.
  EXPECT_EQ(reason(R"({"const":{"pattern":"(("}})"), "<compiled>");
}

// A $ref cycle with a schema in it is a recursive type, and stays allowed.
TEST(Schema, RecursiveSchemasThroughRefs) {
  const Schema tree = Schema::compile(
      R"({"$ref":"#/definitions/node","definitions":{"alias":{"$ref":"#/definitions/node"},)"
      R"("node":{"type":"object","properties":{"name":{"type":"string"},)"
      R"("children":{"type":"array","items":{"$ref":"#/definitions/alias"}}}}}})");
  EXPECT_EQ(tree.validate(R"({"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]})"),
            std::nullopt);
  EXPECT_EQ(failure(tree, R"({"name":"a","children":[{"children":[{"name":1}]}]})"),
            "/children/0/children/0/name: expected a string");
}

TEST(Schema, PatternsFollowEcmaScript) {
  const Schema schema = Schema::compile(R"({"pattern":"^\\d+$"})");
  EXPECT_EQ(schema.validate("\"123\""), std::nullopt);
  // `$` is the end of the string, not a line end before it.
  EXPECT_EQ(failure(schema, "\"123\\n\""), "/: must match the pattern '^\\d+$'");
  EXPECT_EQ(Schema::compile(R"({"pattern":"^caf\u00e9$"})").validate("\"caf\\u00e9\""),
            std::nullopt);
}

// std::regex recurses per character and overflows the stack on strings of this size.
TEST(Schema, LongStringsAgainstPatternsAndFormats) {
  const std::string longText(1'000'000, 'a');
  const Schema pattern = Schema::compile(R"({"properties":{"p":{"pattern":"^a+$"}},
      "patternProperties":{"^a+$":{"type":"string"}}})");
  EXPECT_EQ(pattern.validate("{\"p\":\"" + longText + "\"}"), std::nullopt);
  EXPECT_EQ(failure(pattern, "{\"" + longText + "\":1}"), "/" + longText + ": expected a string");
  const Schema date = Schema::compile(R"({"format":"date"})");
  EXPECT_EQ(failure(date, "\"" + std::string(1'000'000, '1') + "\""),
            "/: must be a date (YYYY-MM-DD)");
  // Catastrophic backtracking ends at the match limit with a failure, not a hang.
  const Schema slow = Schema::compile(R"({"pattern":"^(a+)+$"})");
  EXPECT_EQ(failure(slow, "\"" + std::string(64, 'a') + "b\""),
            "/: could not be matched against the pattern '^(a+)+$' within the match limit");
}

TEST(Schema, Formats) {
  const Schema schema = Schema::compile(R"({"properties":{"d":{"format":"date"},
      "t":{"format":"time"},"dt":{"format":"date-time"},"e":{"format":"email"}}})");
  for (const char* ok :
       {R"({"d":"2024-02-29"})", R"({"t":"23:59:60.5+01:00"})", R"({"dt":"2026-12-07t23:10:00z"})",
        R"({"e":"not checked"})", R"({"d":5})"}) {
    EXPECT_EQ(schema.validate(ok), std::nullopt) << ok;
  }
  EXPECT_EQ(failure(schema, R"({"d":"2023-02-29"})"), "/d: must be a date (YYYY-MM-DD)");
  EXPECT_EQ(failure(schema, R"({"t":"24:00:00Z"})"),
            "/t: must be a time (HH:MM:SS with Z or an offset such as +01:00)");
  EXPECT_EQ(failure(schema, R"({"dt":"2026-12-07 23:10:00Z"})"),
            "/dt: must be a date-time (RFC 3339, e.g. 2026-12-07T23:10:00Z)");
}

TEST(Schema, CopiesShareOneCompiledSchemaAcrossThreads) {
  const Schema schema = Schema::compile(kAnalyze);
  const Schema copy = schema;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(&copy.text(), &schema.text());
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&copy, &wrong, t] {
      for (int i = 0; i < 500; ++i) {
        if (copy.validate(R"({"kind":"text","platforms":["x"],"tag":"abc"})").has_value()) {
          ++wrong[t];
        }
        if (copy.validate(R"({"kind":"text","platforms":["x"],"tag":"A"})") !=
            "/tag: must match the pattern '^[a-z]+$'") {
          ++wrong[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace warren::test
