#include "Material.h"

#include "job/Failure.h"
#include "web/Fetch.h"
#include "web/Html.h"
#include "web/Url.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace analyze {
namespace {

using common::job::Unrecoverable;

const char* capKey(Kind kind) {
  switch (kind) {
    case Kind::image:
      return "analyze.max_image_mb";
    case Kind::video:
      return "analyze.max_video_mb";
    default:
      return "analyze.max_text_mb";
  }
}

std::int64_t capOf(Kind kind, const Settings& settings) {
  switch (kind) {
    case Kind::image:
      return settings.maxImageBytes;
    case Kind::video:
      return settings.maxVideoBytes;
    default:
      return settings.maxTextBytes;
  }
}

void checkCap(Kind kind, const Settings& settings, const std::string& what, std::int64_t bytes) {
  const std::int64_t cap = capOf(kind, settings);
  if (bytes <= cap) return;
  throw Unrecoverable("material over the size cap: " + what + " is " + megabytes(bytes) +
                      ", more than " + capKey(kind) + " (" + megabytes(cap) + ")");
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         std::equal(suffix.rbegin(), suffix.rend(), text.rbegin(), [](char a, char b) {
           return a == std::tolower(static_cast<unsigned char>(b));
         });
}

bool isHtml(const std::string& contentType, const std::string& name) {
  return contentType == "text/html" || contentType == "application/xhtml+xml" ||
         endsWith(name, ".html") || endsWith(name, ".htm");
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw common::job::Retryable("cannot read the downloaded material");
  return text.str();
}

// A text file or web page in object storage.
void textFromStorage(const Request& request, const Settings& settings, JobFiles& files,
                     Material& material) {
  const std::string& key = *request.key;
  const StoredObject object = files.head(key);
  checkCap(Kind::text, settings, "'" + key + "'", object.size);
  const std::string type = common::web::splitContentType(object.contentType).first;
  const bool textual = type.empty() || type.compare(0, 5, "text/") == 0 ||
                       type == "application/xhtml+xml" || type == "application/octet-stream";
  if (!textual) {
    throw Unrecoverable("material '" + key + "' is " + type + ", not text (kind 'text' reads " +
                        "text and HTML files)");
  }
  const std::string body = readFile(files.download(key, "material.txt"));
  if (isHtml(type, key)) {
    common::web::PageText page = common::web::htmlToText(body);
    material.text = std::move(page.text);
    material.title = std::move(page.title);
    if (material.language.empty()) material.language = page.language;
  } else {
    material.text = body;
  }
}

void textFromUrl(const Request& request, const Settings& settings, const warren::Host& host,
                 const warren::Job& job, Material& material) {
  common::web::FetchOptions options;
  options.maxBytes = static_cast<std::size_t>(settings.maxTextBytes);
  options.capName = "analyze.max_text_mb";
  options.contentTypes = {"text/html", "application/xhtml+xml", "text/plain", "text/markdown"};
  options.maxRedirects = settings.maxRedirects;
  options.timeoutMs = settings.fetchTimeoutMs;
  common::web::Fetched page = common::web::fetch(host, &job, *request.url, options);
  material.url = page.url;
  if (isHtml(page.contentType, "")) {
    common::web::PageText text = common::web::htmlToText(page.body, page.charset);
    material.text = std::move(text.text);
    material.title = std::move(text.title);
    if (material.language.empty()) material.language = text.language;
    // A page whose body is empty still says what it is about in its title and description.
    if (material.text.empty()) material.text = text.description;
  } else {
    material.text = std::move(page.body);
  }
}

bool blank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isspace(c) != 0; });
}

// An image or video in object storage, downloaded.
void fileFromStorage(const Request& request, const Settings& settings, JobFiles& files,
                     Material& material) {
  const std::string& key = *request.key;
  const StoredObject object = files.head(key);
  checkCap(request.kind, settings, "'" + key + "'", object.size);
  material.file = files.download(key, request.kind == Kind::image ? "image" : "video");
  material.fileBytes = object.size;
}

}  // namespace

std::string megabytes(std::int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return text;
}

Material loadMaterial(const Request& request, const Settings& settings, JobFiles& files,
                      const warren::Host& host, const warren::Job& job) {
  Material material;
  material.language = request.language;
  if (request.text) {
    checkCap(Kind::text, settings, "the job's text",
             static_cast<std::int64_t>(request.text->size()));
    material.text = *request.text;
  }
  switch (request.kind) {
    case Kind::text:
      if (!request.text) textFromStorage(request, settings, files, material);
      break;
    case Kind::url:
      textFromUrl(request, settings, host, job, material);
      break;
    case Kind::image:
    case Kind::video:
      fileFromStorage(request, settings, files, material);
      break;
  }
  const bool needsText = request.kind == Kind::text || request.kind == Kind::url;
  if (needsText && blank(material.text)) {
    const std::string where = request.kind == Kind::url
                                  ? "'" + common::web::shownUrl(*request.url) + "'"
                              : request.key ? "'" + *request.key + "'"
                                            : "the job's text";
    throw Unrecoverable("no text to analyse: " + where + " holds none");
  }
  if (blank(material.text)) material.text.clear();
  return material;
}

}  // namespace analyze
