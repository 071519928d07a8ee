// Built twice, as dup_a (FIXTURE_VALUE 1) and dup_b (FIXTURE_VALUE 2), WITHOUT the SDK's
// version script and with default visibility: both libraries export the same extern "C"
// function. The handler calls it through the PLT (a default-visibility function may be
// interposed, so the compiler cannot bind the call locally). Loaded RTLD_LOCAL, each library
// still reaches its own copy; loaded RTLD_GLOBAL, the second would reach the first's.
#include <warren/plugin.hpp>

#include <string>

extern "C" WARREN_EXPORT __attribute__((noinline)) int warren_fixture_shared_value(void) {
  return FIXTURE_VALUE;
}

namespace {

class Dup final : public warren::Plugin {
 public:
  explicit Dup(const warren::Host& host) : warren::Plugin(host) {}
  warren::Result handle(warren::Job&) override {
    return warren::Result::completed(std::to_string(warren_fixture_shared_value()));
  }
};

const char* const kJobs[] = {"dup"};

}  // namespace

WARREN_PLUGIN(Dup, FIXTURE_NAME, "1.0.0", kJobs, WARREN_RESOURCE_IO, 1u << 20, 1, nullptr)
