// Images from object storage and from URLs (through the host's HTTP client), and the refusals
// a plugin gets for them.
#include "AiHarness.h"

#include "ai/Base64.h"

namespace warren::ai::test {
namespace {

class ImageSources : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { AiHarness::startFake(); }
  static void TearDownTestSuite() { AiHarness::stopFake(); }
  void SetUp() override { h_.serve(AiHarness::settingsFor(ProviderKind::openai)); }
  std::string withImage(const Json& image) {
    Json part = image;
    part["type"] = "image";
    return Json({{"messages",
                  {{{"role", "user"},
                    {"content", {{{"type", "text"}, {"text", "What is it?"}}, part}}}}}})
        .dump();
  }
  Failure failure(const Json& image) {
    return failureOf([&] { h_.complete(withImage(image)); });
  }
  AiHarness h_;
};

TEST_F(ImageSources, FromObjectStorage) {
  const auto file = h_.dir() / "upload.png";
  warren::test::writeFile(file, *base64Decode(kPngBase64));
  h_.store().putFile("uploads/a.png", file, "image/png");
  const Json r = h_.complete(withImage({{"storage_key", "uploads/a.png"}}));
  EXPECT_EQ(r["text"], "fake reply (openai): What is it?; images: image/png(70 B)");
  const Failure missing = failure({{"storage_key", "uploads/none.png"}});
  EXPECT_EQ(missing.fault(), Fault::invalid);
  EXPECT_EQ(std::string(missing.what()).rfind("messages[0].content[1].storage_key: ", 0), 0u)
      << missing.what();
  EXPECT_EQ(AiHarness::fake().requests("openai").size(), 1u);  // a bad image is never sent
}

TEST_F(ImageSources, FromUrls) {
  for (const char* type : {"png", "jpeg", "gif", "webp"}) {
    const Json r = h_.complete(withImage({{"url", AiHarness::fake().imageUrl(type)}}));
    EXPECT_NE(r["text"].get<std::string>().find(std::string("image/") + type), std::string::npos);
  }
  const Failure text = failure({{"url", AiHarness::fake().imageUrl("text")}});
  EXPECT_EQ(std::string(text.what()), "messages[0].content[1]: not a JPEG, PNG, GIF or WebP image");
  const Failure missing =
      failure({{"url", AiHarness::fake().url() + "/__fake/image/nope?sig=SECRET42"}});
  EXPECT_EQ(missing.fault(), Fault::invalid);
  EXPECT_EQ(std::string(missing.what()), "messages[0].content[1].url " + AiHarness::fake().url() +
                                             "/__fake/image/nope: HTTP 404");
}

TEST_F(ImageSources, OverTheCap) {
  Settings s = AiHarness::settingsFor(ProviderKind::openai);
  s.maxImageBytes = 1 << 20;
  h_.serve(s);
  const Failure big = failure({{"url", AiHarness::fake().imageUrl("big") + "?mb=2"}});
  EXPECT_EQ(big.fault(), Fault::invalid);
  EXPECT_EQ(std::string(big.what()),
            "messages[0].content[1]: the image is 2097152 bytes, over ai.max_image_mb (1 MiB)");
}

}  // namespace
}  // namespace warren::ai::test
