// The measurable facts of image and video material, as the result's "media" object: an image's
// format, size, dimensions and dominant colours; a video's shape and its sampled frames'
// brightness and colours. For a provider, a video's frames are also written as JPEG files.
#pragma once

#include "JobFiles.h"
#include "Material.h"
#include "Settings.h"

#include "json/Json.h"
#include "media/Image.h"

#include <filesystem>
#include <string>
#include <vector>

namespace analyze {

common::Json imageFacts(const common::media::ImageFacts& facts);
common::media::ImageFacts readImageMaterial(const Material& material, const std::string& name,
                                            const Settings& settings, const JobFiles& files);

struct Frame {
  double timeS;
  std::filesystem::path file;  // empty unless the frames were written
};

struct VideoSample {
  common::Json facts;
  std::vector<Frame> frames;
};

// Opens the video (refusing what is not one, too long, too large or cut off), samples
// `settings.frames` evenly spaced frames, and writes them as JPEGs when `writeFrames`.
VideoSample sampleVideo(const Material& material, const std::string& name, const Settings& settings,
                        const JobFiles& files, bool writeFrames);

// [{"hex":"#1f2a3b","name":"blue","share":0.42}, ...]
common::Json coloursJson(const std::vector<common::media::Colour>& colours);

}  // namespace analyze
