#include "web/Url.h"

#include <libxml/uri.h>
#include <libxml/xmlmemory.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace common::web {
namespace {

struct UriFreer {
  void operator()(xmlURI* uri) const { xmlFreeURI(uri); }
};
using UriPtr = std::unique_ptr<xmlURI, UriFreer>;

std::string lower(const char* text) {
  std::string out = text != nullptr ? text : "";
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool hasSpace(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0 || c < 0x20; });
}

}  // namespace

std::optional<Url> parseUrl(const std::string& text) {
  if (text.empty() || hasSpace(text)) return std::nullopt;
  const UriPtr uri(xmlParseURI(text.c_str()));
  if (!uri) return std::nullopt;
  const std::string scheme = lower(uri->scheme);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  const std::string host = lower(uri->server);
  if (host.empty()) return std::nullopt;
  return Url{text, scheme, host};
}

std::optional<Url> resolveUrl(const Url& base, const std::string& reference) {
  if (reference.empty() || hasSpace(reference)) return std::nullopt;
  xmlChar* built = xmlBuildURI(reinterpret_cast<const xmlChar*>(reference.c_str()),
                               reinterpret_cast<const xmlChar*>(base.text.c_str()));
  if (built == nullptr) return std::nullopt;
  const std::string absolute(reinterpret_cast<const char*>(built));
  xmlFree(built);
  return parseUrl(absolute);
}

std::string shownUrl(const std::string& text) {
  const UriPtr uri(xmlParseURI(text.c_str()));
  if (!uri || uri->scheme == nullptr || uri->server == nullptr) {
    return text.substr(0, std::min<std::size_t>(text.find_first_of("?#"), 200));
  }
  std::string out = lower(uri->scheme) + "://" + uri->server;
  if (uri->port > 0) out += ":" + std::to_string(uri->port);
  out += uri->path != nullptr ? uri->path : "/";
  return out;
}

}  // namespace common::web
