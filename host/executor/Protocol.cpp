#include "executor/Protocol.h"

#include <cstring>

namespace warren::executor {

std::string_view kindName(Kind kind) {
  switch (kind) {
    case Kind::start:
      return "start";
    case Kind::ready:
      return "ready";
    case Kind::initFailed:
      return "init failed";
    case Kind::job:
      return "job";
    case Kind::cancel:
      return "cancel";
    case Kind::call:
      return "call";
    case Kind::reply:
      return "reply";
    case Kind::outcome:
      return "outcome";
    case Kind::stop:
      return "stop";
  }
  return "unknown";
}

std::string frameName(Kind kind) {
  const std::string_view name = kindName(kind);
  const bool vowel = std::string_view("aeiou").find(name.front()) != std::string_view::npos;
  return std::string(vowel ? "an " : "a ") + std::string(name) + " frame";
}

namespace {

template <typename T>
void append(std::string& out, T value) {
  char raw[sizeof(T)];
  std::memcpy(raw, &value, sizeof(T));
  out.append(raw, sizeof(T));
}

}  // namespace

FrameBuilder::FrameBuilder(Kind kind) {
  frame_.reserve(64);
  append<std::uint32_t>(frame_, 0);
  frame_.push_back(static_cast<char>(kind));
}

FrameBuilder& FrameBuilder::u8(std::uint8_t value) {
  frame_.push_back(static_cast<char>(value));
  return *this;
}
FrameBuilder& FrameBuilder::u32(std::uint32_t value) {
  append(frame_, value);
  return *this;
}
FrameBuilder& FrameBuilder::i32(std::int32_t value) {
  append(frame_, value);
  return *this;
}
FrameBuilder& FrameBuilder::u64(std::uint64_t value) {
  append(frame_, value);
  return *this;
}
FrameBuilder& FrameBuilder::i64(std::int64_t value) {
  append(frame_, value);
  return *this;
}
FrameBuilder& FrameBuilder::f64(double value) {
  append(frame_, value);
  return *this;
}
FrameBuilder& FrameBuilder::bytes(std::string_view value) {
  append(frame_, static_cast<std::uint32_t>(value.size()));
  frame_.append(value.data(), value.size());
  return *this;
}
FrameBuilder& FrameBuilder::text(const char* value) {
  u8(value != nullptr ? 1 : 0);
  if (value != nullptr) bytes(value);
  return *this;
}
FrameBuilder& FrameBuilder::maybe(const std::optional<std::string>& value) {
  u8(value ? 1 : 0);
  if (value) bytes(*value);
  return *this;
}

std::string FrameBuilder::finish() && {
  const auto size = static_cast<std::uint32_t>(frame_.size() - sizeof(std::uint32_t));
  std::memcpy(frame_.data(), &size, sizeof size);
  return std::move(frame_);
}

template <typename T>
T FrameReader::take() {
  if (rest_.size() < sizeof(T)) {
    throw ProtocolError(frameName(kind_) + " ends in the middle of a field");
  }
  T value{};
  std::memcpy(&value, rest_.data(), sizeof value);
  rest_.remove_prefix(sizeof value);
  return value;
}

std::uint8_t FrameReader::u8() {
  return take<std::uint8_t>();
}
std::uint32_t FrameReader::u32() {
  return take<std::uint32_t>();
}
std::int32_t FrameReader::i32() {
  return take<std::int32_t>();
}
std::uint64_t FrameReader::u64() {
  return take<std::uint64_t>();
}
std::int64_t FrameReader::i64() {
  return take<std::int64_t>();
}
double FrameReader::f64() {
  return take<double>();
}

std::string_view FrameReader::bytes() {
  const std::uint32_t size = u32();
  if (rest_.size() < size) {
    throw ProtocolError(frameName(kind_) + " ends in the middle of a string");
  }
  const std::string_view value = rest_.substr(0, size);
  rest_.remove_prefix(size);
  return value;
}

std::optional<std::string_view> FrameReader::maybe() {
  const std::uint8_t present = u8();
  if (present > 1) {
    throw ProtocolError(frameName(kind_) + " has a bad string flag");
  }
  if (present == 0) return std::nullopt;
  return bytes();
}

void FrameReader::end() const {
  if (!rest_.empty()) {
    throw ProtocolError(frameName(kind_) + " has " + std::to_string(rest_.size()) +
                        " bytes too many");
  }
}

std::optional<Frame> takeFrame(std::string& buffer) {
  std::uint32_t size = 0;
  if (buffer.size() < sizeof size) return std::nullopt;
  std::memcpy(&size, buffer.data(), sizeof size);
  if (size == 0) throw ProtocolError("an empty frame");
  if (size > kMaxFrameBytes) {
    throw ProtocolError("a frame of " + std::to_string(size) + " bytes (the limit is " +
                        std::to_string(kMaxFrameBytes) + ")");
  }
  const auto kind = static_cast<std::uint8_t>(buffer[sizeof size]);
  if (kind == 0 || kind > kLastKind) {
    throw ProtocolError("a frame of unknown kind " + std::to_string(kind));
  }
  if (buffer.size() < sizeof size + size) return std::nullopt;
  Frame frame;
  frame.kind = static_cast<Kind>(kind);
  frame.payload = buffer.substr(sizeof size + 1, size - 1);
  buffer.erase(0, sizeof size + size);
  return frame;
}

}  // namespace warren::executor
