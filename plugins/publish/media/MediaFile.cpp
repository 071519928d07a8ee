#include "media/MediaFile.h"

#include "crypto/Random.h"
#include "job/Failure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace publish::media {
namespace {

using common::job::Retryable;
using common::job::Unrecoverable;

std::string megabytes(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}

std::string ratio(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", value);
  return text;
}

bool listed(const std::vector<std::string>& types, const std::string& mime) {
  return types.empty() || std::find(types.begin(), types.end(), mime) != types.end();
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Retryable("cannot read media file " + path);
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) throw Retryable("read error on media file " + path);
  return out.str();
}

std::string readChunk(const std::string& path, std::int64_t offset, std::int64_t size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Retryable("cannot read media file " + path);
  in.seekg(offset);
  std::string out(static_cast<std::size_t>(size), '\0');
  in.read(out.data(), size);
  out.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) throw Retryable("read error on media file " + path);
  return out;
}

void checkCount(const std::vector<platforms::MediaItem>& items, const platforms::Limits& limits,
                const std::string& platform) {
  if (items.empty()) return;
  if (!limits.media) throw Unrecoverable(platform + " posts take no media from Warren");
  const auto videos = static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [](const auto& i) { return i.video; }));
  const std::size_t images = items.size() - videos;
  if (videos > limits.maxVideos) {
    throw Unrecoverable(platform + " takes at most " + std::to_string(limits.maxVideos) +
                        " video per post; the post has " + std::to_string(videos));
  }
  if (images > limits.maxImages) {
    throw Unrecoverable(platform + " takes at most " + std::to_string(limits.maxImages) +
                        " images per post; the post has " + std::to_string(images));
  }
  if (videos > 0 && images > 0 && !limits.mixImagesAndVideo) {
    throw Unrecoverable(platform + " does not mix images and video in one post");
  }
}

void checkItem(const platforms::MediaItem& item, const platforms::Limits& limits,
               const std::string& platform, bool probed) {
  const std::string what = "media '" + item.key + "'";
  const std::int64_t cap = item.video ? limits.maxVideoBytes : limits.maxImageBytes;
  if (cap > 0 && item.size > cap) {
    throw Unrecoverable(what + " is " + megabytes(item.size) + "; " + platform + " takes " +
                        (item.video ? "videos" : "images") + " up to " + megabytes(cap));
  }
  const auto& types = item.video ? limits.videoTypes : limits.imageTypes;
  if (!item.mime.empty() && !listed(types, item.mime)) {
    throw Unrecoverable(what + " is " + item.mime + "; " + platform + " takes " + joined(types));
  }
  if (!probed) return;  // duration, pixels and aspect come from the file itself
  if (item.video) {
    if (limits.maxVideoSeconds > 0 && item.durationS > limits.maxVideoSeconds) {
      throw Unrecoverable(what + " lasts " + ratio(item.durationS) + " s; " + platform +
                          " takes videos up to " + ratio(limits.maxVideoSeconds) + " s");
    }
    if (limits.minVideoSeconds > 0 && item.durationS < limits.minVideoSeconds) {
      throw Unrecoverable(what + " lasts " + ratio(item.durationS) + " s; " + platform +
                          " needs at least " + ratio(limits.minVideoSeconds) + " s");
    }
  }
  const std::int64_t pixels = static_cast<std::int64_t>(item.width) * item.height;
  if (!item.video && limits.maxPixels > 0 && pixels > limits.maxPixels) {
    throw Unrecoverable(what + " has " + std::to_string(pixels) + " pixels; " + platform +
                        " takes images up to " + std::to_string(limits.maxPixels));
  }
  if (item.width > 0 && item.height > 0) {
    const double aspect = static_cast<double>(item.width) / item.height;
    if ((limits.minAspect > 0 && aspect < limits.minAspect) ||
        (limits.maxAspect > 0 && aspect > limits.maxAspect)) {
      throw Unrecoverable(what + " is " + std::to_string(item.width) + "x" +
                          std::to_string(item.height) + " (aspect " + ratio(aspect) + "); " +
                          platform + " takes aspects from " + ratio(limits.minAspect) + " to " +
                          ratio(limits.maxAspect));
    }
  }
}

MediaSet::MediaSet(const warren::Host& host, const warren::Job* job, const std::string& tempDir)
    : host_(host), job_(job) {
  const std::filesystem::path root =
      tempDir.empty() ? std::filesystem::temp_directory_path() : std::filesystem::path(tempDir);
  dir_ = root / ("warren-publish-" + common::crypto::randomHex(8));
}

MediaSet::~MediaSet() {
  std::error_code error;
  std::filesystem::remove_all(dir_, error);
}

std::vector<platforms::MediaItem> MediaSet::fetch(const common::Json& keys,
                                                  const common::Json& alts,
                                                  const platforms::Limits& limits,
                                                  const std::string& platform) {
  std::vector<platforms::MediaItem> items;
  if (!keys.is_array() || keys.empty()) return items;
  const warren_storage_api& storage = host_.storage();
  // Sizes and types first: a post over the limits fails before anything is fetched.
  for (std::size_t i = 0; i < keys.size(); ++i) {
    platforms::MediaItem item;
    item.key = keys[i].get<std::string>();
    if (alts.is_array() && i < alts.size() && alts[i].is_string()) item.alt = alts[i];
    warren_buffer info{};
    warren_buffer error{};
    const warren_status status = storage.head(host_.raw(), item.key.c_str(), &info, &error);
    const std::string infoText = host_.take(info);
    const std::string message = host_.take(error);
    if (status == WARREN_ERR_NOT_FOUND) {
      throw Unrecoverable("media '" + item.key + "' is not in object storage");
    }
    if (status != WARREN_OK) throw Retryable("object storage: " + message);
    const common::Json head = common::parseJson(infoText, "object storage head");
    item.size = head.value("size", std::int64_t{0});
    item.mime = head.value("content_type", "");
    if (item.mime == "application/octet-stream" || item.mime == "binary/octet-stream") {
      item.mime.clear();
    }
    item.video = item.mime.rfind("video/", 0) == 0;
    items.push_back(item);
  }
  checkCount(items, limits, platform);
  for (const auto& item : items) {
    if (!item.mime.empty()) checkItem(item, limits, platform, false);
  }
  std::filesystem::create_directories(dir_);
  for (std::size_t i = 0; i < items.size(); ++i) {
    platforms::MediaItem& item = items[i];
    item.path = (dir_ / (std::to_string(i) + "-" + item.filename())).string();
    warren_buffer error{};
    const warren_status status =
        storage.get_file(host_.raw(), job_ != nullptr ? job_->raw() : nullptr, item.key.c_str(),
                         item.path.c_str(), &error);
    const std::string message = host_.take(error);
    if (status != WARREN_OK) {
      throw Retryable("object storage: cannot fetch '" + item.key + "': " + message);
    }
    const Facts facts = probe(item.path, "'" + item.key + "'");
    if (item.mime.empty()) item.mime = facts.mime;
    item.video = facts.video;
    item.width = facts.width;
    item.height = facts.height;
    item.durationS = facts.durationS;
  }
  checkCount(items, limits, platform);
  for (const auto& item : items) checkItem(item, limits, platform, true);
  return items;
}

}  // namespace publish::media
