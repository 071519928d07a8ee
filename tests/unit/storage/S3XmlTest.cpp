// Reading S3's XML answers (as the S3 API reference lays them out) and writing the multipart
// completion document.
#include <gtest/gtest.h>

#include "Helpers.h"
#include "storage/S3Xml.h"

namespace warren::storage {
namespace {

TEST(S3Xml, ListPageWithContinuation) {
  const ListPage page = parseListPage(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>media</Name><Prefix>v/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
      "<IsTruncated>true</IsTruncated>"
      "<Contents><Key>v/a &amp; b.mp4</Key><Size>3</Size><ETag>&quot;x&quot;</ETag></Contents>"
      "<Contents><Key>v/c.mp4</Key><Size>4</Size></Contents>"
      "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
      "</ListBucketResult>");
  EXPECT_EQ(page.keys, (std::vector<std::string>{"v/a & b.mp4", "v/c.mp4"}));
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.nextToken, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3Xml, LastListPage) {
  const ListPage page = parseListPage(
      "<ListBucketResult><IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
      "</ListBucketResult>");
  EXPECT_TRUE(page.keys.empty());
  EXPECT_FALSE(page.truncated);
}

TEST(S3Xml, UnexpectedDocumentsAreErrors) {
  test::expectError([] { parseListPage("<Error><Code>AccessDenied</Code></Error>"); },
                    ErrorKind::internal,
                    "S3 answered with an unexpected listing: no <ListBucketResult> element");
  try {
    parseListPage("<ListBucketResult>");
    ADD_FAILURE() << "no error";
  } catch (const StorageError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    EXPECT_NE(std::string(e.what()).find("S3 answered with an unexpected listing: not XML"),
              std::string::npos);
  }
}

TEST(S3Xml, UploadIdAndErrors) {
  EXPECT_EQ(parseUploadId("<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/"
                          "2006-03-01/\"><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE"
                          "</UploadId></InitiateMultipartUploadResult>"),
            "VXBsb2FkIElE");
  const auto error = parseError(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
      "<Message>The specified key does not exist.</Message><Key>k</Key></Error>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "NoSuchKey");
  EXPECT_EQ(error->message, "The specified key does not exist.");
  EXPECT_FALSE(parseError("").has_value());
  EXPECT_FALSE(parseError("<Error><Code>").has_value());
}

TEST(S3Xml, CompleteMultipartListsPartsInOrder) {
  EXPECT_EQ(completeMultipartXml({{1, "\"a1\""}, {2, "\"b<2>\""}}),
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;a1&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;b&lt;2&gt;&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

}  // namespace
}  // namespace warren::storage
