// The SigV4 signer against AWS's published examples. A server that skips signature checks would
// prove nothing about signing; these inputs and expected values are AWS's own:
//  - S3 "Signature Calculations for the Authorization Header: Transferring Payload in a Single
//    Chunk" (GET Object with Range, PUT Object, GET Bucket Lifecycle, GET Bucket list),
//  - S3 "Authenticating Requests: Using Query Parameters" (presigned GET),
//  - the generic aws-sig-v4-test-suite cases whose paths need no normalisation (S3 signs the path
//    as sent), and the IAM "derive a signing key" examples.
#include <gtest/gtest.h>

#include "storage/Digest.h"
#include "storage/S3Address.h"
#include "storage/SigV4.h"

namespace warren::storage::sigv4 {
namespace {

constexpr const char* kS3Date = "20130524T000000Z";
constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

Credentials s3Credentials() {
  return {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};
}

// A request to examplebucket (virtual-hosted) with the two headers S3 wants signed.
Request s3Request(std::string method, std::string uri, Pairs query, Pairs headers,
                  std::string payloadHash) {
  Request r{std::move(method), std::move(uri), std::move(query), std::move(headers), payloadHash};
  r.headers.emplace_back("Host", "examplebucket.s3.amazonaws.com");
  r.headers.emplace_back("x-amz-content-sha256", payloadHash);
  r.headers.emplace_back("x-amz-date", kS3Date);
  return r;
}

std::string stsHash(const Signature& s) {
  return s.stringToSign.substr(s.stringToSign.rfind('\n') + 1);
}

TEST(SigV4S3Examples, GetObjectWithRange) {
  const Signature s =
      sign(s3Credentials(), s3Request("GET", "/test.txt", {}, {{"Range", "bytes=0-9"}}, kEmpty),
           kS3Date);
  EXPECT_EQ(s.canonicalRequest,
            "GET\n/test.txt\n\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "range:bytes=0-9\n"
            "x-amz-content-sha256:" +
                std::string(kEmpty) +
                "\n"
                "x-amz-date:20130524T000000Z\n\n"
                "host;range;x-amz-content-sha256;x-amz-date\n" +
                kEmpty);
  EXPECT_EQ(s.stringToSign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(s.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4S3Examples, PutObjectWithEncodedKey) {
  // The key "test$file.text" goes through the store's own URL building: '$' must become %24.
  const S3Address address(parseEndpoint("https://s3.amazonaws.com"), "examplebucket", false);
  const Target target = address.object("test$file.text");
  ASSERT_EQ(target.path, "/test%24file.text");
  ASSERT_EQ(target.hostHeader, "examplebucket.s3.amazonaws.com");
  const std::string payload = sha256Hex("Welcome to Amazon S3.");
  ASSERT_EQ(payload, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");

  const Signature s = sign(s3Credentials(),
                           s3Request("PUT", target.path, {},
                                     {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                      {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                                     payload),
                           kS3Date);
  EXPECT_EQ(s.canonicalRequest,
            "PUT\n/test%24file.text\n\n"
            "date:Fri, 24 May 2013 00:00:00 GMT\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:" +
                payload +
                "\n"
                "x-amz-date:20130524T000000Z\n"
                "x-amz-storage-class:REDUCED_REDUNDANCY\n\n"
                "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
                payload);
  EXPECT_EQ(stsHash(s), "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(s.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4S3Examples, GetBucketLifecycle) {
  const Signature s =
      sign(s3Credentials(), s3Request("GET", "/", {{"lifecycle", ""}}, {}, kEmpty), kS3Date);
  EXPECT_EQ(s.canonicalRequest,
            "GET\n/\nlifecycle=\n"
            "host:examplebucket.s3.amazonaws.com\n"
            "x-amz-content-sha256:" +
                std::string(kEmpty) +
                "\n"
                "x-amz-date:20130524T000000Z\n\n"
                "host;x-amz-content-sha256;x-amz-date\n" +
                kEmpty);
  EXPECT_EQ(stsHash(s), "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca");
  EXPECT_EQ(s.signature, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4S3Examples, GetBucketListSortsTheQuery) {
  // Given in the opposite order: the canonical query is sorted by name.
  const Signature s =
      sign(s3Credentials(), s3Request("GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, {}, kEmpty),
           kS3Date);
  EXPECT_EQ(s.canonicalRequest.substr(0, 26), "GET\n/\nmax-keys=2&prefix=J\n");
  EXPECT_EQ(stsHash(s), "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7");
  EXPECT_EQ(s.signature, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4S3Examples, PresignedGet) {
  Signature s;
  const std::string query = presignQuery(s3Credentials(), "GET", "/test.txt",
                                         "examplebucket.s3.amazonaws.com", kS3Date, 86400, &s);
  EXPECT_EQ(s.canonicalRequest,
            "GET\n/test.txt\n"
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2F"
            "us-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
            "X-Amz-SignedHeaders=host\n"
            "host:examplebucket.s3.amazonaws.com\n\n"
            "host\n"
            "UNSIGNED-PAYLOAD");
  EXPECT_EQ(s.stringToSign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
  EXPECT_EQ(s.signature, "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  const S3Address address(parseEndpoint("https://s3.amazonaws.com"), "examplebucket", false);
  EXPECT_EQ(S3Address::url(address.object("test.txt"), query),
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
            "X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&"
            "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&"
            "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SigV4SigningKey, MatchesTheDocumentedDerivations) {
  EXPECT_EQ(
      toHex(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")),
      "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
  EXPECT_EQ(
      toHex(signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam")),
      "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

// ---- aws-sig-v4-test-suite (service "service", 20150830T123600Z) ----

constexpr const char* kSuiteDate = "20150830T123600Z";

Credentials suiteCredentials() {
  return {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service"};
}

Signature suite(std::string method, std::string uri, Pairs query = {}, Pairs extraHeaders = {},
                std::string payloadHash = kEmpty) {
  Request r{std::move(method), std::move(uri), std::move(query), std::move(extraHeaders),
            std::move(payloadHash)};
  r.headers.emplace_back("Host", "example.amazonaws.com");
  r.headers.emplace_back("X-Amz-Date", kSuiteDate);
  return sign(suiteCredentials(), r, kSuiteDate);
}

TEST(SigV4TestSuite, GetVanilla) {
  const Signature s = suite("GET", "/");
  EXPECT_EQ(s.canonicalRequest,
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
            "host;x-amz-date\n" +
                std::string(kEmpty));
  EXPECT_EQ(s.stringToSign,
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
  EXPECT_EQ(s.signature, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  EXPECT_EQ(s.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4TestSuite, PostVanilla) {
  const Signature s = suite("POST", "/");
  EXPECT_EQ(stsHash(s), "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
  EXPECT_EQ(s.signature, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

TEST(SigV4TestSuite, QueryOrderKeyCase) {
  const Signature s = suite("GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}});
  EXPECT_EQ(s.canonicalRequest.substr(0, 34), "GET\n/\nParam1=value1&Param2=value2\n");
  EXPECT_EQ(s.signature, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

TEST(SigV4TestSuite, QueryParameters) {
  EXPECT_EQ(suite("GET", "/", {{"Param1", "value1"}}).signature,
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb");
  const std::string unreserved =
      "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(suite("GET", "/", {{unreserved, unreserved}}).signature,
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197");
  EXPECT_EQ(suite("GET", "/", {{"\xE1\x88\xB4", "bar"}}).signature,
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04");
}

TEST(SigV4TestSuite, QueryWithReservedCharacters) {
  const Signature s = suite("POST", "/", {{"@#$%^", ""}, {"+", "/,?><`\";:\\|][{}"}});
  EXPECT_EQ(s.canonicalRequest.substr(0, 74),
            "POST\n/\n%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D&%40%23%24%25%5E=\n");
  EXPECT_EQ(s.signature, "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e");
}

TEST(SigV4TestSuite, PathsAreEncodedOnce) {
  const std::string unreserved =
      "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  EXPECT_EQ(suite("GET", uriEncode(unreserved, false)).signature,
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f");
  EXPECT_EQ(uriEncode("/\xE1\x88\xB4", false), "/%E1%88%B4");
  EXPECT_EQ(suite("GET", "/%E1%88%B4").signature,
            "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85");
}

TEST(SigV4TestSuite, HeaderValuesAreTrimmedAndJoined) {
  const Signature trimmed =
      suite("GET", "/", {}, {{"My-Header1", "  value1 "}, {"My-Header2", "\"a   b   c\""}});
  EXPECT_NE(trimmed.canonicalRequest.find("my-header1:value1\nmy-header2:\"a b c\"\n"),
            std::string::npos);
  EXPECT_EQ(trimmed.signature, "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736");

  const Signature duplicate =
      suite("GET", "/", {},
            {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}});
  EXPECT_NE(duplicate.canonicalRequest.find("my-header1:value2,value2,value1\n"),
            std::string::npos);
  EXPECT_EQ(duplicate.signature,
            "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");

  EXPECT_EQ(suite("POST", "/", {}, {{"My-Header1", "VALUE1"}}).signature,
            "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d");
}

TEST(SigV4TestSuite, SignedPayload) {
  const Signature s =
      suite("POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}},
            sha256Hex("Param1=value1"));
  EXPECT_EQ(s.signedHeaders, "content-type;host;x-amz-date");
  EXPECT_EQ(s.signature, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

// ---- building blocks ----

TEST(SigV4Encoding, UriEncodeFollowsRfc3986) {
  EXPECT_EQ(uriEncode("a b+c~d._-", true), "a%20b%2Bc~d._-");
  EXPECT_EQ(uriEncode("videos/a b.mp4", false), "videos/a%20b.mp4");
  EXPECT_EQ(uriEncode("videos/", true), "videos%2F");
  EXPECT_EQ(uriEncode("!'()*", true), "%21%27%28%29%2A");
  EXPECT_EQ(uriEncode("\xC3\xBC", true), "%C3%BC");
}

TEST(SigV4Encoding, CanonicalQueryEncodesThenSorts) {
  EXPECT_EQ(
      canonicalQuery({{"prefix", "a b/"}, {"list-type", "2"}, {"continuation-token", "x+y="}}),
      "continuation-token=x%2By%3D&list-type=2&prefix=a%20b%2F");
  EXPECT_EQ(canonicalQuery({{"uploads", ""}}), "uploads=");
  EXPECT_EQ(canonicalQuery({}), "");
}

TEST(SigV4Encoding, AmzDateIsUtc) {
  EXPECT_EQ(amzDate(std::chrono::system_clock::from_time_t(1369353600)), "20130524T000000Z");
  EXPECT_EQ(amzDate(std::chrono::system_clock::from_time_t(1440938160)), "20150830T123600Z");
}

TEST(SigV4Secrets, TheSecretNeverAppearsInWhatIsSent) {
  const Signature s = sign(s3Credentials(), s3Request("GET", "/test.txt", {}, {}, kEmpty), kS3Date);
  for (const std::string* text : {&s.canonicalRequest, &s.stringToSign, &s.authorization}) {
    EXPECT_EQ(text->find("wJalrXUtnFEMI"), std::string::npos) << *text;
  }
  const std::string query = presignQuery(s3Credentials(), "GET", "/k", "h", kS3Date, 60, nullptr);
  EXPECT_EQ(query.find("wJalrXUtnFEMI"), std::string::npos);
}

}  // namespace
}  // namespace warren::storage::sigv4
