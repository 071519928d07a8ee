// The job's input, made a local file: a storage key is downloaded into the job's work
// directory; a file:///abs/path URL (development only) is used in place.
#pragma once

#include "JobScope.h"
#include "Json.h"

#include <filesystem>
#include <string>

namespace video {

struct LocalInput {
  std::filesystem::path path;
  std::string name;  // how messages name it: the storage key, or the file's path
};

// Reads `input` from the job data, checks its size against max_input_mb and fetches it.
// Throws job::Unrecoverable for bad data, missing or oversized input).
LocalInput fetchInput(JobScope& scope, const Json& data);

// "12.5 MB" style text for sizes in messages.
std::string megabytes(std::int64_t bytes);

}  // namespace video
