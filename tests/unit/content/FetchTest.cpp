// Fetching material through the host's HTTP service (answered here by FakeHost): redirects
// followed by the plugin to http(s) only and at most N times, content types, the size cap, and
// which failures are worth a retry.
#include "FakeHost.h"

#include "job/Failure.h"
#include "web/Fetch.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::web::fetch;
using common::web::FetchOptions;

FetchOptions pages() {
  FetchOptions options;
  options.maxBytes = 1 << 20;
  options.capName = "analyze.max_text_mb";
  options.contentTypes = {"text/html", "text/plain"};
  options.maxRedirects = 2;
  return options;
}

FakeHttpReply page(std::string body, std::string type = "text/html; charset=utf-8") {
  return FakeHttpReply{WARREN_OK, 200, R"({"content-type":")" + type + R"("})", std::move(body),
                       ""};
}

FakeHttpReply redirect(const std::string& location, int code = 302) {
  return FakeHttpReply{WARREN_OK, code, R"({"location":")" + location + R"("})", "", ""};
}

template <typename Failure>
std::string failure(FakeHost& fake, const std::string& url, const FetchOptions& options = pages()) {
  try {
    fetch(fake.host(), nullptr, url, options);
  } catch (const Failure& e) {
    return e.what();
  }
  ADD_FAILURE() << "no failure of the expected kind fetching " << url;
  return {};
}

TEST(Fetch, APageWithItsTypeAndCharset) {
  FakeHost fake;
  fake.httpReplies = {page("<p>hello</p>", "Text/HTML; charset=ISO-8859-1")};
  const auto fetched = fetch(fake.host(), nullptr, "https://example.com/a", pages());
  EXPECT_EQ(fetched.url, "https://example.com/a");
  EXPECT_EQ(fetched.contentType, "text/html");
  EXPECT_EQ(fetched.charset, "iso-8859-1");
  EXPECT_EQ(fetched.body, "<p>hello</p>");
  ASSERT_EQ(fake.requestedHeaders.size(), 1u);
  EXPECT_EQ(fake.requestedHeaders[0][0],
            (std::pair<std::string, std::string>{"Accept", "text/html, text/plain"}));
}

TEST(Fetch, RedirectsAreFollowedByThePluginUpToTheLimit) {
  FakeHost fake;
  fake.httpReplies = {redirect("/moved", 301), redirect("https://cdn.example.net/final", 307),
                      page("ok", "text/plain")};
  const auto fetched = fetch(fake.host(), nullptr, "https://example.com/start", pages());
  EXPECT_EQ(fetched.url, "https://cdn.example.net/final");
  EXPECT_EQ(fake.requestedUrls,
            (std::vector<std::string>{"https://example.com/start", "https://example.com/moved",
                                      "https://cdn.example.net/final"}));
}

TEST(Fetch, OneRedirectTooManyFailsUnrecoverably) {
  FakeHost fake;
  fake.httpReplies = {redirect("/1"), redirect("/2"), redirect("/3")};
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "https://example.com/?session=secret"),
            "too many redirects fetching 'https://example.com/' (more than 2)");
  EXPECT_EQ(fake.requestedUrls.size(), 3u);
}

TEST(Fetch, ARedirectOffTheWebIsNotFollowed) {
  FakeHost fake;
  fake.httpReplies = {redirect("file:///etc/passwd")};
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "http://example.com/x"),
            "'http://example.com/x' redirects to 'file:///etc/passwd', which is not an http(s) "
            "URL");
  EXPECT_EQ(fake.requestedUrls.size(), 1u);
}

TEST(Fetch, OnlyHttpUrlsAreFetchedAtAll) {
  FakeHost fake;
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "ftp://example.com/file.txt"),
            "invalid URL 'ftp://example.com/file.txt': only absolute http:// and https:// URLs "
            "are fetched");
  EXPECT_TRUE(fake.requestedUrls.empty());
}

TEST(Fetch, ABodyOverTheCapIsRefusedNamingTheCap) {
  FakeHost fake;
  fake.httpReplies = {page(std::string(3 << 19, 'x'))};
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "https://example.com/big"),
            "material over the size cap: 'https://example.com/big' is 1.5 MB, more than "
            "analyze.max_text_mb (1.0 MB)");
}

TEST(Fetch, ATypeNotReadIsRefused) {
  FakeHost fake;
  fake.httpReplies = {page("GIF89a", "image/gif")};
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "https://example.com/cat.gif"),
            "'https://example.com/cat.gif' is image/gif, not one of the types read (text/html, "
            "text/plain)");
}

TEST(Fetch, ClientErrorsAreFinalServerErrorsAndLimitsAreNot) {
  FakeHost fake;
  fake.httpReplies = {FakeHttpReply{WARREN_OK, 404, "{}", "", ""}};
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "https://example.com/gone"),
            "fetching 'https://example.com/gone' failed: HTTP 404");
  for (const int code : {408, 429, 500, 503}) {
    fake.httpReplies = {FakeHttpReply{WARREN_OK, code, "{}", "", ""}};
    EXPECT_EQ(failure<common::job::Retryable>(fake, "https://example.com/busy"),
              "fetching 'https://example.com/busy' failed: HTTP " + std::to_string(code));
  }
}

TEST(Fetch, TheHostsOwnFailuresKeepTheirKind) {
  FakeHost fake;
  fake.httpReplies = {FakeHttpReply{WARREN_ERR_UNAVAILABLE, 0, "", "", "connection refused"}};
  EXPECT_EQ(failure<common::job::Retryable>(fake, "https://example.com/?k=v"),
            "cannot fetch 'https://example.com/': connection refused");
  fake.httpReplies = {FakeHttpReply{WARREN_ERR_INVALID, 0, "", "", "response too large"}};
  EXPECT_EQ(failure<common::job::Unrecoverable>(fake, "https://example.com/"),
            "cannot fetch 'https://example.com/': response too large");
}

}  // namespace
}  // namespace warren::test
