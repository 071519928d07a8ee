#include "Posts.h"

#include "platform/Platform.h"

#include <gtest/gtest.h>

namespace warren::test {

void expectFitsItsPlatform(const Json& post) {
  const std::string name = post["platform"];
  const auto platform = common::platform::parsePlatform(name);
  ASSERT_TRUE(platform) << name;
  const common::platform::Rules rules = common::platform::rulesFor(*platform);
  std::vector<std::string> parts = {post["text"].get<std::string>()};
  for (const Json& part : post["thread"]) parts.push_back(part.get<std::string>());
  for (const std::string& part : parts) {
    const auto length = common::platform::measure(part, rules);
    EXPECT_TRUE(length.fits()) << name << ": " << length.value << " " << length.rule << " of "
                               << length.limit << ": " << part;
  }
  const auto first = common::platform::measure(parts.front(), rules);
  EXPECT_EQ(post["length"]["value"], first.value) << post.dump();
  EXPECT_EQ(post["length"]["limit"], first.limit) << post.dump();
  EXPECT_EQ(post["length"]["rule"], first.rule) << post.dump();
}

Json postsOf(const Json& result, const std::string& platform) {
  Json out = Json::array();
  for (const Json& post : result["posts"]) {
    if (post["platform"] == platform) out.push_back(post);
  }
  return out;
}

}  // namespace warren::test
