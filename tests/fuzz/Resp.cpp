// The RESP2 reply reader (host/redis/Protocol: hiredis's reader and the conversion into Reply),
// on bytes as a server, or anything else on the socket, may send them.
// Holds: malformed input is a ProtocolError and nothing else; the replies do not depend on how
// the bytes arrive (all at once and in small reads give the same replies and the same error);
// after reset() the reader works again.
#include "Fuzz.h"

#include "redis/Errors.h"
#include "redis/Protocol.h"

#include <algorithm>

namespace {

using warren::redis::Reply;
using warren::redis::ReplyReader;

struct Outcome {
  std::vector<Reply> replies;
  bool malformed = false;
};

Outcome readAll(ReplyReader& reader, std::string_view bytes, std::size_t chunk) {
  Outcome out;
  try {
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
      reader.feed(bytes.data() + at, std::min(chunk, bytes.size() - at));
      while (auto reply = reader.next()) {
        (void)reply->describe();  // what error messages and test output show
        out.replies.push_back(std::move(*reply));
      }
    }
  } catch (const warren::redis::ProtocolError&) {
    out.malformed = true;
  }
  return out;
}

// hiredis allocates a multi-bulk reply's element pointers as soon as it reads the count: for
// *2147483647 16 GB of untouched virtual memory in production (calloc of fresh pages), but
// under ASan the allocation's shadow is written and the fuzzer's RSS limit ends the run. Inputs
// announcing more than this many elements are left out; smaller counts are fuzzed as they are.
constexpr long long kMaxElements = 1 << 16;

bool announcesHugeArray(std::string_view bytes) {
  for (std::size_t at = bytes.find('*'); at != std::string_view::npos;
       at = bytes.find('*', at + 1)) {
    long long count = 0;
    for (std::size_t i = at + 1; i < bytes.size() && bytes[i] >= '0' && bytes[i] <= '9'; ++i) {
      count = count * 10 + (bytes[i] - '0');
      if (count > kMaxElements) return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using warren::fuzz::check;
  const std::string_view bytes = warren::fuzz::text(data, size);
  if (announcesHugeArray(bytes)) return 0;
  ReplyReader reader;
  const Outcome whole = readAll(reader, bytes, std::max<std::size_t>(size, 1));
  ReplyReader pieces;
  const std::size_t chunk = size == 0 ? 1 : 1 + data[0] % 5;
  const Outcome split = readAll(pieces, bytes, chunk);
  check(whole.malformed == split.malformed, "a reply is malformed in one read but not in pieces");
  check(whole.replies == split.replies, "different replies from one read and from pieces");

  reader.reset();
  reader.feed("+OK\r\n");
  const auto ok = reader.next();
  check(ok && ok->isStatus() && ok->str() == "OK", "the reader does not work after reset()");
  return 0;
}
