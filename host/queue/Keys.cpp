#include "queue/Keys.h"

#include "redis/Cluster.h"

#include <stdexcept>

namespace warren::queue {

Keys::Keys(std::string prefix, std::string queue)
    : prefix_(std::move(prefix)), queue_(std::move(queue)) {
  if (queue_.empty()) throw std::invalid_argument("queue name is empty");
  if (queue_.find(':') != std::string::npos) {
    throw std::invalid_argument("queue name '" + queue_ + "' contains ':'");
  }
  base_ = prefix_ + ":" + queue_ + ":";
}

std::string Keys::workerClientName(const std::string& workerName) const {
  std::string name = prefix_ + ":" + base64(queue_);
  if (!workerName.empty()) name += ":w:" + workerName;
  return name;
}

namespace {

std::string untagged(std::string text) {
  std::erase(text, '{');
  std::erase(text, '}');
  return text;
}

}  // namespace

void requireHashTag(const Keys& keys) {
  if (redis::hashTag(keys.base())) return;
  throw std::invalid_argument(
      "queue '" + keys.queue() + "' cannot be served on a Redis Cluster: its keys (" + keys.base() +
      "...) carry no hash tag, so they would spread over many slots and BullMQ's " +
      "scripts would fail. Set redis.prefix to a tagged prefix such as {" + keys.prefix() +
      "} (every queue in one slot), or name the queue with a tag such as {" + keys.queue() +
      "} (a slot per queue); Node producers must use the same prefix and names");
}

void requireSameSlot(const Keys& child, const std::string& parentQueueKey) {
  const std::string parentBase = parentQueueKey + ":";  // outlives the tag views below
  const auto childTag = redis::hashTag(child.base());
  const auto parentTag = redis::hashTag(parentBase);
  if (redis::keySlot(child.base()) == redis::keySlot(parentBase)) return;
  const auto shown = [](const std::optional<std::string_view>& tag) {
    return tag ? "{" + std::string(*tag) + "}" : std::string("no hash tag");
  };
  throw std::invalid_argument("a child in queue '" + child.queue() + "' (" + shown(childTag) +
                              ") cannot have its parent in '" + parentQueueKey + "' (" +
                              shown(parentTag) +
                              ") on a Redis Cluster: a flow's queues must share one hash tag, "
                              "e.g. a common prefix such as {" +
                              untagged(child.prefix()) + "}");
}

std::string base64(const std::string& bytes) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

}  // namespace warren::queue
