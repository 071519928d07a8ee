// The material of one job made ready to analyse: its text (from the job, from object storage,
// or fetched from a URL and reduced to text) and, for images and videos, the file downloaded
// into the job's work directory. Every size cap is checked before anything large is read.
#pragma once

#include "JobFiles.h"
#include "Request.h"
#include "Settings.h"

#include <warren/plugin.hpp>

#include <filesystem>
#include <string>

namespace analyze {

struct Material {
  std::string text;            // the text to analyse ("" for an image or video without caption)
  std::string title;           // a web page's title, or ""
  std::string url;             // where URL material came from, after redirects
  std::string language;        // the job's hint, else a web page's <html lang> (lower case)
  std::filesystem::path file;  // the image or video, in the work directory
  std::int64_t fileBytes = 0;
};

// Throws job exceptions: over a cap, a missing key, an unreachable URL, no text at all.
Material loadMaterial(const Request& request, const Settings& settings, JobFiles& files,
                      const warren::Host& host, const warren::Job& job);

// "12.5 MB" for messages.
std::string megabytes(std::int64_t bytes);

}  // namespace analyze
