// The embed plugin (queue content-embed): embeddings of texts through the host's AI service or
// the offline model, stored in content_embeddings; the most similar stored post of a brand for
// each input (duplicate checks). The work is plugins/common/vector; this file is the wiring.
#include "Config.h"
#include "Jobs.h"

#include "embed/Schemas.h"
#include "job/Failure.h"
#include "vector/Schema.h"

#include <warren/plugin.hpp>

namespace embed {
namespace {

class EmbedPlugin final : public warren::Plugin {
 public:
  explicit EmbedPlugin(const warren::Host& host)
      : warren::Plugin(host),
        settings_(readSettings(host)),
        embedder_(host, settings_.embedder),
        index_(host, settings_.index) {
    for (const std::string& note : index_.prepare()) host.info("embed: " + note);
  }

  warren::Result handle(warren::Job& job) override {
    return common::job::run(job, [&] {
      const common::Json data = common::parseJson(job.data(), "job data");
      Context context{settings_, embedder_, index_};
      if (job.name() == "embedding:generate")
        return warren::Result::completed(common::dumpJson(generate(context, job, data)));
      if (job.name() == "embedding:similarity")
        return warren::Result::completed(common::dumpJson(similarity(context, job, data)));
      return warren::Result::fail("the embed plugin has no job '" + std::string(job.name()) + "'");
    });
  }

 private:
  const Settings settings_;
  const common::vector::Embedder embedder_;
  common::vector::EmbeddingIndex index_;
};

const char* const kJobNames[] = {"embedding:generate", "embedding:similarity"};

const warren_job_type kJobTypes[] = {
    warren::jobType("embedding:generate",
                    "Embeds texts (AI provider or offline) and stores one vector each for a brand",
                    schemas::k_generate_data, schemas::k_generate_result),
    warren::jobType(
        "embedding:similarity",
        "For each text or vector, the most similar of the brand's recent stored vectors",
        schemas::k_similarity_data, schemas::k_similarity_result),
};

const warren_migration kMigrations[] = {
    warren::migration(1, "content_embeddings", common::vector::schema::kPostgres,
                      common::vector::schema::kSqlite),
};

}  // namespace
}  // namespace embed

// Memory per job: a batch of 500 texts of 20,000 characters with 3072-dimension vectors (the
// reply, its decoded vectors and the SQL parameters). The cache is separate: cache_mb.
WARREN_PLUGIN_EX(embed::EmbedPlugin, "embed", "1.0.0", embed::kJobNames, WARREN_RESOURCE_IO,
                 48u << 20, 8, embed::kConfigKeys, embed::kJobTypes, embed::kMigrations)
