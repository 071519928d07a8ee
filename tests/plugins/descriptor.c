/* Descriptor fixtures: one valid plugin whose descriptor is bent by at most one compile
 * definition per fixture (see CMakeLists.txt). The host must refuse a bent descriptor before it
 * calls anything, so every function here aborts: a test process dying in here means a refused
 * plugin was called. Unbent, this is the `control` fixture, which the host accepts. */
#include <warren/plugin.h>

#include <stdlib.h>

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "control"
#endif
#ifndef FIXTURE_MAGIC
#define FIXTURE_MAGIC WARREN_ABI_MAGIC
#endif
#ifndef FIXTURE_MAJOR
#define FIXTURE_MAJOR WARREN_ABI_MAJOR
#endif
#ifndef FIXTURE_MINOR
#define FIXTURE_MINOR WARREN_ABI_MINOR
#endif
#ifndef FIXTURE_RETURNS_NULL
#define FIXTURE_RETURNS_NULL 0
#endif
#ifndef FIXTURE_RESOURCE
#define FIXTURE_RESOURCE WARREN_RESOURCE_CPU
#endif
#ifndef FIXTURE_SIZE
#define FIXTURE_SIZE ((uint32_t)sizeof(warren_plugin_descriptor))
#endif

static warren_status fixture_init(const warren_host_api* api, const warren_host* host,
                                  warren_plugin_state** state, char* error, size_t error_len) {
  (void)api;
  (void)host;
  (void)state;
  (void)error;
  (void)error_len;
  abort();
}

static warren_job_outcome fixture_handle(warren_plugin_state* state, const warren_job* job) {
  (void)state;
  (void)job;
  abort();
}

static void fixture_shutdown(warren_plugin_state* state) {
  (void)state;
  abort();
}

static const char* const job_names[] = {"fixture"};

static const warren_plugin_descriptor descriptor = {FIXTURE_MAGIC,
                                                    FIXTURE_SIZE,
                                                    FIXTURE_MAJOR,
                                                    FIXTURE_MINOR,
                                                    FIXTURE_NAME,
                                                    "1.0.0",
                                                    job_names,
                                                    1u,
                                                    FIXTURE_RESOURCE,
                                                    64u << 20,
                                                    2u,
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
  return FIXTURE_RETURNS_NULL ? NULL : &descriptor;
}
