// Looking at outputs from outside the plugin: ffprobe's JSON, MP4 box order, raw pixels.
#pragma once

#include <Poco/JSON/Object.h>

#include <filesystem>
#include <string>
#include <vector>

namespace warren::test {

// `ffprobe -show_format -show_streams -of json` of `path` (+ `extra` arguments).
Poco::JSON::Object::Ptr ffprobe(const std::filesystem::path& path,
                                const std::vector<std::string>& extra = {});
// The first stream of `type` ("video", "audio") in an ffprobe result, or null.
Poco::JSON::Object::Ptr streamOf(const Poco::JSON::Object::Ptr& probe, const std::string& type);
// Number of video frames (ffprobe -count_frames).
long countFrames(const std::filesystem::path& path);

// The types of an MP4's top-level boxes in file order ("ftyp", "moov", "mdat", ...).
std::vector<std::string> topLevelBoxes(const std::filesystem::path& path);

// The picture of `path` (an image, or a video's frame at `atS` seconds) scaled to w x h as
// RGB24 bytes, after `filters` (ffmpeg -vf syntax, applied before the scaling) if given.
std::string rgbPixels(const std::filesystem::path& path, int width, int height, double atS = 0,
                      const std::string& filters = "");
// Mean absolute difference of two equally long byte strings (0..255).
double meanDifference(const std::string& a, const std::string& b);

}  // namespace warren::test
