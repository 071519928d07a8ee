// video:probe, and the stream descriptions other jobs return.
#pragma once

#include "JobScope.h"
#include "Json.h"
#include "Shared.h"

namespace video {

// The whole description: container, duration, size, every stream.
Json describe(const Media& media, std::int64_t fileBytes);
// The main video's shape in one object (returned as "input" by the other jobs).
Json summary(const Media& media);

Json probe(JobScope& scope, const Json& data);

}  // namespace video
