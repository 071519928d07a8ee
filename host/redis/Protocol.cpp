#include "redis/Protocol.h"

#include <hiredis/hiredis.h>

#include <climits>
#include <new>
#include <stdexcept>

#include "redis/Errors.h"

namespace warren::redis {
namespace {

Reply convert(const redisReply& r) {
  switch (r.type) {
    case REDIS_REPLY_STRING:
      return Reply::string(std::string(r.str, r.len));
    case REDIS_REPLY_STATUS:
      return Reply::status(std::string(r.str, r.len));
    case REDIS_REPLY_ERROR:
      return Reply::error(std::string(r.str, r.len));
    case REDIS_REPLY_INTEGER:
      return Reply::integer(r.integer);
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(r.elements);
      for (std::size_t i = 0; i < r.elements; ++i) elements.push_back(convert(*r.element[i]));
      return Reply::array(std::move(elements));
    }
    default:  // REDIS_REPLY_NIL: nil bulk string and nil array alike
      return Reply::nil();
  }
}

redisReader* createReader() {
  redisReader* reader = redisReaderCreate();
  if (reader == nullptr) throw std::bad_alloc();
  return reader;
}

}  // namespace

std::string encodeCommand(const std::vector<std::string>& argv) {
  if (argv.empty()) throw std::invalid_argument("cannot send an empty Redis command");
  if (argv.size() > static_cast<std::size_t>(INT_MAX))
    throw std::invalid_argument("Redis command has too many arguments");
  std::vector<const char*> pointers;
  std::vector<std::size_t> lengths;
  pointers.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const auto& arg : argv) {
    pointers.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  char* buffer = nullptr;
  const int size = redisFormatCommandArgv(&buffer, static_cast<int>(argv.size()), pointers.data(),
                                          lengths.data());
  if (size < 0 || buffer == nullptr) throw std::bad_alloc();
  std::string out(buffer, static_cast<std::size_t>(size));
  redisFreeCommand(buffer);
  return out;
}

ReplyReader::ReplyReader() : reader_(createReader()) {}

ReplyReader::~ReplyReader() {
  redisReaderFree(reader_);
}

void ReplyReader::feed(const char* data, std::size_t size) {
  if (size == 0) return;
  if (redisReaderFeed(reader_, data, size) != REDIS_OK)
    throw ProtocolError(std::string("Redis reply reader: ") + reader_->errstr);
}

std::optional<Reply> ReplyReader::next() {
  void* raw = nullptr;
  if (redisReaderGetReply(reader_, &raw) != REDIS_OK)
    throw ProtocolError(std::string("Redis protocol error: ") + reader_->errstr);
  if (raw == nullptr) return std::nullopt;
  auto* reply = static_cast<redisReply*>(raw);
  try {
    Reply out = convert(*reply);
    freeReplyObject(reply);
    return out;
  } catch (...) {
    freeReplyObject(reply);
    throw;
  }
}

void ReplyReader::reset() {
  redisReader* fresh = createReader();
  redisReaderFree(reader_);
  reader_ = fresh;
}

}  // namespace warren::redis
