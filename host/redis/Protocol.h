// RESP2 encoding and decoding, done by hiredis's formatter and reply reader. Kept apart from the
// socket so it can be tested byte by byte without a server.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "redis/Reply.h"

struct redisReader;

namespace warren::redis {

// One command as a RESP multi-bulk request. Arguments are binary-safe.
std::string encodeCommand(const std::vector<std::string>& argv);

// Incremental decoder: feed bytes as they arrive, take complete replies out.
class ReplyReader {
 public:
  ReplyReader();
  ~ReplyReader();
  ReplyReader(const ReplyReader&) = delete;
  ReplyReader& operator=(const ReplyReader&) = delete;

  void feed(const char* data, std::size_t size);
  void feed(const std::string& bytes) { feed(bytes.data(), bytes.size()); }

  // The next complete reply, or nullopt if more bytes are needed. Throws ProtocolError on
  // malformed input; the reader is unusable afterwards (the stream cannot be resynchronised).
  std::optional<Reply> next();

  // Drops buffered bytes, e.g. before reusing the reader on a new connection.
  void reset();

 private:
  redisReader* reader_ = nullptr;
};

}  // namespace warren::redis
