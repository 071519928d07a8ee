#include "storage/S3Xml.h"

#include "storage/Store.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>

namespace warren::storage {
namespace {

using Poco::XML::Element;
using Poco::XML::Node;

Poco::AutoPtr<Poco::XML::Document> parse(const std::string& xml) {
  Poco::XML::DOMParser parser;
  // S3 documents never use entities from outside; refuse to fetch or expand any.
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  return parser.parseString(xml);
}

// The element name without a namespace prefix (S3 documents use a default namespace).
std::string bareName(const Node& node) {
  const std::string& name = node.nodeName();
  const std::size_t colon = name.find(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

Element* rootOf(const Poco::XML::Document& doc, const std::string& name) {
  Element* root = doc.documentElement();
  if (root == nullptr || bareName(*root) != name) return nullptr;
  return root;
}

// Text of the first direct child element called `name`, or "".
std::string childText(const Element& parent, const std::string& name) {
  for (Node* n = parent.firstChild(); n != nullptr; n = n->nextSibling()) {
    if (n->nodeType() == Node::ELEMENT_NODE && bareName(*n) == name) return n->innerText();
  }
  return {};
}

[[noreturn]] void malformed(const std::string& what, const std::string& why) {
  throw StorageError(ErrorKind::internal, "S3 answered with an unexpected " + what + ": " + why);
}

template <typename Fn>
auto parsed(const std::string& what, const std::string& xml, const std::string& rootName,
            Fn&& read) {
  Poco::AutoPtr<Poco::XML::Document> doc;
  try {
    doc = parse(xml);
  } catch (const Poco::Exception& e) {
    malformed(what, "not XML (" + e.displayText() + ")");
  }
  Element* root = rootOf(*doc, rootName);
  if (root == nullptr) malformed(what, "no <" + rootName + "> element");
  return read(*root);
}

std::string escapeXml(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

ListPage parseListPage(const std::string& xml) {
  return parsed("listing", xml, "ListBucketResult", [](const Element& root) {
    ListPage page;
    for (Node* n = root.firstChild(); n != nullptr; n = n->nextSibling()) {
      if (n->nodeType() == Node::ELEMENT_NODE && bareName(*n) == "Contents") {
        page.keys.push_back(childText(static_cast<const Element&>(*n), "Key"));
      }
    }
    page.truncated = childText(root, "IsTruncated") == "true";
    page.nextToken = childText(root, "NextContinuationToken");
    return page;
  });
}

std::string parseUploadId(const std::string& xml) {
  return parsed("multipart upload start", xml, "InitiateMultipartUploadResult",
                [](const Element& root) {
                  std::string id = childText(root, "UploadId");
                  if (id.empty()) malformed("multipart upload start", "no <UploadId>");
                  return id;
                });
}

std::optional<S3ErrorBody> parseError(const std::string& xml) {
  if (xml.find("<Error") == std::string::npos) return std::nullopt;
  try {
    Poco::AutoPtr<Poco::XML::Document> doc = parse(xml);
    Element* root = rootOf(*doc, "Error");
    if (root == nullptr) return std::nullopt;
    return S3ErrorBody{childText(*root, "Code"), childText(*root, "Message")};
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::string completeMultipartXml(const std::vector<std::pair<int, std::string>>& parts) {
  std::string out = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
  for (const auto& [number, etag] : parts) {
    out += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" + escapeXml(etag) +
           "</ETag></Part>";
  }
  out += "</CompleteMultipartUpload>";
  return out;
}

}  // namespace warren::storage
