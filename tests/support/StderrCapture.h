// Captures what this process writes to file descriptor 2 (the JSON log goes there) while the
// object lives. Not thread-safe: one capture at a time.
#pragma once

#include <filesystem>
#include <string>

namespace warren::test {

class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Restores stderr (once) and returns everything written since construction.
  std::string finish();

 private:
  std::filesystem::path file_;
  int saved_ = -1;
  std::string captured_;
};

}  // namespace warren::test
