#include "StderrCapture.h"

#include "TempDir.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace warren::test {

StderrCapture::StderrCapture() {
  std::string pattern = (std::filesystem::temp_directory_path() / "warren-stderr-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  file_ = pattern;
  std::fflush(stderr);
  saved_ = ::dup(2);
  ::dup2(fd, 2);
  ::close(fd);
}

StderrCapture::~StderrCapture() {
  finish();
  std::error_code ignored;
  std::filesystem::remove(file_, ignored);
}

std::string StderrCapture::finish() {
  if (saved_ >= 0) {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
    saved_ = -1;
    captured_ = readFile(file_);
  }
  return captured_;
}

}  // namespace warren::test
