#include "publish/Signing.h"

#include "crypto/Digest.h"

namespace publish {

std::string webhookSignature(const std::string& secret, std::int64_t timestampS,
                             const std::string& body) {
  return "v1=" + common::crypto::hmacSha256Hex(secret, std::to_string(timestampS) + "." + body);
}

void signWebhook(net::Request& request, const std::string& secret, const std::string& id,
                 std::int64_t timestampS) {
  request.header("Content-Type", "application/json");
  request.header("Webhook-Id", id);
  request.header("Webhook-Timestamp", std::to_string(timestampS));
  request.header("Webhook-Signature", webhookSignature(secret, timestampS, request.body));
}

}  // namespace publish
