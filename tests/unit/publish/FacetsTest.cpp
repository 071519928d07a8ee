// Bluesky facets at UTF-8 byte offsets: the server never finds links, mentions or tags itself,
// so a wrong offset is a broken link or a tag on the wrong word.
#include "text/Facets.h"

#include <gtest/gtest.h>

namespace {

using publish::text::Facet;
using publish::text::findFacets;

std::string slice(const std::string& text, const Facet& f) {
  return text.substr(f.byteStart, f.byteEnd - f.byteStart);
}

TEST(Facets, TheDocumentedExample) {
  const std::string text = "Hi @alice.bsky.social https://ex.com #tag";
  const auto facets = findFacets(text);
  ASSERT_EQ(facets.size(), 3u);
  EXPECT_EQ(facets[0].kind, Facet::Kind::mention);
  EXPECT_EQ(facets[0].byteStart, 3u);
  EXPECT_EQ(facets[0].byteEnd, 21u);
  EXPECT_EQ(facets[0].value, "alice.bsky.social");
  EXPECT_EQ(facets[1].kind, Facet::Kind::link);
  EXPECT_EQ(facets[1].byteStart, 22u);
  EXPECT_EQ(facets[1].byteEnd, 36u);
  EXPECT_EQ(facets[1].value, "https://ex.com");
  EXPECT_EQ(facets[2].kind, Facet::Kind::tag);
  EXPECT_EQ(facets[2].byteStart, 37u);
  EXPECT_EQ(facets[2].byteEnd, 41u);
  EXPECT_EQ(facets[2].value, "tag");
}

TEST(Facets, OffsetsCountBytesNotCharacters) {
  const std::string text = "\xE2\x9C\xA8 caf\xC3\xA9 #launch \xF0\x9F\x9A\x80 https://ex.com/a?b=1";
  const auto facets = findFacets(text);
  ASSERT_EQ(facets.size(), 2u);
  EXPECT_EQ(slice(text, facets[0]), "#launch");
  EXPECT_EQ(facets[0].byteStart, 10u);  // ✨ is 3 bytes, é is 2
  EXPECT_EQ(slice(text, facets[1]), "https://ex.com/a?b=1");
}

TEST(Facets, TrailingPunctuationStaysOutside) {
  const std::string text = "Read (https://ex.com/x). Then #done!";
  const auto facets = findFacets(text);
  ASSERT_EQ(facets.size(), 2u);
  EXPECT_EQ(slice(text, facets[0]), "https://ex.com/x");
  EXPECT_EQ(facets[1].value, "done");
}

TEST(Facets, WhatIsNotAFacet) {
  EXPECT_TRUE(findFacets("price #1 and #2024").empty());
  EXPECT_TRUE(findFacets("mail me@example.com or @nodot").empty());
  EXPECT_TRUE(findFacets("see http:/broken and a#b").empty());
}

}  // namespace
