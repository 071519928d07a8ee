// Material for the generate plugin's unit tests: analyses as content:analyze returns them, with
// emoji, CJK and URLs, and a brand.
#pragma once

#include "Brand.h"
#include "Source.h"

#include "json/Json.h"

namespace warren::test {

inline common::Json bakeryAnalysis() {
  return {{"summary", "Our bakery opens a second shop in Lyon this spring."},
          {"keyPoints",
           {"Our bakery opens a second shop in Lyon this spring.",
            "Fresh sourdough comes out of the oven every morning at seven.",
            "On Sundays we bake croissants for the whole neighbourhood.",
            "The new shop has a small terrace facing the river."}},
          {"topics", {"second shop", "sourdough"}},
          {"keywords", {"bakery", "shop", "Lyon", "sourdough"}},
          {"hashtags", {"#SecondShop", "#Bakery"}},
          {"language", "en"},
          {"source", {{"kind", "url"}, {"url", "https://example.com/blog/lyon-shop"}}}};
}

// Emoji sequences (a ZWJ family, a flag, skin tones), a long URL and mentions.
inline common::Json emojiAnalysis() {
  return {{"summary",
           "Family day at the shop \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F"
           "\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6 with free tastings \xF0\x9F\x8D\xB0\xF0\x9F\x8D"
           "\xB0 for everyone \xF0\x9F\x87\xAB\xF0\x9F\x87\xB7! Bring the kids \xF0\x9F\x91\x8D"
           "\xF0\x9F\x8F\xBD and your friends @alice and @bob.bsky.social to the party."},
          {"keyPoints",
           {"Read the programme at "
            "https://example.com/events/2026/family-day-at-the-shop?ref=newsletter&utm_source=mail "
            "before you come \xF0\x9F\x8E\x89.",
            "Every child gets a small loaf \xF0\x9F\x8D\x9E to take home \xF0\x9F\x8F\xA0, and "
            "every parent a coffee \xE2\x98\x95 with a smile \xF0\x9F\x98\x80."}},
          {"topics", {"family day", "tastings"}},
          {"keywords", {"family", "tastings", "kids"}},
          {"hashtags", {"#FamilyDay"}},
          {"entities", {{{"text", "@alice"}, {"type", "mention"}}}},
          {"language", "en"}};
}

// Chinese without spaces (X counts each character 2).
inline common::Json cjkAnalysis() {
  return {
      {"summary",
       "我们的面包店今年春天在里昂开设第二家分店。每天早上七点新鲜的酸面包出炉，周日我们为整个街区"
       "烘烤羊角面包。新店有一个面向河流的小露台，欢迎大家来品尝我们的新产品和咖啡。"},
      {"keyPoints",
       {"新店有一个面向河流的小露台，可以坐下来慢慢享受早餐、午餐和下午茶，还有专门为孩子准备的小点"
        "心"
        "和热巧克力，周末还有现场音乐表演和面包制作课程，详情请访问 https://example.cn/shop/lyon "
        "了解更多信息。"}},
      {"topics", {"面包店", "分店"}},
      {"keywords", {"面包", "里昂"}},
      {"hashtags", {"#面包店"}},
      {"language", "zh"}};
}

inline generate::BrandProfile bakeryBrand() {
  generate::BrandProfile brand;
  brand.id = "7";
  brand.from = "job";
  brand.name = "Lyon Bakery";
  brand.callToAction = "Come and taste it!";
  brand.requiredHashtags = {"#LyonBakery"};
  brand.bannedWords = {"cheap", "guaranteed"};
  brand.bannedHashtags = {"#Sale"};
  return brand;
}

}  // namespace warren::test
