// A fixture that hands the job's data to the host's AI service as a completion request and
// returns the response: the node tests check that the node installs the service and that each
// queue reaches its own provider.
#include <warren/plugin.hpp>

#include <string>

namespace {

class AiProbe final : public warren::Plugin {
 public:
  explicit AiProbe(const warren::Host& host) : warren::Plugin(host) {}

  warren::Result handle(warren::Job& job) override {
    const warren::Ai ai(host());
    if (!ai.available(WARREN_AI_COMPLETE)) return warren::Result::fail("no AI provider configured");
    try {
      return warren::Result::completed(ai.complete(&job, job.data()));
    } catch (const warren::AiError& e) {
      if (e.code() == WARREN_ERR_RETRY_LATER)
        return warren::Result::delayUntil(e.retryAtMs(), e.what());
      return e.retryable() ? warren::Result::retry(e.what()) : warren::Result::fail(e.what());
    }
  }
};

const char* const kJobNames[] = {"*"};

}  // namespace

WARREN_PLUGIN(AiProbe, "ai-probe", "1.0.0", kJobNames, WARREN_RESOURCE_IO, 1u << 20, 2, nullptr)
