// The request model of docs/ai.md: what a plugin may send, and refusals that name the field.
#include "ai/Failure.h"
#include "ai/Request.h"

#include <gtest/gtest.h>

namespace warren::ai {
namespace {

std::string refusal(const std::string& json) {
  try {
    parseCompleteRequest(json);
  } catch (const Failure& f) {
    EXPECT_EQ(f.fault(), Fault::invalid);
    return f.what();
  }
  return "";
}

std::string embedRefusal(const std::string& json) {
  try {
    parseEmbedRequest(json);
  } catch (const Failure& f) {
    EXPECT_EQ(f.fault(), Fault::invalid);
    return f.what();
  }
  return "";
}

TEST(CompleteRequest, EveryField) {
  const auto r = parseCompleteRequest(R"({
    "system": "be brief",
    "messages": [{"role": "user", "content": [
       {"type": "text", "text": "look"},
       {"type": "image", "storage_key": "uploads/a.jpg"},
       {"type": "image", "file": "/tmp/b.png"},
       {"type": "image", "url": "https://example.com/c.gif?sig=1"},
       {"type": "image", "data": "AAAA", "media_type": "image/png"}]},
      {"role": "assistant", "content": "ok"},
      {"role": "user", "content": "again"}],
    "max_tokens": 800, "temperature": 0.2,
    "json_schema": {"type": "object", "properties": {"a": {"type": "string"}}},
    "schema_name": "analysis", "model": "gpt-4o-mini", "timeout_ms": 5000})");
  EXPECT_EQ(r.system, "be brief");
  ASSERT_EQ(r.messages.size(), 3u);
  ASSERT_EQ(r.messages[0].parts.size(), 5u);
  EXPECT_EQ(r.messages[0].parts[1].source.kind, ImageSource::Kind::storageKey);
  EXPECT_EQ(r.messages[0].parts[2].source.kind, ImageSource::Kind::file);
  EXPECT_EQ(r.messages[0].parts[3].source.kind, ImageSource::Kind::url);
  EXPECT_EQ(r.messages[0].parts[4].source.mediaType, "image/png");
  EXPECT_EQ(r.messages[1].parts[0].text, "ok");
  EXPECT_EQ(r.maxTokens, 800u);
  EXPECT_DOUBLE_EQ(*r.temperature, 0.2);
  ASSERT_TRUE(r.schema && r.validator);
  EXPECT_EQ(r.validator->validate(R"({"a":1})"), "/a: expected a string");
  EXPECT_EQ(r.schemaName, "analysis");
  EXPECT_EQ(r.model, "gpt-4o-mini");
  EXPECT_EQ(*r.timeoutMs, 5000);
}

TEST(CompleteRequest, Defaults) {
  const auto r = parseCompleteRequest(R"({"messages":[{"role":"user","content":"hi"}]})");
  EXPECT_EQ(r.maxTokens, 1024u);
  EXPECT_FALSE(r.temperature);
  EXPECT_FALSE(r.schema);
  EXPECT_EQ(r.schemaName, "result");
  EXPECT_TRUE(r.model.empty());
  EXPECT_FALSE(r.timeoutMs);
}

TEST(CompleteRequest, RefusalsNameTheField) {
  EXPECT_EQ(refusal("not json").substr(0, 23), "request: not valid JSON");
  EXPECT_EQ(refusal("[]"), "request: expected a JSON object");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"x"}],"stream":true})"),
            "stream: unknown field");
  EXPECT_EQ(refusal(R"({})"), "messages: required");
  EXPECT_EQ(refusal(R"({"messages":[]})"), "messages: expected a non-empty array");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"system","content":"x"}]})"),
            "messages[0].role: expected user or assistant");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"assistant","content":"x"}]})"),
            "messages[0].role: the first message is user");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":""}]})"),
            "messages[0].content: must not be empty");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":[{"type":"audio"}]}]})"),
            "messages[0].content[0].type: expected text or image");
  EXPECT_EQ(
      refusal(R"({"messages":[{"role":"user","content":[{"type":"text","text":"a","x":1}]}]})"),
      "messages[0].content[0].x: unknown field");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":[{"type":"image"}]}]})"),
            "messages[0].content[0]: an image part takes exactly one of storage_key, file, url or "
            "data");
  EXPECT_EQ(
      refusal(
          R"({"messages":[{"role":"user","content":[{"type":"image","url":"a","file":"/b"}]}]})"),
      "messages[0].content[0]: an image part takes exactly one of storage_key, file, url or "
      "data");
  EXPECT_EQ(
      refusal(R"({"messages":[{"role":"user","content":[{"type":"image","file":"rel.png"}]}]})"),
      "messages[0].content[0].file: expected an absolute path");
  EXPECT_EQ(
      refusal(R"({"messages":[{"role":"user","content":[{"type":"image","url":"ftp://x"}]}]})"),
      "messages[0].content[0].url: expected an http:// or https:// URL");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":[{"type":"image","data":"AAAA"}]}]})"),
            "messages[0].content[0].media_type: required with data");
  EXPECT_EQ(
      refusal(
          R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":[{"type":"image","url":"http://x"}]}]})"),
      "messages[1].content[0]: images go in user messages only");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"max_tokens":0})"),
            "max_tokens: expected a whole number from 1 to 1000000");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"max_tokens":"9"})"),
            "max_tokens: expected a whole number");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"temperature":3})"),
            "temperature: expected a number from 0 to 2");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"json_schema":"x"})"),
            "json_schema: expected a JSON Schema object");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"schema_name":"x"})"),
            "schema_name: only with json_schema");
  EXPECT_EQ(
      refusal(
          R"({"messages":[{"role":"user","content":"a"}],"json_schema":{},"schema_name":"a b"})"),
      "schema_name: expected at most 64 of A-Z a-z 0-9 _ -");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"model":"a b"})"),
            "model: not a model name");
  EXPECT_EQ(refusal(R"({"messages":[{"role":"user","content":"a"}],"timeout_ms":-1})"),
            "timeout_ms: expected a whole number from 1 to 3600000");
}

TEST(CompleteRequest, AnUncompilableSchemaIsRefused) {
  const std::string why = refusal(
      R"({"messages":[{"role":"user","content":"a"}],"json_schema":{"type":"object","properties":{"a":{"$ref":"#/nowhere"}}}})");
  EXPECT_EQ(why.rfind("json_schema: ", 0), 0u) << why;
}

TEST(CompleteRequest, ModelNamesOfEveryKind) {
  for (const char* m : {"gpt-4o-mini", "llama3.1:8b", "org/model", "models/gemini-2.5-flash",
                        "claude-sonnet-4-5@20250929"}) {
    EXPECT_TRUE(validModelName(m)) << m;
  }
  for (const char* m : {"", "a b", "x\ny", "../../etc?x=1"}) EXPECT_FALSE(validModelName(m)) << m;
}

TEST(EmbedRequest, FieldsAndDefaults) {
  const auto r = parseEmbedRequest(
      R"({"texts":["a","b"],"model":"m","dimensions":256,"task":"query","encoding":"float"})");
  EXPECT_EQ(r.texts, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.model, "m");
  EXPECT_EQ(*r.dimensions, 256u);
  EXPECT_EQ(r.task, EmbedTask::query);
  EXPECT_FALSE(r.base64);
  const auto d = parseEmbedRequest(R"({"texts":["a"]})");
  EXPECT_TRUE(d.base64);
  EXPECT_EQ(d.task, EmbedTask::document);
  EXPECT_FALSE(d.dimensions);
}

TEST(EmbedRequest, RefusalsNameTheField) {
  EXPECT_EQ(embedRefusal(R"({})"), "texts: required");
  EXPECT_EQ(embedRefusal(R"({"texts":[]})"), "texts: expected a non-empty array of strings");
  EXPECT_EQ(embedRefusal(R"({"texts":["a",""]})"), "texts[1]: must not be empty");
  EXPECT_EQ(embedRefusal(R"({"texts":["a",3]})"), "texts[1]: expected a string");
  EXPECT_EQ(embedRefusal(R"({"texts":["a"],"dimensions":0})"),
            "dimensions: expected a whole number from 1 to 65536");
  EXPECT_EQ(embedRefusal(R"({"texts":["a"],"task":"cluster"})"),
            "task: expected document or query");
  EXPECT_EQ(embedRefusal(R"({"texts":["a"],"encoding":"int8"})"),
            "encoding: expected base64 or float");
  EXPECT_EQ(embedRefusal(R"({"texts":["a"],"input":["b"]})"), "input: unknown field");
}

}  // namespace
}  // namespace warren::ai
