#include "queue/CancelListener.h"

#include "json/Json.h"
#include "log/Log.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>

#include <algorithm>

namespace warren::queue {

using std::chrono::milliseconds;

CancelListener::CancelListener(redis::Url url, redis::ConnectionOptions options, std::string prefix,
                               Handler handler)
    : url_(std::move(url)),
      options_(std::move(options)),
      prefix_(std::move(prefix)),
      handler_(std::move(handler)) {
  thread_ = std::thread([this] { run(); });
}

CancelListener::~CancelListener() {
  std::shared_ptr<redis::Connection> connection;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    connection = connection_;
  }
  wake_.notify_all();
  if (connection) connection->interrupt();
  thread_.join();
}

void CancelListener::listen(std::vector<std::string> queues) {
  std::sort(queues.begin(), queues.end());
  {
    std::lock_guard lock(mutex_);
    if (queues == queues_) return;  // subscribed already
    queues_ = std::move(queues);
    changed_ = true;
  }
  wake_.notify_all();
}

bool CancelListener::parse(const std::string& prefix, const std::string& channel,
                           const std::string& payload, std::string& queue, std::string& id,
                           std::string& reason) {
  const std::string head = prefix + ":";
  const std::string tail = ":cancel";
  if (channel.size() <= head.size() + tail.size() || channel.compare(0, head.size(), head) != 0 ||
      channel.compare(channel.size() - tail.size(), tail.size(), tail) != 0) {
    return false;
  }
  queue = channel.substr(head.size(), channel.size() - head.size() - tail.size());
  try {
    const auto value = json::parse(payload);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return false;
    const auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (!object->has("jobId") || !object->get("jobId").isString()) return false;
    id = object->getValue<std::string>("jobId");
    reason = object->has("reason") && object->get("reason").isString()
                 ? object->getValue<std::string>("reason")
                 : std::string();
  } catch (const Poco::Exception&) {
    return false;
  }
  return !id.empty();
}

void CancelListener::run() {
  bool lost = false;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queues_.empty(); });
      if (stopping_) return;
    }
    try {
      auto connection = std::make_shared<redis::Connection>(url_, options_);
      {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        connection_ = connection;
      }
      if (lost) log::info("cancel channels subscribed again");
      lost = false;
      const bool stop = subscribeAndRead(*connection);
      std::lock_guard lock(mutex_);
      connection_.reset();
      if (stop) return;
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(mutex_);
        connection_.reset();
        if (stopping_) return;
      }
      if (!lost) {
        log::warn(
            "cancel channels: subscription lost; requests reach running jobs at their "
            "next lock renewal meanwhile",
            {{"error", e.what()}});
      }
      lost = true;
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, milliseconds(500), [this] { return stopping_; });
    }
  }
}

// Subscribes to the channels of the queues listened for and hands requests over until the set
// changes (false) or the listener stops (true). Throws ConnectionError when the connection goes.
bool CancelListener::subscribeAndRead(redis::Connection& connection) {
  std::vector<std::string> command = {"SUBSCRIBE"};
  {
    std::lock_guard lock(mutex_);
    changed_ = false;
    for (const auto& queue : queues_) command.push_back(prefix_ + ":" + queue + ":cancel");
  }
  if (command.size() == 1) return false;
  const redis::Reply subscribed = connection.command(command);
  if (subscribed.isError())
    throw redis::ConnectionError("SUBSCRIBE to the cancel channels refused: " + subscribed.str());
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return true;
      if (changed_) return false;
    }
    const auto push = connection.nextPush(milliseconds(1000));
    if (!push) continue;
    const auto& parts = push->elements();
    if (parts.size() != 3 || parts[0].str() != "message") continue;
    std::string queue, id, reason;
    if (!parse(prefix_, parts[1].str(), parts[2].str(), queue, id, reason)) {
      log::warn("cancel channels: a message that is not a cancel request was ignored",
                {{"channel", parts[1].str()}});
      continue;
    }
    handler_(queue, id, reason);
  }
}

}  // namespace warren::queue
