// The S3 XML documents the store reads (host/storage/S3Xml): ListObjectsV2 pages, the start of a
// multipart upload and <Error> bodies, as any S3-compatible server, proxy or captive portal may
// answer; and the CompleteMultipartUpload body it writes.
// Holds: a document that is not the expected one is a StorageError and nothing else; parseError
// never throws; an ETag written into CompleteMultipartUpload reads back unchanged.
#include "Fuzz.h"

#include "storage/S3Xml.h"
#include "storage/Store.h"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>

namespace {

using warren::fuzz::check;
using warren::storage::StorageError;

// Printable ASCII only: what S3 ETags are made of (XML forbids most control characters).
bool printable(std::string_view text) {
  for (const char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

void roundTrip(const std::string& etag) {
  const std::string xml = warren::storage::completeMultipartXml({{1, etag}, {2, "\"x\""}});
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> doc = parser.parseString(xml);
  Poco::AutoPtr<Poco::XML::NodeList> etags = doc->getElementsByTagName("ETag");
  check(etags->length() == 2, "CompleteMultipartUpload does not hold both parts");
  check(etags->item(0)->innerText() == etag, "an ETag does not read back unchanged");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string xml(warren::fuzz::text(data, size));
  try {
    const auto page = warren::storage::parseListPage(xml);
    check(!page.truncated || page.keys.size() <= xml.size(), "more keys than bytes");
  } catch (const StorageError&) {
  }
  try {
    check(!warren::storage::parseUploadId(xml).empty(), "an empty upload id was accepted");
  } catch (const StorageError&) {
  }
  (void)warren::storage::parseError(xml);
  if (size <= 256 && printable(xml)) roundTrip(xml);
  return 0;
}
