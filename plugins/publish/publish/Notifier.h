// Lifecycle events out (published, failed, unconfirmed), signed (publish/Signing.h), to the
// plugin's webhook_url when it is set. One delivery per event and publication, with a stable
// Webhook-Id so a receiver can drop the repeats a retried job may send.
#pragma once

#include "Context.h"
#include "store/Ledger.h"

#include <warren/plugin.hpp>

#include <string>

namespace publish {

class Notifier {
 public:
  explicit Notifier(Context& context) : context_(context) {}

  bool enabled() const { return !context_.settings.webhookUrl.empty(); }
  // Sends `event` for `publication` unless it was sent before, and records it. Never throws:
  // a delivery that fails (after the host's retries) is logged and counted, the job goes on.
  void send(const warren::Job* job, store::Publication& publication, const std::string& event);

 private:
  Context& context_;
};

}  // namespace publish
