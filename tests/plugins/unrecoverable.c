/* A C plugin that fails jobs without retries. The job name picks how:
 *   silent           fails without setting a message (the host supplies one)
 *   unknown_outcome  returns an outcome the ABI does not define
 *   anything else    fails with "input is corrupt: giving up" */
#include <warren/plugin.h>

#include <string.h>

struct warren_plugin_state {
  const warren_host_api* api;
};

static struct warren_plugin_state g_state;

static warren_status unrecoverable_init(const warren_host_api* api, const warren_host* host,
                                        warren_plugin_state** state, char* error,
                                        size_t error_len) {
  (void)host;
  (void)error;
  (void)error_len;
  g_state.api = api; /* the table is the same for every instance of this host */
  *state = &g_state;
  return WARREN_OK;
}

static warren_job_outcome unrecoverable_handle(warren_plugin_state* state, const warren_job* job) {
  static const char message[] = "input is corrupt: giving up";
  const char* name = state->api->job->name(job);
  if (strcmp(name, "silent") == 0) return WARREN_JOB_FAILED_UNRECOVERABLE;
  if (strcmp(name, "unknown_outcome") == 0) return 7u;
  state->api->job->set_error(job, message, sizeof message - 1);
  return WARREN_JOB_FAILED_UNRECOVERABLE;
}

static void unrecoverable_shutdown(warren_plugin_state* state) {
  (void)state;
}

static const char* const job_names[] = {"*"};

static const warren_plugin_descriptor descriptor = {WARREN_ABI_MAGIC,
                                                    (uint32_t)sizeof(warren_plugin_descriptor),
                                                    WARREN_ABI_MAJOR,
                                                    WARREN_ABI_MINOR,
                                                    "unrecoverable",
                                                    "1.0.0",
                                                    job_names,
                                                    1u,
                                                    WARREN_RESOURCE_IO,
                                                    1u << 20,
                                                    1u,
                                                    NULL,
                                                    0u,
                                                    unrecoverable_init,
                                                    unrecoverable_handle,
                                                    unrecoverable_shutdown,
                                                    NULL,
                                                    0u,
                                                    NULL,
                                                    0u};

WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {
  return &descriptor;
}
