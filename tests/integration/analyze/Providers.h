// The four ways a node reaches an AI provider, each pointed at the local fake (AiFake) with a
// key the fake checks, so that a test can also check that no key shows in any output.
#pragma once

#include "AiFake.h"

#include <string>
#include <vector>

namespace warren::test {

struct ProviderCase {
  std::string name;      // AI_PROVIDER: custom, openai, gemini, claude
  std::string fakeName;  // the fake's provider: openai (custom too), gemini, anthropic
  std::string key;       // the API key the node is given
};

const std::vector<ProviderCase>& providerCases();

// A fake that accepts only the keys of providerCases().
AiFakeOptions fakeKeys();

// The node environment for `provider` against `fake`.
std::vector<std::string> providerEnv(const ProviderCase& provider, const AiFake& fake);

}  // namespace warren::test
