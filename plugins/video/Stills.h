// video:thumbnail and video:frames: still pictures at chosen or evenly spaced times, each the
// picture a player shows at that time (rotation applied), as JPEG or PNG in object storage.
#pragma once

#include "JobScope.h"
#include "Json.h"

namespace video {

Json thumbnails(JobScope& scope, const Json& data);
Json frames(JobScope& scope, const Json& data);

}  // namespace video
