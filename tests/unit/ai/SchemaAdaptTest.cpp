// Each provider's subset of JSON Schema for structured output, and the reply restored for the
// original schema.
#include "ai/Failure.h"
#include "ai/SchemaAdapt.h"

#include <gtest/gtest.h>

#include "JsonEq.h"

namespace warren::ai {
namespace {

const Json kAnalysis = Json::parse(R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "properties": {
    "summary": {"type": "string", "minLength": 1, "maxLength": 500},
    "tone": {"type": "string", "enum": ["formal", "casual"]},
    "score": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
    "topics": {"type": "array", "items": {"type": "string"}, "maxItems": 5, "uniqueItems": true},
    "media": {"type": "object", "properties": {"width": {"type": "integer"}},
              "required": ["width"], "additionalProperties": false}
  },
  "required": ["summary", "topics"],
  "additionalProperties": false
})");

TEST(OpenAiStrict, EveryPropertyRequiredOptionalOnesNullable) {
  const AdaptedSchema a = openAiStrictSchema(kAnalysis);
  EXPECT_FALSE(a.wrapped);
  EXPECT_TRUE(a.strictNulls);
  const Json& s = a.schema;
  EXPECT_JSON_EQ(s["required"], Json::parse(R"(["summary","tone","score","topics","media"])"));
  EXPECT_EQ(s["additionalProperties"], false);
  EXPECT_FALSE(s.contains("$schema"));
  // summary was required: not nullable; strict mode refuses minLength/maxLength.
  EXPECT_JSON_EQ(s["properties"]["summary"], Json::parse(R"({"type":"string"})"));
  // tone was optional: null joins its type and its enum.
  EXPECT_JSON_EQ(s["properties"]["tone"],
                 Json::parse(R"({"type":["string","null"],"enum":["formal","casual",null]})"));
  EXPECT_JSON_EQ(s["properties"]["score"],
                 Json::parse(R"({"type":["number","null"],"minimum":0,"maximum":1})"));
  EXPECT_JSON_EQ(s["properties"]["topics"],
                 Json::parse(R"({"type":"array","items":{"type":"string"},"maxItems":5})"));
  EXPECT_JSON_EQ(s["properties"]["media"]["type"], Json::parse(R"(["object","null"])"));
  EXPECT_EQ(s["properties"]["media"]["additionalProperties"], false);
  EXPECT_JSON_EQ(s["properties"]["media"]["required"], Json::parse(R"(["width"])"));
}

TEST(OpenAiStrict, NestedObjectsWithoutAdditionalPropertiesGetIt) {
  const Json schema = Json::parse(
      R"({"type":"object","properties":{"items":{"type":"array","items":{"properties":{"a":{"type":"string"}}}}}})");
  const Json s = openAiStrictSchema(schema).schema;
  const Json& item = s["properties"]["items"]["items"];
  EXPECT_EQ(item["type"], "object");
  EXPECT_EQ(item["additionalProperties"], false);
  EXPECT_JSON_EQ(item["required"], Json::parse(R"(["a"])"));
}

TEST(OpenAiStrict, ARootThatIsNotAnObjectIsWrapped) {
  const AdaptedSchema a =
      openAiStrictSchema(Json::parse(R"({"type":"array","items":{"type":"string"}})"));
  EXPECT_TRUE(a.wrapped);
  EXPECT_JSON_EQ(a.schema, Json::parse(R"({"type":"object","properties":{"value":{"type":"array",
             "items":{"type":"string"}}},"required":["value"],"additionalProperties":false})"));
  const Json reply =
      restoreReply(Json::parse(R"({"value":["a","b"]})"), Json::parse(R"({"type":"array"})"), a);
  EXPECT_JSON_EQ(reply, Json::parse(R"(["a","b"])"));
}

TEST(OpenAiStrict, OneOfBecomesAnyOfAndDefsStayAtTheRoot) {
  const Json schema = Json::parse(R"({"oneOf":[{"$ref":"#/$defs/a"},{"type":"string"}],
      "$defs":{"a":{"type":"object","properties":{"x":{"type":"integer"}}}}})");
  const AdaptedSchema a = openAiStrictSchema(schema);
  EXPECT_TRUE(a.wrapped);
  EXPECT_TRUE(a.schema["$defs"]["a"].contains("additionalProperties"));
  EXPECT_FALSE(a.schema["properties"]["value"].contains("$defs"));
  EXPECT_TRUE(a.schema["properties"]["value"].contains("anyOf"));
  EXPECT_FALSE(a.schema["properties"]["value"].contains("oneOf"));
}

TEST(OpenAiStrict, TheNullsOfOptionalPropertiesLeaveTheReply) {
  const AdaptedSchema a = openAiStrictSchema(kAnalysis);
  const Json reply =
      Json::parse(R"({"summary":"s","tone":null,"score":null,"topics":[],"media":null})");
  // score allows null in the original, so it stays; tone and media do not.
  EXPECT_JSON_EQ(restoreReply(reply, kAnalysis, a),
                 Json::parse(R"({"summary":"s","score":null,"topics":[]})"));
  // A null the original requires is left for the validator to report.
  EXPECT_JSON_EQ(restoreReply(Json::parse(R"({"summary":null,"topics":[]})"), kAnalysis, a),
                 Json::parse(R"({"summary":null,"topics":[]})"));
}

TEST(OpenAiStrict, NullsAreStrippedInsideArraysAndRefs) {
  const Json schema = Json::parse(R"({"type":"object","properties":{
      "list":{"type":"array","items":{"$ref":"#/definitions/e"}}},"required":["list"],
      "definitions":{"e":{"type":"object","properties":{"n":{"type":"string"},"m":{"type":"string"}},"required":["n"]}}})");
  const AdaptedSchema a = openAiStrictSchema(schema);
  EXPECT_JSON_EQ(
      restoreReply(Json::parse(R"({"list":[{"n":"a","m":null},{"n":"b","m":"c"}]})"), schema, a),
      Json::parse(R"({"list":[{"n":"a"},{"n":"b","m":"c"}]})"));
}

TEST(GeminiSchema, UpperCaseTypesNoAdditionalPropertiesNullable) {
  const Json s = geminiSchema(kAnalysis).schema;
  EXPECT_EQ(s["type"], "OBJECT");
  EXPECT_FALSE(s.contains("additionalProperties"));
  EXPECT_FALSE(s.contains("$schema"));
  EXPECT_JSON_EQ(s["required"], Json::parse(R"(["summary","topics"])"));
  EXPECT_JSON_EQ(s["propertyOrdering"],
                 Json::parse(R"(["summary","tone","score","topics","media"])"));
  EXPECT_JSON_EQ(s["properties"]["summary"],
                 Json::parse(R"({"type":"STRING","minLength":1,"maxLength":500})"));
  EXPECT_JSON_EQ(s["properties"]["tone"],
                 Json::parse(R"({"type":"STRING","enum":["formal","casual"]})"));
  EXPECT_JSON_EQ(s["properties"]["score"],
                 Json::parse(R"({"type":"NUMBER","nullable":true,"minimum":0,"maximum":1})"));
  EXPECT_JSON_EQ(s["properties"]["topics"],
                 Json::parse(R"({"type":"ARRAY","items":{"type":"STRING"},"maxItems":5})"));
  EXPECT_FALSE(s["properties"]["media"].contains("additionalProperties"));
  EXPECT_EQ(s["properties"]["media"]["properties"]["width"]["type"], "INTEGER");
}

TEST(GeminiSchema, RefsAreInlinedAndRecursionRefused) {
  const Json schema = Json::parse(R"({"type":"object","properties":{"a":{"$ref":"#/$defs/x"}},
      "$defs":{"x":{"type":"string","const":"k"}}})");
  const Json s = geminiSchema(schema).schema;
  EXPECT_FALSE(s.contains("$defs"));
  EXPECT_JSON_EQ(s["properties"]["a"], Json::parse(R"({"type":"STRING","enum":["k"]})"));
  const Json recursive = Json::parse(R"({"$ref":"#/$defs/n","$defs":{"n":{"type":"object",
      "properties":{"next":{"$ref":"#/$defs/n"}}}}})");
  EXPECT_THROW(geminiSchema(recursive), Failure);
}

TEST(GeminiSchema, SeveralTypesBecomeAnyOfAndNonStringEnumsAreLeftToTheValidator) {
  const Json s =
      geminiSchema(Json::parse(
                       R"({"type":"object","properties":{"v":{"type":["string","integer"]},
          "n":{"type":"integer","enum":[1,2,3]},"o":{"oneOf":[{"type":"string"},{"type":"boolean"}]}}})"))
          .schema;
  EXPECT_JSON_EQ(s["properties"]["v"],
                 Json::parse(R"({"anyOf":[{"type":"STRING"},{"type":"INTEGER"}]})"));
  EXPECT_JSON_EQ(s["properties"]["n"], Json::parse(R"({"type":"INTEGER"})"));
  EXPECT_JSON_EQ(s["properties"]["o"],
                 Json::parse(R"({"anyOf":[{"type":"STRING"},{"type":"BOOLEAN"}]})"));
}

TEST(AnthropicSchema, ObjectRootAsGivenElseWrapped) {
  const AdaptedSchema a = anthropicToolSchema(kAnalysis);
  EXPECT_FALSE(a.wrapped);
  EXPECT_FALSE(a.strictNulls);
  Json expected = kAnalysis;
  expected.erase("$schema");
  EXPECT_EQ(a.schema, expected);
  const AdaptedSchema w = anthropicToolSchema(Json::parse(R"({"type":"string"})"));
  EXPECT_TRUE(w.wrapped);
  EXPECT_EQ(w.schema["type"], "object");
  EXPECT_JSON_EQ(
      restoreReply(Json::parse(R"({"value":"x"})"), Json::parse(R"({"type":"string"})"), w), "x");
}

}  // namespace
}  // namespace warren::ai
