// Images read for a completion without servers: inline data and local files, sniffed by their
// bytes and capped in size. (Storage keys and URLs are in the integration tests.)
#include "TempDir.h"

#include "ai/Base64.h"
#include "ai/Failure.h"
#include "ai/Images.h"

#include <gtest/gtest.h>

#include <fstream>

namespace warren::ai {
namespace {

const std::string kPng = base64Decode(
                             "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwACh"
                             "wGA60e6kgAAAABJRU5ErkJggg==")
                             .value();

ImageSource data(const std::string& base64, const std::string& type) {
  ImageSource s;
  s.kind = ImageSource::Kind::data;
  s.value = base64;
  s.mediaType = type;
  return s;
}

ImageSource file(const std::string& path) {
  ImageSource s;
  s.kind = ImageSource::Kind::file;
  s.value = path;
  return s;
}

std::string refusal(const ImageLoader& loader, const ImageSource& source) {
  try {
    loader.load(source, nullptr, "messages[0].content[1]", std::chrono::seconds(1));
  } catch (const Failure& f) {
    EXPECT_EQ(f.fault(), Fault::invalid);
    return f.what();
  }
  return "";
}

TEST(Images, SniffedByTheirBytes) {
  EXPECT_EQ(sniffImageType(kPng), "image/png");
  EXPECT_EQ(sniffImageType("\xFF\xD8\xFF\xE0 rest"), "image/jpeg");
  EXPECT_EQ(sniffImageType("GIF89a...."), "image/gif");
  EXPECT_EQ(sniffImageType(std::string_view("RIFF\x24\0\0\0WEBPVP8 ", 16)), "image/webp");
  EXPECT_FALSE(sniffImageType("<svg xmlns=...>"));
  EXPECT_FALSE(sniffImageType(""));
}

TEST(Images, InlineData) {
  const ImageLoader loader(nullptr, nullptr, 1 << 20);
  const Image image =
      loader.load(data(base64Encode(kPng), "image/png"), nullptr, "p", std::chrono::seconds(1));
  EXPECT_EQ(image.mediaType, "image/png");
  EXPECT_EQ(image.bytes, kPng.size());
  EXPECT_EQ(image.base64, base64Encode(kPng));
  EXPECT_EQ(refusal(loader, data(base64Encode(kPng), "image/jpeg")),
            "messages[0].content[1]: the bytes are image/png but media_type says image/jpeg");
  EXPECT_EQ(refusal(loader, data("%%%%", "image/png")),
            "messages[0].content[1].data: not valid base64");
  EXPECT_EQ(refusal(loader, data(base64Encode("plain text"), "image/png")),
            "messages[0].content[1]: not a JPEG, PNG, GIF or WebP image");
}

TEST(Images, LocalFilesAndTheSizeCap) {
  warren::test::TempDir dir;
  const auto path = (dir / "a.png").string();
  std::ofstream(path, std::ios::binary) << kPng;
  const ImageLoader loader(nullptr, nullptr, 1 << 20);
  EXPECT_EQ(loader.load(file(path), nullptr, "p", std::chrono::seconds(1)).mediaType, "image/png");
  const std::string missing = refusal(loader, file((dir / "none.png").string()));
  EXPECT_EQ(
      missing.rfind("messages[0].content[1].file: cannot read " + (dir / "none.png").string(), 0),
      0u)
      << missing;
  const ImageLoader tiny(nullptr, nullptr, 16);
  EXPECT_EQ(refusal(tiny, file(path)), "messages[0].content[1]: the image is " +
                                           std::to_string(kPng.size()) +
                                           " bytes, over ai.max_image_mb (0 MiB)");
}

TEST(Images, StorageAndUrlsNeedTheirServices) {
  const ImageLoader loader(nullptr, nullptr, 1 << 20);
  ImageSource key;
  key.kind = ImageSource::Kind::storageKey;
  key.value = "a.png";
  try {
    loader.load(key, nullptr, "p", std::chrono::seconds(1));
    FAIL();
  } catch (const Failure& f) {
    EXPECT_EQ(f.fault(), Fault::unavailable);
    EXPECT_STREQ(f.what(), "p.storage_key: no object storage");
  }
}

TEST(Images, UrlsAreShownWithoutTheirQuery) {
  EXPECT_EQ(redactedUrl("https://s3.example.com/b/k.png?X-Amz-Signature=abc#f"),
            "https://s3.example.com/b/k.png");
  EXPECT_EQ(redactedUrl("http://h/p"), "http://h/p");
}

}  // namespace
}  // namespace warren::ai
