#include "text/Entities.h"

#include <gtest/gtest.h>

namespace common::text {
namespace {

std::vector<std::string> spans(std::string_view text, const std::vector<EntityMatch>& found) {
  std::vector<std::string> out;
  for (const auto& e : found) out.emplace_back(text.substr(e.offset, e.length));
  return out;
}

using List = std::vector<std::string>;

TEST(Entities, Urls) {
  const std::string text =
      "See https://example.com/path/to?q=1&r=two#frag, (docs at https://ex.com/a_(b)) and "
      "www.warren.dev. Also example.org/blog! Not: file.txt, a.b, user@mail.com or http://x.";
  EXPECT_EQ(spans(text, findUrls(text)),
            (List{"https://example.com/path/to?q=1&r=two#frag", "https://ex.com/a_(b)",
                  "www.warren.dev", "example.org/blog"}));
  const std::string port = "Local: http://localhost:8080/health and HTTPS://Example.COM.";
  EXPECT_EQ(spans(port, findUrls(port)),
            (List{"http://localhost:8080/health", "HTTPS://Example.COM"}));
  const std::string cjk = "\xE8\xA7\x81https://ex.com/\xE8\xB7\xAF\xE3\x80\x82";  // 见…路。
  EXPECT_EQ(spans(cjk, findUrls(cjk)), (List{"https://ex.com/\xE8\xB7\xAF"}));
}

TEST(Entities, EmailsMentionsHashtags) {
  const std::string text =
      "Mail jane.doe+news@example.co.uk, ping @alice.bsky.social and @bob@mastodon.social or "
      "@carol_99. Tags: #AI #caf\xC3\xA9 #2024 #x_y, not &#39; nor page#anchor.";
  EXPECT_EQ(spans(text, findEmails(text)), (List{"jane.doe+news@example.co.uk"}));
  EXPECT_EQ(spans(text, findMentions(text)),
            (List{"@alice.bsky.social", "@bob@mastodon.social", "@carol_99"}));
  EXPECT_EQ(spans(text, findHashtags(text)), (List{"#AI", "#caf\xC3\xA9", "#x_y"}));
}

TEST(Entities, NumbersMoneyDates) {
  const std::string text =
      "On 2025-03-12 sales rose 3.5% to $5 million, or 12 euros a head, and \xE2\x82\xAC"
      "20 "
      "later; the next call is March 12, 2025 (12/03/2025), 12 de marzo de 2025 in Spain.";
  std::vector<std::string> got;
  for (const auto& e : findQuantities(text, "en")) {
    got.push_back(std::string(text.substr(e.offset, e.length)) + ":" + e.type);
  }
  EXPECT_EQ(got, (List{"2025-03-12:date", "3.5%:number", "$5 million:money", "12 euros:money",
                       "\xE2\x82\xAC"
                       "20:money",
                       "March 12, 2025:date", "12/03/2025:date", "12 de marzo de 2025:date"}));
}

TEST(Entities, CapitalisedNames) {
  const std::string text =
      "Shares of Apple Inc. fell in Paris. President Joe Biden met Angela Merkel, who said "
      "little. The Bank of England waited. Later Apple rallied.";
  std::vector<std::string> got;
  for (const auto& e : findEntities(text, "en")) {
    got.push_back(std::string(text.substr(e.offset, e.length)) + ":" + e.type);
  }
  EXPECT_EQ(got, (List{"Apple Inc:organization", "Paris:place", "Joe Biden:person",
                       "Angela Merkel:person", "Bank of England:organization", "Apple:other"}));
}

TEST(Entities, AllEntitiesInTextOrderWithoutOverlap) {
  const std::string text = "Write to info@warren.dev or visit https://warren.dev/#start today.";
  std::vector<std::string> got;
  for (const auto& e : findEntities(text, "en")) got.push_back(e.type);
  EXPECT_EQ(got, (List{"email", "url"}));
}

}  // namespace
}  // namespace common::text
