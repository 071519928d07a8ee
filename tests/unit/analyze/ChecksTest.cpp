// A provider's analysis checked beyond its schema: what a schema-valid reply can still get wrong.
#include "Checks.h"

#include "job/Failure.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using analyze::checkReply;
using analyze::ReplyRules;
using common::Json;

Json goodReply() {
  return {{"summary", "A bakery opens a second shop."},
          {"keyPoints", {"A second shop opens in Lyon."}},
          {"topics", {"bakery"}},
          {"keywords", {"bakery", "Lyon"}},
          {"entities", {{{"text", "Lyon"}, {"type", "place"}}}},
          {"tone", "informative"},
          {"sentiment", {{"label", "positive"}, {"score", 0.4}}},
          {"language", "en"},
          {"audience", "local customers"},
          {"hashtags", {"#Bakery", "#Lyon2026", "#pain_frais", "#Café"}},
          {"contentWarnings", Json::array()}};
}

std::string rejection(const Json& reply, const ReplyRules& rules = {}) {
  try {
    checkReply(reply, rules);
  } catch (const common::job::Unrecoverable& e) {
    return e.what();
  }
  return "(accepted)";
}

Json with(const char* field, Json value) {
  Json reply = goodReply();
  reply[field] = std::move(value);
  return reply;
}

TEST(AnalyzeChecks, AGoodReplyPasses) {
  EXPECT_EQ(rejection(goodReply()), "(accepted)");
  Json media = goodReply();
  media["description"] = "A shop front with bread in the window.";
  EXPECT_EQ(rejection(media, ReplyRules{true, {}}), "(accepted)");
}

TEST(AnalyzeChecks, LengthsAndCounts) {
  EXPECT_EQ(rejection(with("summary", std::string(1201, 'a'))),
            "AI reply rejected: summary: 1201 characters, more than 1200");
  // Characters, not bytes: 1200 two-byte letters pass.
  std::string accents;
  for (int i = 0; i < 1200; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(rejection(with("summary", accents)), "(accepted)");
  EXPECT_EQ(rejection(with("summary", "  ")), "AI reply rejected: summary: is empty");
  EXPECT_EQ(rejection(with("topics",
                           Json::array({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}))),
            "AI reply rejected: topics: 11 items, more than 10");
  EXPECT_EQ(rejection(with("keyPoints", Json::array({"ok", ""}))),
            "AI reply rejected: keyPoints[1]: is empty");
}

TEST(AnalyzeChecks, LanguageHashtagsAndEntities) {
  EXPECT_EQ(rejection(with("language", "English")),
            "AI reply rejected: language: 'English' is not an ISO 639-1 code (two lower-case "
            "letters)");
  EXPECT_EQ(rejection(with("language", "und")), "(accepted)");
  EXPECT_EQ(rejection(with("hashtags", Json::array({"#ok", "#two words"}))),
            "AI reply rejected: hashtags[1]: '#two words' is not '#' followed by letters, digits "
            "or '_'");
  EXPECT_EQ(rejection(with("hashtags", Json::array({"bakery"}))),
            "AI reply rejected: hashtags[0]: 'bakery' is not '#' followed by letters, digits or "
            "'_'");
  EXPECT_EQ(rejection(with("entities", Json::array({{{"text", ""}, {"type", "place"}}}))),
            "AI reply rejected: entities[0].text: is empty");
}

TEST(AnalyzeChecks, MarkupMarkersAndBannedTerms) {
  EXPECT_EQ(rejection(with("summary", "Nice <script>alert(1)</script>")),
            "AI reply rejected: summary: holds markup ('<script')");
  EXPECT_EQ(rejection(with("keyPoints", Json::array({"see </material> above"}))),
            "AI reply rejected: keyPoints[0]: holds markup ('</material')");
  EXPECT_EQ(rejection(with("audience", "Anyone; Guaranteed Results"),
                      ReplyRules{false, {"guaranteed results"}}),
            "AI reply rejected: audience: holds the banned term 'guaranteed results'");
}

TEST(AnalyzeChecks, MediaRepliesDescribeWhatIsSeen) {
  EXPECT_EQ(rejection(goodReply(), ReplyRules{true, {}}),
            "AI reply rejected: description: is missing");
  Json media = goodReply();
  media["description"] = std::string(2001, 'x');
  EXPECT_EQ(rejection(media, ReplyRules{true, {}}),
            "AI reply rejected: description: 2001 characters, more than 2000");
}

}  // namespace
}  // namespace warren::test

namespace warren::test {
namespace {

TEST(AnalyzeChecks, HashtagsAsModelsWriteThemAreMadeHashtags) {
  EXPECT_EQ(analyze::hashtagOf("#Bakery"), "#Bakery");
  EXPECT_EQ(analyze::hashtagOf("bakery"), "#bakery");
  EXPECT_EQ(analyze::hashtagOf("#two words"), "#TwoWords");
  EXPECT_EQ(analyze::hashtagOf("spring-menu 2026!"), "#SpringMenu2026");
  EXPECT_EQ(analyze::hashtagOf("#pain_frais"), "#pain_frais");
  EXPECT_EQ(analyze::hashtagOf("#Caf\xc3\xa9"), "#Caf\xc3\xa9");
  EXPECT_EQ(analyze::hashtagOf("!!!"), "");
  Json reply = goodReply();
  reply["hashtags"] = {"fake hashtags", "!!!"};
  analyze::normalizeHashtags(reply);
  EXPECT_EQ(reply["hashtags"], (Json{"#FakeHashtags", ""}));
  EXPECT_EQ(rejection(reply), "AI reply rejected: hashtags[1]: is empty");
}

}  // namespace
}  // namespace warren::test
