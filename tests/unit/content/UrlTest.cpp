// Which addresses the content plugins follow, how redirects resolve, and how messages show them.
#include "web/Fetch.h"
#include "web/Url.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::web::parseUrl;
using common::web::resolveUrl;
using common::web::shownUrl;

TEST(Urls, OnlyAbsoluteHttpAndHttps) {
  const auto url = parseUrl("HTTPS://Example.COM:8443/a/b?x=1");
  ASSERT_TRUE(url);
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "example.com");
  EXPECT_TRUE(parseUrl("http://127.0.0.1/"));
  for (const char* refused :
       {"ftp://example.com/f", "file:///etc/passwd", "javascript:alert(1)", "/relative/path",
        "example.com/page", "http://", "", "http://exa mple.com/", "mailto:a@example.com"}) {
    EXPECT_FALSE(parseUrl(refused)) << refused;
  }
}

TEST(Urls, RedirectsResolveAgainstThePageAndStayOnTheWeb) {
  const auto base = parseUrl("https://example.com/news/today?page=2");
  ASSERT_TRUE(base);
  EXPECT_EQ(resolveUrl(*base, "/archive")->text, "https://example.com/archive");
  EXPECT_EQ(resolveUrl(*base, "yesterday")->text, "https://example.com/news/yesterday");
  EXPECT_EQ(resolveUrl(*base, "//cdn.example.net/x")->text, "https://cdn.example.net/x");
  EXPECT_EQ(resolveUrl(*base, "http://other.example/")->text, "http://other.example/");
  EXPECT_FALSE(resolveUrl(*base, "ftp://example.com/file"));
  EXPECT_FALSE(resolveUrl(*base, "file:///etc/passwd"));
  EXPECT_FALSE(resolveUrl(*base, ""));
}

TEST(Urls, MessagesShowNoQueryUserOrFragment) {
  EXPECT_EQ(shownUrl("https://user:secret@example.com:8080/p/q?token=abc#top"),
            "https://example.com:8080/p/q");
  EXPECT_EQ(shownUrl("https://example.com"), "https://example.com/");
  EXPECT_EQ(shownUrl("not a url?token=abc"), "not a url");
}

TEST(ContentTypes, TypeAndCharset) {
  EXPECT_EQ(common::web::splitContentType("Text/HTML; Charset=\"UTF-8\""),
            (std::pair<std::string, std::string>{"text/html", "utf-8"}));
  EXPECT_EQ(common::web::splitContentType("text/plain"),
            (std::pair<std::string, std::string>{"text/plain", ""}));
  EXPECT_EQ(common::web::splitContentType(""), (std::pair<std::string, std::string>{"", ""}));
}

}  // namespace
}  // namespace warren::test
