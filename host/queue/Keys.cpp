#include "queue/Keys.h"

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
