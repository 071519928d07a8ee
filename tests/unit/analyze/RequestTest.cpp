// content:analyze job data read by the plugin (behind the host's schema check): the same
// refusals for a host that checks nothing.
#include "Request.h"

#include "job/Failure.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using analyze::Kind;
using analyze::parseRequest;
using common::Json;

std::string refusal(const Json& data) {
  try {
    parseRequest(data);
  } catch (const common::job::Unrecoverable& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(AnalyzeRequest, EveryField) {
  const analyze::Request r = parseRequest({{"kind", "image"},
                                           {"key", "uploads/a.jpg"},
                                           {"text", "caption"},
                                           {"language", "PT-BR"},
                                           {"store", true},
                                           {"materialId", 42},
                                           {"brandProfileId", "b-7"}});
  EXPECT_EQ(r.kind, Kind::image);
  EXPECT_EQ(r.key, "uploads/a.jpg");
  EXPECT_EQ(r.text, "caption");
  EXPECT_EQ(r.language, "pt-br");
  EXPECT_TRUE(r.store);
  EXPECT_EQ(r.materialId, "42");
  EXPECT_EQ(r.brandProfileId, "b-7");
  EXPECT_FALSE(r.url);
}

TEST(AnalyzeRequest, RefusalsNameTheField) {
  EXPECT_EQ(refusal(Json::array()), "invalid job data: expected a JSON object");
  EXPECT_EQ(refusal({{"text", "x"}}),
            "invalid job data: 'kind' is required (text, image, video or url)");
  EXPECT_EQ(refusal({{"kind", "audio"}}),
            "invalid job data: 'kind' must be text, image, video or url, not 'audio'");
  EXPECT_EQ(refusal({{"kind", "text"}}), "invalid job data: kind 'text' needs 'text' or 'key'");
  EXPECT_EQ(refusal({{"kind", "text"}, {"text", "x"}, {"url", "https://a.example"}}),
            "invalid job data: kind 'text' takes no 'url' (use kind 'url')");
  EXPECT_EQ(refusal({{"kind", "url"}}), "invalid job data: kind 'url' needs 'url'");
  EXPECT_EQ(refusal({{"kind", "url"}, {"url", "https://a.example"}, {"key", "k"}}),
            "invalid job data: kind 'url' takes neither 'text' nor 'key'");
  EXPECT_EQ(refusal({{"kind", "video"}, {"text", "caption"}}),
            "invalid job data: kind 'video' needs 'key' (the video in object storage)");
  EXPECT_EQ(refusal({{"kind", "image"}, {"key", ""}}), "invalid job data: 'key' must not be empty");
  EXPECT_EQ(refusal({{"kind", "text"}, {"text", "x"}, {"store", "yes"}}),
            "invalid job data: 'store' must be true or false");
  EXPECT_EQ(refusal({{"kind", "text"}, {"text", "x"}, {"materialId", 1.5}}),
            "invalid job data: 'materialId' must be a string or a whole number");
  EXPECT_EQ(refusal({{"kind", "text"}, {"text", "x"}, {"lang", "en"}}),
            "invalid job data: unknown field 'lang'");
}

}  // namespace
}  // namespace warren::test
