// A plugin whose init fails with a reason: the constructor throws, the wrapper's init
// trampoline turns that into an error text, and the host refuses the instance with it.
#include <warren/plugin.hpp>

#include <stdexcept>

namespace {

class InitFails final : public warren::Plugin {
 public:
  explicit InitFails(const warren::Host& host) : warren::Plugin(host) {
    throw std::runtime_error("cannot reach the licence server at 192.0.2.1:443");
  }
  warren::Result handle(warren::Job&) override { return warren::Result::completed(); }
};

const char* const kJobs[] = {"init_fails"};

}  // namespace

WARREN_PLUGIN(InitFails, "init_fails", "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 1, nullptr)
