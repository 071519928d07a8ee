// generate: posts for social platforms from analysed material, in a brand's voice, that fit each
// platform by its own rule, pass the brand's checks and do not repeat the brand's recent posts.
// Serves the `content-generate` queue; see README.md and docs/jobs.md for the contract. The work
// is in Generator.cpp; this file is the wiring.
#include "GenerateSchemas.h"
#include "Generator.h"
#include "Migrations.h"
#include "Settings.h"

#include "ai/Client.h"
#include "job/Failure.h"

#include <warren/plugin.hpp>

#include <stdexcept>

namespace generate {
namespace {

// A config the plugin cannot work with refuses it at start, with the reason.
Settings settingsOf(const warren::Host& host) {
  try {
    return readSettings(host);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(std::string("generate: ") + e.what());
  }
}

class GeneratePlugin final : public warren::Plugin {
 public:
  explicit GeneratePlugin(const warren::Host& host)
      : warren::Plugin(host),
        settings_(settingsOf(host)),
        ai_(host),
        index_(host, settings_.index),
        generator_(host, settings_, ai_, index_) {
    for (const std::string& note : index_.prepare()) host.info("generate: " + note);
  }

  warren::Result handle(warren::Job& job) override {
    return common::job::run(job, [&] {
      if (job.name() != "content:generate") {
        return warren::Result::fail("job name '" + std::string(job.name()) +
                                    "' is not handled by plugin generate (content:generate)");
      }
      const common::Json data = common::parseJson(job.data(), "job data");
      return warren::Result::completed(common::dumpJson(generator_.run(job, data)));
    });
  }

 private:
  const Settings settings_;
  const common::ai::Client ai_;
  common::vector::EmbeddingIndex index_;
  const Generator generator_;
};

const char* const kJobNames[] = {"content:generate"};

const warren_job_type kJobTypes[] = {
    jobType("content:generate",
            "Posts per platform from analysed material in a brand's voice: each fits the "
            "platform's own length rule, passes the brand's checks and is de-duplicated against "
            "the brand's recent posts",
            schemas::kContentGenerateData, schemas::kContentGenerateResult),
};

// Peak memory of one job (README.md, "Memory"): the analysis, the completion requests and
// replies, one vector per draft, the drafts' text; the brand cache is apart (cache_mb).
constexpr std::uint64_t kMemoryPerJob = 16ull << 20;

}  // namespace
}  // namespace generate

WARREN_PLUGIN_EX(generate::GeneratePlugin, "generate", "1.0.0", generate::kJobNames,
                 WARREN_RESOURCE_IO, generate::kMemoryPerJob, 8, generate::kConfigKeys,
                 generate::kJobTypes, generate::kMigrations)
