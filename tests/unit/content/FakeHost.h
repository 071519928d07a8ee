// A host service table for unit tests of the content plugins' common code: outbound HTTP and
// AI calls answered from queues the test fills, and the requests they were given recorded.
// Single-threaded; one FakeHost per test.
#pragma once

#include <warren/plugin.hpp>

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace warren::test {

struct FakeHttpReply {
  warren_status status = WARREN_OK;
  int code = 200;
  std::string headersJson = "{}";
  std::string body;
  std::string error;  // with a status other than WARREN_OK
};

struct FakeAiReply {
  warren_status status = WARREN_OK;
  std::string response;  // with WARREN_OK
  std::string message;   // otherwise
  bool retryable = false;
  std::int64_t retryAtMs = 0;
};

class FakeHost {
 public:
  FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  warren::Host host() const;
  warren::Job job() const;

  std::deque<FakeHttpReply> httpReplies;
  std::vector<std::string> requestedUrls;
  std::vector<std::vector<std::pair<std::string, std::string>>> requestedHeaders;

  bool aiAvailable = true;
  std::deque<FakeAiReply> aiReplies;
  std::vector<std::string> aiRequests;

 private:
  warren_host_api api_{};
  warren_job_api jobApi_{};
  warren_http_api http_{};
  warren_ai_api ai_{};
};

}  // namespace warren::test
