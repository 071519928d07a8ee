/* Returns WARREN_JOB_DELAYED (job "delay") or WARREN_JOB_RATE_LIMITED (any other job) without
 * ever calling set_retry_at: the host must fail such a job, retryably, saying why. */
#include <warren/plugin.h>

#include <string.h>

static const warren_host_api* g_api;

static warren_status fixture_init(const warren_host_api* api, const warren_host* host,
                                  warren_plugin_state** state, char* error, size_t error_len) {
  (void)host;
  (void)error;
  (void)error_len;
  g_api = api;
  *state = NULL;
  return WARREN_OK;
}

static warren_job_outcome fixture_handle(warren_plugin_state* state, const warren_job* job) {
  (void)state;
  const char* reason = "no time given";
  g_api->job->set_error(job, reason, strlen(reason));
  return strcmp(g_api->job->name(job), "delay") == 0 ? WARREN_JOB_DELAYED : WARREN_JOB_RATE_LIMITED;
}

static void fixture_shutdown(warren_plugin_state* state) {
  (void)state;
}

static const char* const job_names[] = {"*"};

static const warren_plugin_descriptor descriptor = {WARREN_ABI_MAGIC,
                                                    (uint32_t)sizeof(warren_plugin_descriptor),
                                                    WARREN_ABI_MAJOR,
                                                    WARREN_ABI_MINOR,
                                                    "no_retry_time",
                                                    "1.0.0",
                                                    job_names,
                                                    1u,
                                                    WARREN_RESOURCE_IO,
                                                    1u << 16,
                                                    1u,
                                                    NULL,
                                                    0u,
                                                    fixture_init,
                                                    fixture_handle,
                                                    fixture_shutdown,
                                                    NULL,
                                                    0u,
                                                    NULL,
                                                    0u};

WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {
  return &descriptor;
}
