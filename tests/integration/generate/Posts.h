// Assertions on the posts content:generate returns.
#pragma once

#include "GenerateNode.h"

#include <string>

namespace warren::test {

// Each part of the post (text, then thread) fits its platform by the platform's own rule, and
// the post's length is measured by that rule.
void expectFitsItsPlatform(const Json& post);

// The posts of one platform.
Json postsOf(const Json& result, const std::string& platform);

}  // namespace warren::test
