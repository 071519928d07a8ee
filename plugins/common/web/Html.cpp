#include "web/Html.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <limits>
#include <memory>

namespace common::web {
namespace {

struct DocFreer {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFreer>;

bool named(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && node->name != nullptr &&
         std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

template <std::size_t N>
bool namedAny(const xmlNode* node, const std::array<const char*, N>& names) {
  return std::any_of(names.begin(), names.end(), [node](const char* n) { return named(node, n); });
}

// Elements whose text is never page content.
constexpr std::array<const char*, 15> kDropped = {
    "script", "style",  "noscript", "template", "svg",      "canvas", "nav", "aside",
    "form",   "iframe", "button",   "select",   "textarea", "object", "head"};
// The site's banner and footer; kept inside an <article>, where they hold its title and byline.
constexpr std::array<const char*, 2> kPageFrame = {"header", "footer"};
// Elements that end a paragraph (a line break for br and list items).
constexpr std::array<const char*, 26> kBlocks = {
    "p",   "div",   "section", "article", "main",       "h1", "h2",      "h3", "h4",
    "h5",  "h6",    "li",      "ul",      "ol",         "dl", "dt",      "dd", "blockquote",
    "pre", "table", "tr",      "figure",  "figcaption", "hr", "address", "br"};

std::string attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (value == nullptr) return {};
  std::string text(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return text;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Hidden from readers: the hidden attribute, aria-hidden, or a navigation role.
bool hidden(const xmlNode* node) {
  if (xmlHasProp(node, reinterpret_cast<const xmlChar*>("hidden")) != nullptr) return true;
  if (lower(attribute(node, "aria-hidden")) == "true") return true;
  const std::string role = lower(attribute(node, "role"));
  return role == "navigation" || role == "banner" || role == "contentinfo" || role == "search";
}

// Text with runs of white space made one space, appended to `out`.
void appendCollapsed(std::string& out, const char* text) {
  for (const char* p = text; *p != '\0'; ++p) {
    const bool space = std::isspace(static_cast<unsigned char>(*p)) != 0;
    if (!space) {
      out += *p;
    } else if (!out.empty() && out.back() != ' ' && out.back() != '\n') {
      out += ' ';
    }
  }
}

// Ends the current paragraph: trailing spaces go, and at most one blank line separates two.
void breakParagraph(std::string& out, bool line) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.empty()) return;
  const char* end = line ? "\n" : "\n\n";
  if (line) {
    if (out.back() != '\n') out += end;
  } else {
    while (!out.empty() && out.back() == '\n') out.pop_back();
    out += end;
  }
}

void collectText(const xmlNode* node, std::string& out, bool inArticle) {
  for (const xmlNode* child = node; child != nullptr; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      if (child->content != nullptr)
        appendCollapsed(out, reinterpret_cast<const char*>(child->content));
      continue;
    }
    if (child->type != XML_ELEMENT_NODE || namedAny(child, kDropped) || hidden(child)) continue;
    if (!inArticle && namedAny(child, kPageFrame)) continue;
    const bool block = namedAny(child, kBlocks);
    const bool line = named(child, "br") || named(child, "li") || named(child, "tr");
    if (block) breakParagraph(out, line);
    collectText(child->children, out, inArticle || named(child, "article"));
    if (block) breakParagraph(out, line);
  }
}

std::string textOf(const xmlNode* node) {
  std::string out;
  if (node != nullptr) collectText(node->children, out, named(node, "article"));
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

// The first element named `name` below `node`, depth first; nullptr when there is none.
const xmlNode* find(const xmlNode* node, const char* name) {
  for (const xmlNode* child = node; child != nullptr; child = child->next) {
    if (named(child, name)) return child;
    if (child->type == XML_ELEMENT_NODE) {
      if (const xmlNode* found = find(child->children, name)) return found;
    }
  }
  return nullptr;
}

// How many elements named `name` are below `node` (counting stops at `limit`).
int count(const xmlNode* node, const char* name, int limit) {
  int n = 0;
  for (const xmlNode* child = node; child != nullptr && n < limit; child = child->next) {
    if (named(child, name)) ++n;
    if (child->type == XML_ELEMENT_NODE) n += count(child->children, name, limit - n);
  }
  return n;
}

// The content of <meta name=KEY> or <meta property=KEY>, or "".
std::string meta(const xmlNode* head, const char* key) {
  if (head == nullptr) return {};
  for (const xmlNode* child = head->children; child != nullptr; child = child->next) {
    if (!named(child, "meta")) continue;
    if (lower(attribute(child, "name")) == key || lower(attribute(child, "property")) == key) {
      std::string value;
      appendCollapsed(value, attribute(child, "content").c_str());
      return value;
    }
  }
  return {};
}

// Where the content is: <main>, else the one <article>, else <body>.
const xmlNode* mainOf(const xmlNode* root) {
  if (const xmlNode* main = find(root, "main")) return main;
  if (count(root, "article", 2) == 1) return find(root, "article");
  return find(root, "body");
}

}  // namespace

void initHtmlParser() {
  xmlInitParser();
}

PageText htmlToText(std::string_view html, const std::string& charset) {
  PageText page;
  if (html.empty() || html.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return page;
  }
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_COMPACT;
  const DocPtr doc(htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr,
                                  charset.empty() ? nullptr : charset.c_str(), options));
  if (!doc) return page;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return page;
  page.language = lower(attribute(root, "lang"));
  const xmlNode* head = find(root, "head");
  page.title = textOf(head != nullptr ? find(head->children, "title") : nullptr);
  if (page.title.empty()) page.title = meta(head, "og:title");
  if (page.title.empty()) page.title = textOf(find(root, "h1"));
  page.description = meta(head, "description");
  if (page.description.empty()) page.description = meta(head, "og:description");
  page.text = textOf(mainOf(root));
  return page;
}

}  // namespace common::web
