// Compiled by the sdk_header_cxx17 test with g++ -std=c++17 -Wall -Wextra -Werror -pedantic
// -Wshadow -Wconversion: the wrapper must compile warning-free under strict third-party flags.
#include <warren/plugin.hpp>

namespace {

class Check final : public warren::Plugin {
 public:
  explicit Check(const warren::Host& host) : warren::Plugin(host) {}
  warren::Result handle(warren::Job&) override { return warren::Result::completed(); }
};

const char* const kJobs[] = {"check"};

}  // namespace

WARREN_PLUGIN(Check, "check", "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 1, nullptr)
