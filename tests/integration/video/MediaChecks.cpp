#include "MediaChecks.h"

#include "Command.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace warren::test {

Poco::JSON::Object::Ptr ffprobe(const std::filesystem::path& path,
                                const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {"ffprobe",       "-v",  "error", "-show_format",
                                   "-show_streams", "-of", "json"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.push_back(path.string());
  const CommandResult result = run(argv);
  if (result.exitCode != 0) throw std::runtime_error("ffprobe failed: " + result.err);
  Poco::JSON::Parser parser;
  return parser.parse(result.out).extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Object::Ptr streamOf(const Poco::JSON::Object::Ptr& probe, const std::string& type) {
  const Poco::JSON::Array::Ptr streams = probe->getArray("streams");
  for (std::size_t i = 0; i < streams->size(); ++i) {
    Poco::JSON::Object::Ptr stream = streams->getObject(static_cast<unsigned>(i));
    if (stream->getValue<std::string>("codec_type") == type) return stream;
  }
  return nullptr;
}

long countFrames(const std::filesystem::path& path) {
  const auto probe = ffprobe(path, {"-count_frames", "-select_streams", "v:0"});
  return std::stol(streamOf(probe, "video")->getValue<std::string>("nb_read_frames"));
}

std::vector<std::string> topLevelBoxes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<std::string> boxes;
  const auto fileSize = std::filesystem::file_size(path);
  std::uint64_t offset = 0;
  while (offset + 8 <= fileSize) {
    unsigned char header[16];
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(header), 8);
    std::uint64_t size = (std::uint64_t{header[0]} << 24) | (std::uint64_t{header[1]} << 16) |
                         (std::uint64_t{header[2]} << 8) | header[3];
    boxes.emplace_back(reinterpret_cast<char*>(header) + 4, 4);
    if (size == 1) {  // 64-bit size follows the type
      in.read(reinterpret_cast<char*>(header + 8), 8);
      size = 0;
      for (int i = 8; i < 16; ++i) size = (size << 8) | header[i];
    }
    if (size < 8) break;  // 0 means "to the end of the file"
    offset += size;
  }
  return boxes;
}

std::string rgbPixels(const std::filesystem::path& path, int width, int height, double atS,
                      const std::string& filters) {
  std::vector<std::string> argv = {"ffmpeg", "-hide_banner", "-loglevel", "error"};
  if (atS > 0) argv.insert(argv.end(), {"-ss", std::to_string(atS)});
  argv.insert(argv.end(), {"-i", path.string(), "-frames:v", "1", "-vf",
                           (filters.empty() ? "" : filters + ",") +
                               "scale=" + std::to_string(width) + ":" + std::to_string(height),
                           "-f", "rawvideo", "-pix_fmt", "rgb24", "-"});
  const CommandResult result = run(argv);
  if (result.exitCode != 0) throw std::runtime_error("ffmpeg failed: " + result.err);
  return result.out;
}

double meanDifference(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) throw std::invalid_argument("pictures differ in size");
  double total = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    total += std::abs(static_cast<int>(static_cast<unsigned char>(a[i])) -
                      static_cast<int>(static_cast<unsigned char>(b[i])));
  }
  return total / static_cast<double>(a.size());
}

}  // namespace warren::test
