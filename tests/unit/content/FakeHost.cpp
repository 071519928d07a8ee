#include "FakeHost.h"

#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace warren::test {
namespace {

FakeHost& self(const warren_host* host) {
  return *reinterpret_cast<FakeHost*>(const_cast<warren_host*>(host));
}

void fill(warren_buffer* buffer, const std::string& text) {
  if (buffer == nullptr) return;
  buffer->data = static_cast<char*>(std::malloc(text.size() + 1));
  std::memcpy(buffer->data, text.c_str(), text.size() + 1);
  buffer->len = text.size();
}

void release(warren_buffer* buffer) {
  std::free(buffer->data);
  *buffer = warren_buffer{nullptr, 0};
}

warren_status httpRequest(const warren_host* host, const warren_job*,
                          const warren_http_request* request, int32_t* code, warren_buffer* headers,
                          warren_buffer* body, warren_buffer* error) {
  FakeHost& fake = self(host);
  fake.requestedUrls.emplace_back(request->url);
  std::vector<std::pair<std::string, std::string>> sent;
  for (std::size_t i = 0; i < request->header_count; ++i) {
    sent.emplace_back(request->headers[i].key, request->headers[i].value);
  }
  fake.requestedHeaders.push_back(std::move(sent));
  if (fake.httpReplies.empty()) throw std::logic_error("no HTTP reply queued");
  const FakeHttpReply reply = fake.httpReplies.front();
  fake.httpReplies.pop_front();
  if (reply.status != WARREN_OK) {
    fill(error, reply.error);
    return reply.status;
  }
  *code = reply.code;
  fill(headers, reply.headersJson);
  fill(body, reply.body);
  return WARREN_OK;
}

int aiIsAvailable(const warren_host* host, uint32_t) {
  return self(host).aiAvailable ? 1 : 0;
}

warren_status aiComplete(const warren_host* host, const warren_job*, const char* request,
                         size_t length, warren_buffer* response, warren_ai_error* error) {
  FakeHost& fake = self(host);
  fake.aiRequests.emplace_back(request, length);
  if (fake.aiReplies.empty()) throw std::logic_error("no AI reply queued");
  const FakeAiReply reply = fake.aiReplies.front();
  fake.aiReplies.pop_front();
  if (reply.status == WARREN_OK) {
    fill(response, reply.response);
    return WARREN_OK;
  }
  error->retryable = reply.retryable ? 1 : 0;
  error->retry_at_ms = reply.retryAtMs;
  fill(&error->message, reply.message);
  return reply.status;
}

const char* jobCancelReason(const warren_job*) {
  return "";
}

int jobCancelled(const warren_job*) {
  return 0;
}

}  // namespace

FakeHost::FakeHost() {
  jobApi_.struct_size = sizeof jobApi_;
  jobApi_.is_cancelled = jobCancelled;
  jobApi_.cancel_reason = jobCancelReason;
  http_.struct_size = sizeof http_;
  http_.request = httpRequest;
  ai_.struct_size = sizeof ai_;
  ai_.available = aiIsAvailable;
  ai_.complete = aiComplete;
  api_.struct_size = sizeof api_;
  api_.abi_major = WARREN_ABI_MAJOR;
  api_.abi_minor = WARREN_ABI_MINOR;
  api_.buffer_free = release;
  api_.job = &jobApi_;
  api_.http = &http_;
  api_.ai = &ai_;
}

warren::Host FakeHost::host() const {
  return warren::Host(&api_, reinterpret_cast<const warren_host*>(this));
}

warren::Job FakeHost::job() const {
  return warren::Job(&api_, reinterpret_cast<const warren_job*>(this));
}

}  // namespace warren::test
