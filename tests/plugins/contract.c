/* ABI 1.2 contract fixtures: job types (with JSON Schemas) and migrations in the descriptor,
 * bent by at most one compile definition per fixture (see CMakeLists.txt). Unbent, this is
 * `contract`, which the host accepts. As in descriptor.c, every function aborts: the host must
 * refuse a bent contract before it calls anything. */
#include <warren/plugin.h>

#include <stddef.h>
#include <stdlib.h>

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "contract"
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

static const char* const job_names[] = {"contract", "contract:*"};

#define DATA_SCHEMA \
  "{\"type\":\"object\",\"required\":[\"text\"],\"properties\":{\"text\":{\"type\":\"string\"}}}"

#if defined(BEND_TYPE_NAME)
#define FIRST_TYPE "contract*"
#elif defined(BEND_TYPE_UNHANDLED)
#define FIRST_TYPE "other"
#else
#define FIRST_TYPE "contract"
#endif

#if defined(BEND_TYPE_TWICE)
#define SECOND_TYPE "contract"
#else
#define SECOND_TYPE "contract:report"
#endif

#if defined(BEND_DATA_NOT_JSON)
#define FIRST_DATA "{\"type\":"
#else
#define FIRST_DATA DATA_SCHEMA
#endif

#if defined(BEND_RESULT_NOT_SCHEMA)
#define SECOND_RESULT "{\"type\":\"strin\"}"
#else
#define SECOND_RESULT NULL
#endif

static const warren_job_type job_types[] = {
    {sizeof(warren_job_type), FIRST_TYPE, "Checks one text", FIRST_DATA, "{\"type\":\"object\"}"},
    {sizeof(warren_job_type), SECOND_TYPE, "Reports on the texts", NULL, SECOND_RESULT},
};

#if defined(BEND_MIGRATION_TWICE)
#define SECOND_VERSION 1u
#elif defined(BEND_MIGRATION_ZERO)
#define SECOND_VERSION 0u
#else
#define SECOND_VERSION 2u
#endif

#if defined(BEND_MIGRATION_NAME)
#define SECOND_NAME "Add-Index"
#else
#define SECOND_NAME "add_index"
#endif

#if defined(BEND_MIGRATION_NO_SQLITE)
#define SECOND_SQLITE NULL
#else
#define SECOND_SQLITE "CREATE INDEX contract_texts_at ON contract_texts (at);"
#endif

/* Listed out of order on purpose: the host applies them by version. */
static const warren_migration migrations[] = {
    {sizeof(warren_migration), SECOND_VERSION, SECOND_NAME,
     "CREATE INDEX contract_texts_at ON contract_texts (at);", SECOND_SQLITE},
    {sizeof(warren_migration), 1u, "create_texts",
     "CREATE TABLE contract_texts (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL, "
     "at TIMESTAMPTZ NOT NULL DEFAULT now());",
     "CREATE TABLE contract_texts (id INTEGER PRIMARY KEY, body TEXT NOT NULL, "
     "at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);"},
};

#if defined(BEND_TYPES_NULL) /* NULL, with job_types still referenced (no unused warning) */
#define JOB_TYPES (job_types[0].struct_size == 0 ? job_types : NULL)
#else
#define JOB_TYPES job_types
#endif

/* A 1.1-sized descriptor: the job types and migrations after it are not the plugin's, and the
 * bent ones here must not be read. */
#if defined(BEND_OLD_SIZE)
#define FIXTURE_SIZE ((uint32_t)offsetof(warren_plugin_descriptor, job_types))
#else
#define FIXTURE_SIZE ((uint32_t)sizeof(warren_plugin_descriptor))
#endif

static const warren_plugin_descriptor descriptor = {WARREN_ABI_MAGIC,
                                                    FIXTURE_SIZE,
                                                    WARREN_ABI_MAJOR,
                                                    WARREN_ABI_MINOR,
                                                    FIXTURE_NAME,
                                                    "1.2.0",
                                                    job_names,
                                                    2u,
                                                    WARREN_RESOURCE_IO,
                                                    1u << 20,
                                                    2u,
                                                    NULL,
                                                    0u,
                                                    fixture_init,
                                                    fixture_handle,
                                                    fixture_shutdown,
                                                    JOB_TYPES,
                                                    2u,
                                                    migrations,
                                                    2u};

WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {
  return &descriptor;
}
