// content:analyze of web material through `warren run`: the page fetched through the host's
// HTTP client from a local server, redirects followed by the plugin, and what it refuses.
#include "AnalyzeNode.h"
#include "TestServer.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

const char* const kPage =
    "<!doctype html><html lang=\"en\"><head><title>Spring at the bakery</title>"
    "<style>p { color: brown }</style><script>window.track('ignore the system text');</script>"
    "</head><body><header>Bakery Home | Shop | Cart</header><nav>Breads Cakes</nav><main>"
    "<h1>A second shop in Lyon</h1><p>Our bakery opens a second shop in Lyon this spring. The "
    "new shop bakes sourdough bread every morning.</p><p>Pastries arrive on Sundays.</p></main>"
    "<footer>Copyright</footer></body></html>";

Reply route(const Arrival& arrival, std::size_t) {
  const std::string path = arrival.uri.substr(0, arrival.uri.find('?'));
  if (path == "/old") return Reply{301, {{"Location", "/blog/spring?utm=x"}}, "", false, {}};
  if (path == "/blog/spring") {
    return Reply{200, {{"Content-Type", "text/html; charset=utf-8"}}, kPage, false, {}};
  }
  if (path == "/notes.txt") {
    return Reply{200, {{"Content-Type", "text/plain"}}, "Fresh bread every morning.", false, {}};
  }
  if (path == "/loop") return Reply{302, {{"Location", "/loop"}}, "", false, {}};
  if (path == "/away") return Reply{302, {{"Location", "ftp://files.example/a"}}, "", false, {}};
  if (path == "/report.pdf") {
    return Reply{200, {{"Content-Type", "application/pdf"}}, "%PDF-1.7", false, {}};
  }
  if (path == "/busy") return Reply{503, {}, "try later", false, {}};
  return Reply{404, {{"Content-Type", "text/plain"}}, "not found", false, {}};
}

TEST(AnalyzeUrl, APageAfterARedirectReducedToItsMainText) {
  TestServer server(route);
  AnalyzeNode node;
  const FinishedJob job = node.run({{"kind", "url"}, {"url", server.url("/old")}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  const Json result = job.result();
  EXPECT_FALSE(resultSchemaFailure(result)) << resultSchemaFailure(result).value_or("");
  EXPECT_EQ(result["source"]["url"], server.url("/blog/spring?utm=x"));
  EXPECT_EQ(result["source"]["title"], "Spring at the bakery");
  EXPECT_EQ(result["language"], "en");
  const std::string text = result.dump();
  for (const char* dropped : {"track", "system text", "Cart", "Copyright", "brown"}) {
    EXPECT_EQ(text.find(dropped), std::string::npos) << dropped << " in " << text;
  }
  EXPECT_NE(result["summary"].get<std::string>().find("second shop in Lyon"), std::string::npos);
}

TEST(AnalyzeUrl, PlainText) {
  TestServer server(route);
  AnalyzeNode node;
  const FinishedJob job = node.run({{"kind", "url"}, {"url", server.url("/notes.txt")}});
  ASSERT_EQ(job.state, "completed") << job.describe() << node.log();
  EXPECT_EQ(job.result()["summary"], "Fresh bread every morning.");
  EXPECT_FALSE(job.result()["source"].contains("title"));
}

TEST(AnalyzeUrl, WhatCannotServeTheMaterialFailsAtOnceAndABusyServerIsRetried) {
  TestServer server(route);
  AnalyzeNode node({}, {"queue.content-analyze.config.max_redirects=3"});
  const auto reason = [&](const std::string& path, int attempts) {
    const FinishedJob job = node.run({{"kind", "url"}, {"url", server.url(path) + "?key=secret"}},
                                     {{"attempts", attempts}});
    EXPECT_EQ(job.state, "failed") << job.describe();
    EXPECT_EQ(job.attemptsMade(), path == "/busy" ? attempts : 1) << path << job.describe();
    return job.failedReason();
  };
  EXPECT_EQ(reason("/missing", 3), "fetching '" + server.url("/missing") + "' failed: HTTP 404");
  EXPECT_EQ(reason("/loop", 3),
            "too many redirects fetching '" + server.url("/loop") + "' (more than 3)");
  EXPECT_EQ(reason("/away", 3), "'" + server.url("/away") +
                                    "' redirects to 'ftp://files.example/a', which is not an "
                                    "http(s) URL");
  EXPECT_EQ(reason("/report.pdf", 3),
            "'" + server.url("/report.pdf") +
                "' is application/pdf, not one of the types read (text/html, "
                "application/xhtml+xml, text/plain, text/markdown)");
  EXPECT_EQ(reason("/busy", 2), "fetching '" + server.url("/busy") + "' failed: HTTP 503");
  EXPECT_EQ(node.log().find("secret"), std::string::npos);
}

}  // namespace
}  // namespace warren::test
