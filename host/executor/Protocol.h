// The executor protocol: what the node and an executor process say to each other over their
// socketpair (docs/isolation.md). A frame is a 4-byte length (of what follows, native byte
// order: both ends are the same binary), one byte of kind, then the payload: fields one after
// another, integers in native order, strings as a 4-byte length and the bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace warren::executor {

// The executor's end of the socketpair, as the process sees it after exec.
constexpr int kChannelFd = 3;
// The hidden command that starts an executor process: `warren __executor <parent pid>`.
constexpr const char* kExecutorCommand = "__executor";

// How an executor process ends by itself, besides a plugin's own exit().
constexpr int kExitStopped = 0;        // asked to stop, the plugin shut down
constexpr int kExitMemoryLimit = 120;  // an allocation failed at its memory limit
constexpr int kExitStackOverflow = 121;
constexpr int kExitParentGone = 122;  // the node closed the socket or spoke garbage

// Frames beyond this are garbage, not a message (the largest legitimate ones carry job data
// and HTTP bodies, capped at http.client.max_response_bytes).
constexpr std::uint32_t kMaxFrameBytes = 1u << 30;

enum class Kind : std::uint8_t {
  start = 1,   // node → executor: the plugin to load, its config and limits
  ready,       // executor → node: the plugin's init succeeded
  initFailed,  // executor → node: why it did not
  job,         // node → executor: one job to run
  cancel,      // node → executor: the running job is asked to stop, with the reason
  call,        // executor → node: a host service call (Calls.h)
  reply,       // node → executor: the call's result
  outcome,     // executor → node: the job's outcome
  stop,        // node → executor: shut the plugin down and exit
};
constexpr std::uint8_t kLastKind = static_cast<std::uint8_t>(Kind::stop);

std::string_view kindName(Kind kind);
// "a job frame", "an outcome frame".
std::string frameName(Kind kind);

// The other side broke the protocol; what() says how.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds one frame.
class FrameBuilder {
 public:
  explicit FrameBuilder(Kind kind);

  FrameBuilder& u8(std::uint8_t value);
  FrameBuilder& u32(std::uint32_t value);
  FrameBuilder& i32(std::int32_t value);
  FrameBuilder& u64(std::uint64_t value);
  FrameBuilder& i64(std::int64_t value);
  FrameBuilder& f64(double value);
  FrameBuilder& bytes(std::string_view value);
  // A string that may be NULL (a flag byte, then the bytes).
  FrameBuilder& text(const char* value);
  FrameBuilder& maybe(const std::optional<std::string>& value);

  // The frame, its length filled in.
  std::string finish() &&;

 private:
  std::string frame_;
};

// Reads the payload of one frame; each read throws ProtocolError when the payload ends early.
class FrameReader {
 public:
  FrameReader(Kind kind, std::string_view payload) : kind_(kind), rest_(payload) {}

  Kind kind() const { return kind_; }
  std::uint8_t u8();
  std::uint32_t u32();
  std::int32_t i32();
  std::uint64_t u64();
  std::int64_t i64();
  double f64();
  std::string_view bytes();  // valid while the frame's buffer is
  std::optional<std::string_view> maybe();
  // Throws when bytes are left over: a frame of another shape.
  void end() const;

 private:
  // The next fixed-size field, as FrameBuilder appended it.
  template <typename T>
  T take();
  Kind kind_;
  std::string_view rest_;
};

// One received frame: its kind and payload.
struct Frame {
  Kind kind = Kind::start;
  std::string payload;
  FrameReader reader() const { return FrameReader(kind, payload); }
};

// Splits frames off the front of `buffer`: the next complete one, or nothing when more bytes
// are needed. Throws ProtocolError for a length beyond kMaxFrameBytes, an empty frame or an
// unknown kind.
std::optional<Frame> takeFrame(std::string& buffer);

}  // namespace warren::executor
