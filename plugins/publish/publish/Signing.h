// Signed webhooks (the webhook platform and the lifecycle events): the body is signed with
// HMAC-SHA256 over "<timestamp>.<body>", so a receiver can check both and refuse replays.
//
//   Webhook-Id: <delivery id>            the same on every retry of one delivery
//   Webhook-Timestamp: <Unix seconds>
//   Webhook-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>
#pragma once

#include "net/Http.h"

#include <cstdint>
#include <string>

namespace publish {

std::string webhookSignature(const std::string& secret, std::int64_t timestampS,
                             const std::string& body);
// Adds the three headers and the JSON content type to `request` (whose body is set).
void signWebhook(net::Request& request, const std::string& secret, const std::string& id,
                 std::int64_t timestampS);

}  // namespace publish
