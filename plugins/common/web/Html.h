// A web page reduced to what an analysis reads: its title, language and description, and its
// main text in paragraphs, without scripts, styles, navigation, forms or hidden parts. Parsed
// with libxml2's HTML parser (forgiving, as browsers are; no network access).
#pragma once

#include <string>
#include <string_view>

namespace common::web {

struct PageText {
  std::string title;        // <title>, else og:title, else the first <h1>
  std::string language;     // <html lang>, lower case ("en", "pt-br"), or ""
  std::string description;  // <meta name="description"> or og:description, or ""
  std::string text;         // the main text: paragraphs separated by blank lines
};

// `charset` from the HTTP Content-Type ("" lets the page's <meta charset> or UTF-8 decide).
// Unparseable input gives an empty PageText (the caller says "no text").
PageText htmlToText(std::string_view html, const std::string& charset = {});

// Call once, on the plugin's control thread, before parsing on job threads (libxml2's rule).
void initHtmlParser();

}  // namespace common::web
