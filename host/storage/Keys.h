// Object keys: the one set of rules every backend enforces, so that a key that works on the
// local directory works on S3 and the other way round.
#pragma once

#include <string>
#include <string_view>

namespace warren::storage {

// The first segment the local backend keeps for itself (temporary files, content types).
inline constexpr std::string_view kReservedSegment = ".warren";
inline constexpr std::size_t kMaxKeyBytes = 1024;

// Throws StorageError (invalid) unless `key` is a relative path of '/'-separated segments: not
// empty, at most 1024 bytes of valid UTF-8, no NUL or other control character, no leading '/',
// no empty, '.' or '..' segment, and not under the reserved ".warren" segment.
void validateKey(std::string_view key);
// A list prefix: "" or the start of a key (so it may end with '/'); same byte rules as keys.
void validatePrefix(std::string_view prefix);
// `text` in double quotes for messages, control bytes escaped, cut after 200 bytes.
std::string inQuotes(std::string_view text);

}  // namespace warren::storage
