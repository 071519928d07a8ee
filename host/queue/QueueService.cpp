#include "queue/QueueService.h"

#include "log/Log.h"
#include "plugins/HostApi.h"
#include "queue/Producer.h"
#include "redis/Errors.h"

#include <atomic>
#include <stdexcept>

namespace warren::queue {
namespace {

std::atomic<QueueService*> g_service{nullptr};

// BullMQ's rule for queue names (§1.1).
void checkQueueName(const char* queue) {
  if (queue == nullptr || *queue == '\0') throw std::invalid_argument("the queue name is empty");
  if (std::string(queue).find(':') != std::string::npos) {
    throw std::invalid_argument("Queue name cannot contain :");
  }
}

// Runs one call, turning its exceptions into a status and the error text.
template <typename Fn>
warren_status guarded(const warren_host* host, warren_buffer* error, Fn&& call) noexcept {
  if (error != nullptr) *error = warren_buffer{nullptr, 0};
  const auto fail = [&](warren_status status, const std::string& text) {
    log::debug("plugin queue call refused",
               {{"plugin", std::string(plugins::pluginNameOf(host))}, {"error", text}});
    plugins::fillBuffer(error, text);
    return status;
  };
  try {
    if (g_service.load() == nullptr) {
      return fail(WARREN_ERR_UNAVAILABLE, "the host has no queue service");
    }
    call(*g_service.load());
    return WARREN_OK;
  } catch (const std::invalid_argument& e) {
    return fail(WARREN_ERR_INVALID, e.what());
  } catch (const ParentMissing& e) {
    return fail(WARREN_ERR_NOT_FOUND, e.what());
  } catch (const redis::ConnectionError& e) {
    return fail(WARREN_ERR_UNAVAILABLE, e.what());
  } catch (const std::exception& e) {
    return fail(WARREN_ERR_INTERNAL, e.what());
  }
}

const char* orEmptyObject(const char* json) {
  return json != nullptr ? json : "{}";
}

warren_status add(const warren_host* host, const warren_job* /*job*/, const char* queue,
                  const char* name, const char* dataJson, const char* optsJson,
                  warren_buffer* jobId, warren_buffer* error) noexcept {
  if (jobId != nullptr) *jobId = warren_buffer{nullptr, 0};
  return guarded(host, error, [&](QueueService& service) {
    checkQueueName(queue);
    if (name == nullptr) throw std::invalid_argument("the job name is NULL");
    const std::string id =
        service.add(queue, name, orEmptyObject(dataJson), orEmptyObject(optsJson));
    if (!plugins::fillBuffer(jobId, id)) throw std::bad_alloc();
  });
}

warren_status upsertScheduler(const warren_host* host, const char* queue, const char* schedulerId,
                              const char* repeatJson, const char* templateJson,
                              warren_buffer* error) noexcept {
  return guarded(host, error, [&](QueueService& service) {
    checkQueueName(queue);
    if (schedulerId == nullptr) throw std::invalid_argument("the job scheduler id is NULL");
    if (repeatJson == nullptr) throw std::invalid_argument("the repeat options are NULL");
    service.upsertScheduler(queue, schedulerId, repeatJson,
                            templateJson != nullptr ? templateJson : "");
  });
}

const warren_queue_api kTable = {sizeof(warren_queue_api), add, upsertScheduler};

}  // namespace

QueueService::QueueService(std::shared_ptr<RedisPool> pool, std::string prefix)
    : pool_(std::move(pool)), prefix_(std::move(prefix)) {}

QueueService::~QueueService() {
  QueueService* self = this;
  g_service.compare_exchange_strong(self, nullptr);
}

const warren_queue_api* QueueService::table() {
  g_service.store(this);
  return &kTable;
}

std::string QueueService::add(const std::string& queue, const std::string& name,
                              const std::string& dataJson, const std::string& optsJson) {
  auto connection = pool_->lease();
  Producer producer(*connection, prefix_, queue);
  return producer.add(name, dataJson, optsJson);
}

std::optional<std::string> QueueService::upsertScheduler(const std::string& queue,
                                                         const std::string& id,
                                                         const std::string& repeatJson,
                                                         const std::string& templateJson) {
  auto connection = pool_->lease();
  Producer producer(*connection, prefix_, queue);
  return producer.upsertJobScheduler(id, repeatJson, templateJson);
}

}  // namespace warren::queue
