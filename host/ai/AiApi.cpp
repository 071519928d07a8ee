#include "ai/AiApi.h"

#include "ai/Failure.h"
#include "ai/Service.h"
#include "plugins/HostApi.h"
#include "plugins/Instance.h"
#include "plugins/JobContext.h"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <string>

namespace warren::ai {
namespace {

std::atomic<AiService*> g_service{nullptr};

// The queue a plugin instance serves: its scope, which picks the provider.
std::string_view queueOf(const warren_host* host) {
  if (host == nullptr || host->instance == nullptr) return {};
  return host->instance->scope();
}

void clear(warren_buffer* buffer) {
  if (buffer != nullptr) *buffer = warren_buffer{nullptr, 0};
}

// Fills the members of `error` that the plugin's struct (of its struct_size) has.
void report(warren_ai_error* error, Fault fault, std::int64_t retryAtMs, std::string_view text) {
  if (error == nullptr) return;
  const std::uint32_t size = error->struct_size;
  if (size >= offsetof(warren_ai_error, retryable) + sizeof(error->retryable)) {
    error->retryable = retryable(fault) ? 1u : 0u;
  }
  if (size >= offsetof(warren_ai_error, retry_at_ms) + sizeof(error->retry_at_ms)) {
    error->retry_at_ms = fault == Fault::rateLimited ? retryAtMs : 0;
  }
  if (size >= offsetof(warren_ai_error, message) + sizeof(error->message)) {
    clear(&error->message);
    plugins::fillBuffer(&error->message, text);
  }
}

template <typename Call>
warren_status serve(const warren_host* host, const warren_job* job, const char* request,
                    std::size_t len, warren_buffer* response, warren_ai_error* error,
                    Call&& call) noexcept {
  clear(response);
  try {
    AiService* service = g_service.load();
    if (service == nullptr) {
      report(error, Fault::notFound, 0, "no AI provider configured");
      return WARREN_ERR_NOT_FOUND;
    }
    if (request == nullptr) {
      report(error, Fault::invalid, 0, "request is NULL");
      return WARREN_ERR_INVALID;
    }
    plugins::JobContext* context = job != nullptr ? job->context : nullptr;
    const std::string caller(plugins::pluginNameOf(host));
    const std::string out =
        call(*service, queueOf(host), context, std::string_view(request, len), caller);
    if (!plugins::fillBuffer(response, out)) {
      report(error, Fault::internal, 0, "out of memory");
      return WARREN_ERR_INTERNAL;
    }
    return WARREN_OK;
  } catch (const Failure& failure) {
    report(error, failure.fault(), failure.retryAtMs(), failure.what());
    return statusOf(failure.fault());
  } catch (const std::exception& e) {
    report(error, Fault::internal, 0, std::string("internal error: ") + e.what());
    return WARREN_ERR_INTERNAL;
  } catch (...) {
    report(error, Fault::internal, 0, "internal error");
    return WARREN_ERR_INTERNAL;
  }
}

int available(const warren_host* host, std::uint32_t capability) noexcept {
  try {
    AiService* service = g_service.load();
    return service != nullptr && service->available(queueOf(host), capability) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

warren_status complete(const warren_host* host, const warren_job* job, const char* request,
                       std::size_t len, warren_buffer* response, warren_ai_error* error) noexcept {
  return serve(
      host, job, request, len, response, error,
      [](AiService& s, std::string_view queue, plugins::JobContext* context, std::string_view text,
         const std::string& caller) { return s.complete(queue, context, text, caller); });
}

warren_status embed(const warren_host* host, const warren_job* job, const char* request,
                    std::size_t len, warren_buffer* response, warren_ai_error* error) noexcept {
  return serve(
      host, job, request, len, response, error,
      [](AiService& s, std::string_view queue, plugins::JobContext* context, std::string_view text,
         const std::string& caller) { return s.embed(queue, context, text, caller); });
}

const warren_ai_api kAiApi = {
    static_cast<std::uint32_t>(sizeof(warren_ai_api)),
    available,
    complete,
    embed,
};

}  // namespace

const warren_ai_api* aiApi(AiService& service) {
  g_service.store(&service);
  return &kAiApi;
}

}  // namespace warren::ai
