// The FFmpeg layer the video plugin shares with the analyze plugin (plugins/common/media):
// RAII owners, the opened container, job failures. Its names are used unqualified here.
#pragma once

#include "media/Av.h"
#include "media/Errors.h"
#include "media/Media.h"

namespace video {
using namespace common::media;
}  // namespace video
