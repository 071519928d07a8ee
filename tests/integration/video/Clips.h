// Short test clips made by the ffmpeg command (lavfi testsrc + sine), once per test process.
#pragma once

#include <filesystem>
#include <string>

namespace warren::test {

// The clip called `name`, made on first use:
//   basic                641x359 (odd), yuv444p H.264, 30 fps, 3 s, mono 44.1 kHz AAC; index
//                        at the end of the file (ffmpeg's default)
//   rotated              320x240 H.264 + AAC, 2 s, tagged rotate=90 (a display matrix)
//   silent               320x240 H.264, 2 s, no audio
//   audio_only           2 s of AAC in .m4a
//   vfr                  320x240 H.264, 3 s: 30 fps for the first second, 10 fps after
//   long                 640x360 H.264 + AAC, 8 s (cancellation)
//   truncated            `basic` cut to half its bytes (its index is lost)
//   truncated_faststart  `basic` with its index first, cut to 60 % of its bytes
//   text                 a text file named text.mp4
std::filesystem::path clip(const std::string& name);

}  // namespace warren::test
