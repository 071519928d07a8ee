// The embed plugin's JSON Schemas (plugins/embed/schemas), compiled by the host's validator as
// it checks job data: the documented examples pass, bad data is refused naming the field.
#include "json/Schema.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace warren::json {
namespace {

Schema load(const std::string& name) {
  std::ifstream in(std::filesystem::path(WARREN_TEST_SOURCE_DIR) / "plugins/embed/schemas" /
                   (name + ".json"));
  std::ostringstream text;
  text << in.rdbuf();
  return Schema::compile(text.str());
}

TEST(EmbedSchemas, GenerateDataAcceptsTheDocumentedShapes) {
  const Schema schema = load("generate.data");
  EXPECT_EQ(
      schema.validate(
          R"({"brandProfileId":"brand-42","items":[{"id":"post-9","text":"Our spring collection","contentType":"post"},{"text":"We are hiring"}],"model":"text-embedding-3-small"})"),
      std::nullopt);
  EXPECT_EQ(schema.validate(R"({"brandProfileId":42,"items":[{"id":7,"text":"x"}]})"),
            std::nullopt);
}

TEST(EmbedSchemas, GenerateDataRefusesBadData) {
  const Schema schema = load("generate.data");
  EXPECT_NE(schema.validate(R"({"items":[{"text":"x"}]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","items":[]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","items":[{"id":"x"}]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","items":[{"text":""}]})"), std::nullopt);
  EXPECT_NE(
      schema.validate(R"({"brandProfileId":"b","items":[{"text":"x","contentType":"Not OK"}]})"),
      std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","items":[{"text":"x"}],"extra":1})"),
            std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"","items":[{"text":"x"}]})"), std::nullopt);
  std::string many = R"({"brandProfileId":"b","items":[)";
  for (int i = 0; i < 501; ++i) many += std::string(i ? "," : "") + R"({"text":"x"})";
  EXPECT_NE(schema.validate(many + "]}"), std::nullopt);
  const auto missing = schema.validate(R"({"brandProfileId":"b"})");
  ASSERT_TRUE(missing.has_value());
  EXPECT_NE(missing->find("items"), std::string::npos) << *missing;
}

TEST(EmbedSchemas, SimilarityDataTakesTextsOrEmbeddings) {
  const Schema schema = load("similarity.data");
  EXPECT_EQ(
      schema.validate(R"({"brandProfileId":"b","texts":["a post"],"days":30,"threshold":0.9})"),
      std::nullopt);
  EXPECT_EQ(schema.validate(R"({"brandProfileId":"b","embeddings":[[0.1,-0.2,0.3]],"model":"m"})"),
            std::nullopt);
  EXPECT_EQ(schema.validate(R"({"brandProfileId":7,"embeddings":["AACAPwAAAMA="]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b"})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","texts":["a"],"embeddings":[[1]]})"),
            std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","texts":[]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","embeddings":[[]]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","embeddings":[["x"]]})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","texts":["a"],"days":0})"), std::nullopt);
  EXPECT_NE(schema.validate(R"({"brandProfileId":"b","texts":["a"],"threshold":1.5})"),
            std::nullopt);
}

TEST(EmbedSchemas, ResultSchemasCompileAndDescribeTheResults) {
  EXPECT_EQ(
      load("generate.result")
          .validate(
              R"({"ids":["0123456789abcdef0123456789abcdef"],"model":"warren-hash-1","dimensions":512,"provider":"offline","storage":"sqlite-base64"})"),
      std::nullopt);
  EXPECT_NE(
      load("generate.result")
          .validate(
              R"({"ids":["short"],"model":"m","dimensions":1,"provider":"p","storage":"sqlite-base64"})"),
      std::nullopt);
  EXPECT_EQ(
      load("similarity.result")
          .validate(
              R"({"results":[{"similarity":null,"id":null,"duplicate":false}],"model":null,"dimensions":512,"days":30,"threshold":0.9,"method":"scan","compared":0})"),
      std::nullopt);
}

}  // namespace
}  // namespace warren::json
