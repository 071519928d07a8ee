// noop: the smallest inline plugin. Every job completes with its own data as the return value,
// like a Node BullMQ worker whose processor is `async (job) => job.data`; the benchmarks run it
// against exactly that.
//
// It declares WARREN_RESOURCE_INLINE: handle() never waits, so the host runs each job on the
// thread that fetched it instead of handing it to a pool thread (see <warren/plugin.h>). Copy
// this one, not echo, for handlers that only compute on the job's data for a few microseconds.
#include <warren/plugin.hpp>

#include <string>

namespace {

class Noop final : public warren::Plugin {
 public:
  explicit Noop(const warren::Host& host) : warren::Plugin(host) {}

  warren::Result handle(warren::Job& job) override {
    return warren::Result::completed(std::string(job.data()));
  }
};

const char* const kJobNames[] = {"*"};

}  // namespace

WARREN_PLUGIN(Noop, "noop", "1.0.0", kJobNames, WARREN_RESOURCE_INLINE, 1u << 16, 10, nullptr)
