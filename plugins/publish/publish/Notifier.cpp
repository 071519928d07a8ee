#include "publish/Notifier.h"

#include "Clock.h"
#include "publish/Signing.h"

namespace publish {

void Notifier::send(const warren::Job* job, store::Publication& publication,
                    const std::string& event) {
  if (!enabled() || publication.wasNotified(event)) return;
  common::Json body = {{"event", "publication." + event},
                       {"publicationId", publication.id},
                       {"postId", publication.postId.empty() ? common::Json(nullptr)
                                                             : common::Json(publication.postId)},
                       {"platform", publication.platform},
                       {"accountId", publication.accountId},
                       {"at", isoTime(nowMs())}};
  if (event == "published" && publication.result.is_object()) {
    body["platformPostId"] = publication.result.value("platformPostId", "");
    body["url"] = publication.result.value("url", "");
    body["publishedAt"] = publication.result.value("publishedAt", "");
    if (publication.result.contains("thread")) body["thread"] = publication.result["thread"];
  } else {
    body["error"] = publication.error;
  }
  net::Request request;
  request.method = "POST";
  request.url = context_.settings.webhookUrl;
  request.body = common::dumpJson(body);
  request.timeoutMs = static_cast<std::uint32_t>(context_.settings.webhookTimeoutMs);
  request.idempotent = true;  // the receiver drops repeats of a Webhook-Id
  signWebhook(request, context_.settings.webhookSecret, publication.id + "." + event,
              nowMs() / 1000);
  std::string problem;
  try {
    const net::Response response = context_.http.send(job, request);
    if (!response.ok()) problem = "HTTP " + std::to_string(response.status);
  } catch (const net::TransportError& e) {
    problem = e.what();
  }
  try {
    context_.host.counter(
        "warren_publish_webhook_deliveries_total",
        {{"event", event.c_str()}, {"result", problem.empty() ? "ok" : "failed"}});
  } catch (const std::exception&) {
  }
  if (!problem.empty()) {
    context_.host.warn("publish: lifecycle event " + event + " of publication " + publication.id +
                       " was not delivered: " + problem);
    return;
  }
  try {
    context_.ledger.markNotified(job, publication, event);
  } catch (const std::exception& e) {
    context_.host.warn("publish: could not record the delivery of " + event + " for " +
                       publication.id + ": " + e.what());
  }
}

}  // namespace publish
