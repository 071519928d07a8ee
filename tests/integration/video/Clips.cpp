#include "Clips.h"

#include "Command.h"
#include "TempDir.h"

#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace warren::test {
namespace {

using Args = std::vector<std::string>;

const Args kVideo = {"-c:v", "libx264", "-preset", "ultrafast"};

void ffmpeg(const Args& args) {
  Args argv = {"ffmpeg", "-hide_banner", "-loglevel", "error", "-y"};
  argv.insert(argv.end(), args.begin(), args.end());
  const CommandResult result = run(argv);
  if (result.exitCode != 0) throw std::runtime_error("ffmpeg failed: " + result.err);
}

Args source(const std::string& size, int seconds, bool audio) {
  const std::string t = std::to_string(seconds);
  Args args = {"-f", "lavfi", "-i", "testsrc=size=" + size + ":rate=30:duration=" + t};
  if (audio) {
    args.insert(args.end(),
                {"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=" + t});
  }
  return args;
}

Args operator+(Args a, const Args& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

void truncateCopy(const std::filesystem::path& from, const std::filesystem::path& to,
                  double fraction) {
  const auto size = std::filesystem::file_size(from);
  std::filesystem::copy_file(from, to, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(to,
                               static_cast<std::uintmax_t>(static_cast<double>(size) * fraction));
}

void make(const std::string& name, const std::filesystem::path& out) {
  const std::string path = out.string();
  if (name == "basic") {
    ffmpeg(source("641x359", 3, true) + kVideo + Args{"-pix_fmt", "yuv444p", "-c:a", "aac", path});
  } else if (name == "rotated") {
    const std::string plain = (out.parent_path() / "rotated-plain.mp4").string();
    ffmpeg(source("320x240", 2, true) + kVideo + Args{"-pix_fmt", "yuv420p", "-c:a", "aac", plain});
    ffmpeg({"-i", plain, "-c", "copy", "-metadata:s:v:0", "rotate=90", path});
  } else if (name == "silent") {
    ffmpeg(source("320x240", 2, false) + kVideo + Args{"-pix_fmt", "yuv420p", path});
  } else if (name == "audio_only") {
    ffmpeg({"-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2", "-c:a", "aac",
            path});
  } else if (name == "vfr") {
    ffmpeg(source("320x240", 3, false) + kVideo +
           Args{"-vf", "select='lt(t,1)+not(mod(n,3))'", "-fps_mode", "vfr", "-pix_fmt", "yuv420p",
                path});
  } else if (name == "long") {
    ffmpeg(source("640x360", 8, true) + kVideo + Args{"-pix_fmt", "yuv420p", "-c:a", "aac", path});
  } else if (name == "truncated") {
    truncateCopy(clip("basic"), out, 0.5);
  } else if (name == "truncated_faststart") {
    const std::string whole = (out.parent_path() / "faststart-whole.mp4").string();
    ffmpeg({"-i", clip("basic").string(), "-c", "copy", "-movflags", "+faststart", whole});
    truncateCopy(whole, out, 0.6);
  } else if (name == "text") {
    std::ofstream(out) << "This is a text file, not a video.\n";
  } else {
    throw std::invalid_argument("no clip called " + name);
  }
}

}  // namespace

std::filesystem::path clip(const std::string& name) {
  static TempDir dir("warren-video-clips");
  static std::map<std::string, std::filesystem::path> made;
  static std::recursive_mutex mutex;
  std::lock_guard lock(mutex);
  if (auto it = made.find(name); it != made.end()) return it->second;
  const std::string extension = name == "audio_only" ? ".m4a" : ".mp4";
  const std::filesystem::path path = dir / (name + extension);
  make(name, path);
  made[name] = path;
  return path;
}

}  // namespace warren::test
