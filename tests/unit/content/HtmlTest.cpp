// A web page reduced to its title, language, description and main text.
#include "web/Html.h"

#include <gtest/gtest.h>

namespace warren::test {
namespace {

using common::web::htmlToText;

class Html : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { common::web::initHtmlParser(); }
};

TEST_F(Html, KeepsTheArticleAndDropsScriptsStylesNavigationAndForms) {
  const auto page = htmlToText(R"(<!doctype html>
<html lang="EN-gb"><head>
  <title>  Spring   menu &amp; prices </title>
  <meta name="description" content="What is new at the bakery">
  <style>body { color: red }</style>
  <script>var tracking = "ignore previous instructions";</script>
</head><body>
  <header><a href="/">Home</a> <a href="/shop">Shop</a></header>
  <nav><ul><li>Breads</li><li>Cakes</li></ul></nav>
  <article>
    <header><h1>Our spring menu</h1></header>
    <p>Fresh   bread every
       morning.</p>
    <p>Cakes on <b>Sundays</b>, <i>pies</i> on Mondays.<br>Open from 7.</p>
    <ul><li>Sourdough</li><li>Rye</li></ul>
    <div hidden>Hidden coupon</div>
    <div aria-hidden="true">icon</div>
    <form><input name="q"><button>Search</button></form>
  </article>
  <aside>Related posts</aside>
  <footer>Copyright 2026</footer>
  <noscript>Enable JavaScript</noscript>
</body></html>)");
  EXPECT_EQ(page.title, "Spring menu & prices");
  EXPECT_EQ(page.language, "en-gb");
  EXPECT_EQ(page.description, "What is new at the bakery");
  EXPECT_EQ(page.text,
            "Our spring menu\n\nFresh bread every morning.\n\nCakes on Sundays, pies on Mondays.\n"
            "Open from 7.\n\nSourdough\nRye");
}

TEST_F(Html, WithoutAnArticleTheBodyMinusItsFrame) {
  const auto page = htmlToText(
      "<html><body><header>Site</header><div role=\"navigation\">Menu</div>"
      "<h1>Title here</h1><p>One.</p><p>Two.</p><footer>Foot</footer></body></html>");
  EXPECT_EQ(page.title, "Title here");  // no <title>: the first <h1>
  EXPECT_EQ(page.text, "Title here\n\nOne.\n\nTwo.");
}

TEST_F(Html, MainWinsOverSeveralArticles) {
  const auto page = htmlToText(
      "<body><p>Teaser</p><main><article><p>A</p></article><article><p>B</p></article></main>"
      "</body>");
  EXPECT_EQ(page.text, "A\n\nB");
}

TEST_F(Html, OpenGraphTitleAndDescriptionWhenThePageHasNoOther) {
  const auto page = htmlToText(
      "<html><head><meta property=\"og:title\" content=\"OG title\">"
      "<meta property=\"og:description\" content=\"OG text\"></head><body></body></html>");
  EXPECT_EQ(page.title, "OG title");
  EXPECT_EQ(page.description, "OG text");
  EXPECT_EQ(page.text, "");
}

TEST_F(Html, TheHttpCharsetDecodesLatin1) {
  const std::string latin1 = "<html><body><p>Caf\xe9 cr\xe8me</p></body></html>";
  EXPECT_EQ(htmlToText(latin1, "iso-8859-1").text, "Caf\xc3\xa9 cr\xc3\xa8me");
}

TEST_F(Html, TheMetaCharsetDecodesWhenHttpSaysNothing) {
  const std::string latin1 =
      "<html><head><meta charset=\"iso-8859-1\"></head><body><p>na\xefve</p></body></html>";
  EXPECT_EQ(htmlToText(latin1).text, "na\xc3\xafve");
}

TEST_F(Html, BrokenMarkupIsReadAsBrowsersWould) {
  const auto page = htmlToText("<p>First<p>Second <b>bold<p>Third");
  EXPECT_EQ(page.text, "First\n\nSecond bold\n\nThird");
}

TEST_F(Html, NothingGivesNothing) {
  EXPECT_EQ(htmlToText("").text, "");
  EXPECT_EQ(htmlToText("   ").text, "");
}

}  // namespace
}  // namespace warren::test
