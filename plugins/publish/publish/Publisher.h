// post:publish: one post (a thread included) to one platform account, exactly once as far as
// the platform allows. See docs/jobs.md for the contract and plugins/publish/README.md for how
// each platform is reconciled after a crash.
#pragma once

#include "Context.h"
#include "publish/Notifier.h"

#include <warren/plugin.hpp>

namespace publish {

class Publisher {
 public:
  explicit Publisher(Context& context) : context_(context), notifier_(context) {}

  warren::Result run(const warren::Job& job);

 private:
  Context& context_;
  Notifier notifier_;
};

// The post of a post:publish job's data as published: {platform, accountId, text, thread[],
// mediaKeys[], altTexts[], replyTo?, visibility?, language?}, with every field checked.
// Throws job::Unrecoverable naming the field. `fromRow` is the posts row's post when the data
// gave a postId.
common::Json normalisePost(const common::Json& data, const common::Json& fromRow);

}  // namespace publish
