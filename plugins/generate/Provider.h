// The provider method: drafts written by the AI provider the host serves on the queue, one
// structured completion per platform (all of its variants in one reply: each platform's rules,
// habits and limits go into its own instruction, and a reply stays small), with the brand
// profile in the system text and the analysis as data in a part of its own (spotlighting). A
// draft that fails its checks, or is too similar to a recent post, is written again alone, with
// the reasons or the similar post (as data) in the request.
#pragma once

#include "Brand.h"
#include "Checks.h"
#include "Compose.h"
#include "Settings.h"
#include "Source.h"

#include "ai/Client.h"
#include "ai/Completion.h"

#include <warren/plugin.hpp>

#include <string>
#include <vector>

namespace generate {

struct WriteContext {
  const Source& source;
  const BrandProfile& brand;
  const Layout& layout;
  std::string language;  // ISO 639-1 the posts are to be in ("" to follow the material)
  std::string goal;
};

// The requests, public for the tests.
std::string systemText(const BrandProfile& brand, const std::string& language);
std::string platformInstruction(const Layout& layout, std::size_t count, const std::string& goal);
std::string materialText(const Source& source, std::size_t maxChars);
common::Json draftsSchema(std::size_t count);

class Writer {
 public:
  Writer(const common::ai::Client& client, const warren::Job& job, const Settings& settings)
      : client_(client), job_(job), settings_(settings) {}

  // `count` drafts for the context's platform.
  std::vector<std::string> drafts(const WriteContext& context, std::size_t count);
  // One draft again, told what failed.
  std::string fix(const WriteContext& context, const std::string& previous,
                  const std::vector<Problem>& problems);
  // One draft again, unlike `similar` (a recent post of the brand).
  std::string distinct(const WriteContext& context, const std::string& previous,
                       const std::string& similar, double similarity);

  const common::ai::Usage& usage() const { return usage_; }
  const std::string& provider() const { return provider_; }
  const std::string& model() const { return model_; }
  int calls() const { return calls_; }

 private:
  common::ai::Completion base(const WriteContext& context, std::size_t count) const;
  std::vector<std::string> call(const common::ai::Completion& completion, std::size_t count);

  const common::ai::Client& client_;
  const warren::Job& job_;
  const Settings& settings_;
  common::ai::Usage usage_;
  std::string provider_, model_;
  int calls_ = 0;
};

}  // namespace generate
