/*
 * Warren plugin ABI: the only contract between the Warren host and a job-handler plugin.
 *
 * This header is C (it compiles as C99 and as C++). Nothing of the C++ standard library,
 * no exceptions and no RTTI cross it. The C++ wrapper in <warren/plugin.hpp> sits on top.
 *
 * Compatibility promise: a plugin built against SDK x.y runs on every host x.z with z >= y.
 * The host refuses a plugin whose ABI major differs from its own, or whose ABI minor is newer.
 *
 * Evolution rules (for SDK maintainers):
 *   - every struct that crosses the boundary starts with `struct_size` (uint32_t);
 *   - structs and function tables only grow at the end; nothing is reordered or removed;
 *   - a reader never touches a member that lies beyond the `struct_size` the writer gave;
 *   - a host service an older host lacks is NULL; plugins test before calling.
 *
 * Ownership vocabulary used below:
 *   HOST-OWNED   the host allocated it and frees it; the plugin only reads it, and only for the
 *                lifetime stated next to it.
 *   PLUGIN-OWNED the plugin allocated it and frees it; the host only reads it, and only during
 *                the call it was handed over in (the host copies what it keeps).
 *
 * Threads: the plugin owns no threads. `init` and `shutdown` run once per instance on the host's
 * control thread. `handle` runs on host worker threads and may run concurrently for different
 * jobs of the same instance. Every host service function is thread-safe unless stated otherwise.
 * No work in static constructors or destructors; no thread_local with a destructor.
 */
#ifndef WARREN_PLUGIN_H
#define WARREN_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Versioning ------------------------------------------------------------------------- */

#define WARREN_ABI_MAGIC 0x5752504Eu /* "WRPN" */
#define WARREN_ABI_MAJOR 1u
#define WARREN_ABI_MINOR 2u

/* The one symbol a plugin exports: `const warren_plugin_descriptor *warren_plugin_entry(void)`. */
#define WARREN_ENTRY_SYMBOL "warren_plugin_entry"

#if defined(_WIN32)
#define WARREN_EXPORT __declspec(dllexport)
#else
#define WARREN_EXPORT __attribute__((visibility("default")))
#endif

/* ---- Small shared types ------------------------------------------------------------------- */

/* Status of a host service call. */
typedef int32_t warren_status;
#define WARREN_OK 0
#define WARREN_ERR_INVALID (-1)     /* bad argument (named in the error text) */
#define WARREN_ERR_UNAVAILABLE (-2) /* the service could not be reached; may succeed later */
#define WARREN_ERR_TIMEOUT (-3)     /* the call ran out of time */
#define WARREN_ERR_NOT_FOUND (-4)   /* the thing asked for does not exist */
#define WARREN_ERR_CANCELLED (-5)   /* the job was cancelled while the call waited */
#define WARREN_ERR_INTERNAL (-6)    /* anything else; the error text says what */
/* Since ABI 1.2. */
/* WARREN_ERR_RETRY_LATER: rate limited for longer than the host waits in place; try again at the
 * time the call reports (retry_at_ms). WARREN_ERR_REFUSED: refused for good by the remote side
 * (a content policy, a truncated reply, an exhausted quota, a rejected key). */
#define WARREN_ERR_RETRY_LATER (-7)
#define WARREN_ERR_REFUSED (-8)

/*
 * A byte buffer the host fills for the plugin (replies, error texts).
 * OWNERSHIP: HOST-OWNED once filled; the plugin releases it with warren_host_api.buffer_free,
 * exactly once, on any thread. `data` is NUL-terminated for convenience (not counted in `len`).
 * A zero-initialised buffer is empty and may be freed.
 */
typedef struct warren_buffer {
  char *data;
  size_t len;
} warren_buffer;

/* A key/value pair of strings (metric labels, HTTP headers).
 * OWNERSHIP: whoever passes it owns it; the receiver copies what it keeps. */
typedef struct warren_pair {
  const char *key;
  const char *value;
} warren_pair;

/* Opaque handles. Each is HOST-OWNED. */
typedef struct warren_host warren_host; /* one plugin instance as the host sees it; valid from
                                           init until shutdown returns */
typedef struct warren_job warren_job;   /* one job being handled; valid during handle() only */

/* Opaque plugin state, returned by init. PLUGIN-OWNED: freed by the plugin in shutdown. */
typedef struct warren_plugin_state warren_plugin_state;

/* ---- The declared config schema ----------------------------------------------------------- */

typedef uint32_t warren_config_type;
#define WARREN_CONFIG_STRING 0u
#define WARREN_CONFIG_INT 1u    /* 64-bit signed decimal */
#define WARREN_CONFIG_FLOAT 2u  /* decimal number */
#define WARREN_CONFIG_BOOL 3u   /* true/false, yes/no, on/off, 1/0 */
#define WARREN_CONFIG_SECRET 4u /* a string the host never logs or prints */

/* One config key a plugin accepts. OWNERSHIP: PLUGIN-OWNED static data, valid while the
 * library is loaded. */
typedef struct warren_config_key {
  uint32_t struct_size;
  const char *name;          /* [a-z0-9_.-]+ */
  warren_config_type type;
  const char *default_value; /* text form, or NULL for no default */
  uint32_t required;         /* 1: the host refuses to start the plugin without a value */
  const char *description;
} warren_config_key;

/* ---- Results ------------------------------------------------------------------------------ */

typedef uint32_t warren_job_outcome;
#define WARREN_JOB_COMPLETED 0u            /* return value set with job_api.set_result (or null) */
#define WARREN_JOB_FAILED_RETRYABLE 1u     /* message set with job_api.set_error; host retries
                                              under the job's attempts and backoff */
#define WARREN_JOB_FAILED_UNRECOVERABLE 2u /* message set with job_api.set_error; no retry */
/* Since ABI 1.2. Both need the time set with job_api.set_retry_at; neither spends an attempt,
 * and neither holds a job slot while it waits. */
#define WARREN_JOB_DELAYED 3u /* the job goes to delayed until that time (BullMQ's
                                 job.moveToDelayed + DelayedError: attemptsMade unchanged) */
#define WARREN_JOB_RATE_LIMITED 4u /* the whole queue pauses until that time and the job goes back
                                      to wait (BullMQ's Worker.rateLimit + RateLimitError) */

/* ---- Host services ------------------------------------------------------------------------ */

typedef uint32_t warren_log_level;
#define WARREN_LOG_TRACE 0u
#define WARREN_LOG_DEBUG 1u
#define WARREN_LOG_INFO 2u
#define WARREN_LOG_WARN 3u
#define WARREN_LOG_ERROR 4u

/* Logging into the host's structured log; lines carry the plugin's name and version. */
typedef struct warren_log_api {
  uint32_t struct_size;
  /* 1 when a line at `level` would be written (check before formatting expensive text). */
  int (*enabled)(const warren_host *host, warren_log_level level);
  /* `message` (PLUGIN-OWNED, `len` bytes, need not be NUL-terminated) is copied. */
  void (*write)(const warren_host *host, warren_log_level level, const char *message,
                size_t len);
} warren_log_api;

/* Metrics by name and labels; the host exposes them on /metrics. Names follow Prometheus rules
 * ([a-zA-Z_:][a-zA-Z0-9_:]*); the host prefixes none. Invalid names or labels return
 * WARREN_ERR_INVALID. Label arrays are PLUGIN-OWNED and copied. */
typedef struct warren_metrics_api {
  uint32_t struct_size;
  warren_status (*counter_add)(const warren_host *host, const char *name, const warren_pair *labels,
                               size_t label_count, double delta);
  warren_status (*gauge_set)(const warren_host *host, const char *name, const warren_pair *labels,
                             size_t label_count, double value);
  warren_status (*histogram_observe)(const warren_host *host, const char *name,
                                     const warren_pair *labels, size_t label_count, double value);
} warren_metrics_api;

/* The plugin instance's validated config (every declared key with a value or default). */
typedef struct warren_config_api {
  uint32_t struct_size;
  /* Value of `key` as text, or NULL when the key has no value. HOST-OWNED, valid until shutdown
   * returns. Values were checked against the declared type before init was called. */
  const char *(*get)(const warren_host *host, const char *key);
} warren_config_api;

/* Per-job functions. Every function takes the job handle given to handle(); they may be called
 * only while that handle() call runs, from any thread. */
typedef struct warren_job_api {
  uint32_t struct_size;
  /* Job data as JSON text. HOST-OWNED, valid during handle(). */
  const char *(*data)(const warren_job *job, size_t *len);
  const char *(*id)(const warren_job *job);    /* HOST-OWNED, valid during handle() */
  const char *(*name)(const warren_job *job);  /* HOST-OWNED, valid during handle() */
  const char *(*queue)(const warren_job *job); /* HOST-OWNED, valid during handle() */
  /* 1 on the first attempt, 2 on the first retry, and so on. */
  uint32_t (*attempt)(const warren_job *job);
  /* Deadline in Unix epoch milliseconds, or 0 when the job has none. */
  int64_t (*deadline_ms)(const warren_job *job);
  /* 1 once the host asked the job to stop (shutdown, drain, timeout, reload deadline). */
  int (*is_cancelled)(const warren_job *job);
  /* Sleeps up to `timeout_ms`; returns 1 early as soon as the job is cancelled, else 0. */
  int (*wait_cancelled)(const warren_job *job, uint32_t timeout_ms);
  /* Progress as JSON text: a number 0..100 or an object (as BullMQ's updateProgress). */
  warren_status (*progress)(const warren_job *job, const char *json, size_t len);
  /* Appends one line to the job's log (as BullMQ's job.log). */
  warren_status (*log)(const warren_job *job, const char *line, size_t len);
  /* The return value (JSON text) for WARREN_JOB_COMPLETED. Copied; last call wins.
   * Returns WARREN_ERR_INVALID when `json` is not valid JSON. */
  warren_status (*set_result)(const warren_job *job, const char *json, size_t len);
  /* The failure message for a failed outcome. Copied; last call wins. */
  warren_status (*set_error)(const warren_job *job, const char *message, size_t len);

  /* ---- Since ABI 1.2 ---- */
  /* When to try again (Unix epoch ms), for WARREN_JOB_DELAYED and WARREN_JOB_RATE_LIMITED; a
   * time in the past means "now". A reason set with set_error is kept in the job's log. */
  warren_status (*set_retry_at)(const warren_job *job, int64_t epoch_ms);
  /* Why the job was asked to stop ("shutdown", "timeout", "cancelled: <reason>"...), or "" while
   * it was not. HOST-OWNED, valid during handle(). */
  const char *(*cancel_reason)(const warren_job *job);
  /* The idempotency ledger, for side effects that must not run twice when BullMQ runs a job
   * again (after a stall, a crash or a retry: at-least-once delivery). Entries are scoped to the
   * job (queue and id) and kept in Redis for `ttl_s` seconds. once_get: WARREN_OK and the JSON
   * recorded for `key` in `value_json` (HOST-OWNED once filled) when the side effect finished
   * before, WARREN_ERR_NOT_FOUND when it did not. once_put records it (`value_json` is valid
   * JSON, copied). NULL when the host has no ledger. */
  warren_status (*once_get)(const warren_job *job, const char *key, size_t key_len,
                            warren_buffer *value_json);
  warren_status (*once_put)(const warren_job *job, const char *key, size_t key_len,
                            const char *value_json, size_t value_len, uint32_t ttl_s);
} warren_job_api;

/* Outbound HTTP through the host's pooled, rate-limited client. NULL until the host provides it. */
typedef struct warren_http_request {
  uint32_t struct_size;
  const char *method; /* "GET", "POST", ... */
  const char *url;    /* http:// or https:// */
  const warren_pair *headers;
  size_t header_count;
  const char *body;
  size_t body_len;
  uint32_t timeout_ms; /* 0: the host's default */
  uint32_t idempotent; /* 1: the host may retry on connection errors and 5xx */
} warren_http_request;

typedef struct warren_http_api {
  uint32_t struct_size;
  /* On WARREN_OK, `*status_code` is set, `headers_json` holds the response headers as a JSON
   * object and `body` the body. On error, `error` holds the reason. All buffers HOST-OWNED
   * once filled. `job` may be NULL (calls outside a job are not cancelled). */
  warren_status (*request)(const warren_host *host, const warren_job *job,
                           const warren_http_request *request, int32_t *status_code,
                           warren_buffer *headers_json, warren_buffer *body,
                           warren_buffer *error);
} warren_http_api;

/* Database access through the host's pools (PostgreSQL, or SQLite by default). NULL until the
 * host provides it. */
typedef uint32_t warren_db_intent;
#define WARREN_DB_READ 0u  /* may go to a read replica */
#define WARREN_DB_WRITE 1u /* always the primary */

typedef struct warren_db_api {
  uint32_t struct_size;
  /* Runs `sql` with $1..$n bound from `params_json` (a JSON array, or NULL). On WARREN_OK,
   * `rows_json` holds a JSON array of row objects and `*affected` the affected row count.
   * On error, `error` holds the reason. Buffers HOST-OWNED once filled. */
  warren_status (*query)(const warren_host *host, const warren_job *job, warren_db_intent intent,
                         const char *sql, const char *params_json, warren_buffer *rows_json,
                         int64_t *affected, warren_buffer *error);
} warren_db_api;

/* Object storage (a local directory, or S3-compatible). NULL until the host provides it.
 * Data moves through local files so that nothing large sits in memory. */
typedef struct warren_storage_api {
  uint32_t struct_size;
  warren_status (*put_file)(const warren_host *host, const warren_job *job, const char *key,
                            const char *local_path, const char *content_type,
                            warren_buffer *error);
  warren_status (*get_file)(const warren_host *host, const warren_job *job, const char *key,
                            const char *local_path, warren_buffer *error);
  /* `info_json`: {"size":N,"content_type":"...","etag":"...","modified_ms":N} */
  warren_status (*head)(const warren_host *host, const char *key, warren_buffer *info_json,
                        warren_buffer *error);
  warren_status (*remove)(const warren_host *host, const char *key, warren_buffer *error);
  /* `keys_json`: a JSON array of keys under `prefix`. */
  warren_status (*list)(const warren_host *host, const char *prefix, warren_buffer *keys_json,
                        warren_buffer *error);
  warren_status (*presign_get)(const warren_host *host, const char *key, uint32_t expires_s,
                               warren_buffer *url, warren_buffer *error);
} warren_storage_api;

/* AI models through the host (since ABI 1.2). The host owns the providers, their keys, limits,
 * retries, fallbacks and accounting; plugins never see a key. Requests and responses are JSON
 * (docs/ai.md gives every field), so the calls can cross a process boundary unchanged. NULL in
 * older hosts. */
#define WARREN_AI_COMPLETE 1u /* text and structured (JSON Schema) completions, images included */
#define WARREN_AI_EMBED 2u    /* embedding vectors */

/* Why an AI call failed. The plugin zero-initialises it and sets struct_size; the host fills the
 * rest. */
typedef struct warren_ai_error {
  uint32_t struct_size;
  uint32_t retryable;    /* 1: a later attempt may succeed (provider down, timeout); 0: it will
                            not (refusal, truncated reply, invalid request, bad key) */
  int64_t retry_at_ms;   /* with WARREN_ERR_RETRY_LATER: when to try again (Unix epoch ms) */
  warren_buffer message; /* the readable reason; HOST-OWNED once filled; never holds a key */
} warren_ai_error;

typedef struct warren_ai_api {
  uint32_t struct_size;
  /* 1 when a provider serving `capability` (WARREN_AI_*) is configured for the plugin's queue;
   * 0 when there is none ("no AI provider configured"): the plugin uses its offline method. */
  int (*available)(const warren_host *host, uint32_t capability);
  /* A completion. On WARREN_OK `response_json` (HOST-OWNED once filled) holds the response;
   * otherwise `error` says why: WARREN_ERR_NOT_FOUND (no provider), WARREN_ERR_INVALID (a bad
   * request, or a reply that failed its schema after the repair attempt), WARREN_ERR_REFUSED,
   * WARREN_ERR_RETRY_LATER, WARREN_ERR_UNAVAILABLE, WARREN_ERR_TIMEOUT, WARREN_ERR_CANCELLED.
   * `job` may be NULL (no cancellation, no deadline). */
  warren_status (*complete)(const warren_host *host, const warren_job *job,
                            const char *request_json, size_t request_len,
                            warren_buffer *response_json, warren_ai_error *error);
  /* Embeddings of a batch of texts; results and errors as for complete. */
  warren_status (*embed)(const warren_host *host, const warren_job *job, const char *request_json,
                         size_t request_len, warren_buffer *response_json,
                         warren_ai_error *error);
} warren_ai_api;

/* BullMQ queues on the node's Redis (since ABI 1.2): what a Node app does with Queue.add and
 * Queue.upsertJobScheduler, e.g. to enqueue a follow-up step. NULL when the host has no Redis. */
typedef struct warren_queue_api {
  uint32_t struct_size;
  /* Adds a job `name` with `data_json` to `queue`. `opts_json` (NULL: defaults) takes BullMQ's
   * job options (jobId, delay, attempts, backoff, priority, lifo, removeOnComplete,
   * removeOnFail, parent...). On WARREN_OK `job_id` holds the new job's id (or the existing
   * one, for a jobId that was taken). `job` may be NULL. */
  warren_status (*add)(const warren_host *host, const warren_job *job, const char *queue,
                       const char *name, const char *data_json, const char *opts_json,
                       warren_buffer *job_id, warren_buffer *error);
  /* Creates or updates the job scheduler `scheduler_id` of `queue`: `repeat_json` as BullMQ's
   * RepeatOptions ({"every":ms} or {"pattern":"cron", "tz":...}), `template_json` as its job
   * template ({"name":..., "data":..., "opts":...}). */
  warren_status (*upsert_scheduler)(const warren_host *host, const char *queue,
                                    const char *scheduler_id, const char *repeat_json,
                                    const char *template_json, warren_buffer *error);
} warren_queue_api;

/*
 * The table of host services handed to init. OWNERSHIP: HOST-OWNED, valid until shutdown
 * returns; the plugin may keep the pointer until then. A member beyond `struct_size`, or a
 * NULL member, is a service this host does not provide.
 */
typedef struct warren_host_api {
  uint32_t struct_size;
  uint32_t abi_major; /* the host's ABI version */
  uint32_t abi_minor;
  const char *host_version; /* HOST-OWNED, static */
  void (*buffer_free)(warren_buffer *buffer);
  const warren_log_api *log;
  const warren_metrics_api *metrics;
  const warren_config_api *config;
  const warren_job_api *job;
  const warren_http_api *http;       /* NULL until the host provides outbound HTTP */
  const warren_db_api *db;           /* NULL until the host provides database access */
  const warren_storage_api *storage; /* NULL until the host provides object storage */
  /* Since ABI 1.2. */
  const warren_ai_api *ai;       /* NULL until the host provides AI models */
  const warren_queue_api *queue; /* NULL until the host provides queue access */
} warren_host_api;

/* ---- The plugin's side ---------------------------------------------------------------------- */

/*
 * Creates one plugin instance. Called once per instance on the control thread, after the host
 * checked the descriptor and validated the config. On success returns WARREN_OK and sets
 * `*state` (PLUGIN-OWNED, may be NULL). On failure writes a NUL-terminated reason of at most
 * `error_len` bytes into `error` (HOST-OWNED) and returns any other value; the host then never
 * calls handle or shutdown for this instance.
 */
typedef warren_status (*warren_init_fn)(const warren_host_api *api, const warren_host *host,
                                        warren_plugin_state **state, char *error,
                                        size_t error_len);

/* Handles one job; see warren_job_outcome. Runs on a host worker thread, possibly concurrently
 * with other handle calls of the same instance. Must not let a C++ exception escape. */
typedef warren_job_outcome (*warren_handle_fn)(warren_plugin_state *state, const warren_job *job);

/* Releases the instance. Called once, on the control thread, after every handle call of the
 * instance returned. */
typedef void (*warren_shutdown_fn)(warren_plugin_state *state);

/* The contract of one job name (since ABI 1.2), so that a web app can rely on it: docs/jobs.md
 * is written from these. OWNERSHIP: PLUGIN-OWNED static data, valid while the library is loaded. */
typedef struct warren_job_type {
  uint32_t struct_size;
  const char *name;          /* an exact job name the plugin handles */
  const char *summary;       /* one line: what the job does */
  const char *data_schema;   /* JSON Schema (draft 7) of the job data, or NULL. The host checks
                                the data before handle() and fails a job that does not validate,
                                unrecoverably, naming the field */
  const char *result_schema; /* JSON Schema (draft 7) of the return value, or NULL */
} warren_job_type;

/* One step of the plugin's database schema (since ABI 1.2). The host applies the steps in
 * version order, once per database, each in its own transaction, before the plugin's init, and
 * records them in warren_migrations under the scope "plugin:<name>". A step that fails refuses
 * the plugin, naming it. OWNERSHIP: PLUGIN-OWNED static data. */
typedef struct warren_migration {
  uint32_t struct_size;
  uint32_t version;       /* 1, 2, ...; never reused */
  const char *name;       /* [a-z0-9_]+ */
  const char *postgresql; /* the statements for PostgreSQL ($1 placeholders are not used) */
  const char *sqlite;     /* the statements for SQLite */
} warren_migration;

typedef uint32_t warren_resource_class;
#define WARREN_RESOURCE_IO 0u  /* mostly waits on the network: many concurrent jobs per core */
#define WARREN_RESOURCE_CPU 1u /* burns a core per job: concurrency bounded by cores */
/* Since ABI 1.1. handle returns within microseconds and never waits: no network, disk, sleep,
 * or lock another thread may hold long. The host then runs each job on the thread that fetched
 * it, one after another, with no hand-off to a pool thread (as Node runs an async processor on
 * its event loop); concurrency is how many jobs are fetched and locked at once. A handle call
 * that blocks stalls the whole queue's traffic: declare IO or CPU for anything that can. */
#define WARREN_RESOURCE_INLINE 2u

/*
 * What the plugin is, returned by the entry function. OWNERSHIP: PLUGIN-OWNED static data,
 * valid while the library is loaded; must be constant-initialised (no code runs to build it).
 * The host reads magic, struct_size and the ABI version first and refuses the plugin before any
 * other call if they do not fit.
 */
typedef struct warren_plugin_descriptor {
  uint32_t magic;       /* WARREN_ABI_MAGIC */
  uint32_t struct_size; /* sizeof(warren_plugin_descriptor) as the plugin was built */
  uint32_t abi_major;   /* WARREN_ABI_MAJOR as the plugin was built */
  uint32_t abi_minor;   /* WARREN_ABI_MINOR as the plugin was built */
  const char *name;     /* [a-z0-9_-]+ */
  const char *version;  /* free text, semver recommended */
  const char *const *job_names; /* names handled; "prefix*" matches by prefix, "*" matches all */
  uint32_t job_name_count;
  warren_resource_class resource_class;
  uint64_t memory_per_job_bytes; /* estimated peak memory of one concurrent job */
  uint32_t default_concurrency;  /* used when the node config gives none */
  const warren_config_key *config_keys;
  uint32_t config_key_count;
  warren_init_fn init;
  warren_handle_fn handle;
  warren_shutdown_fn shutdown;
  /* Since ABI 1.2 (a descriptor whose struct_size ends before a member has none of it). */
  const warren_job_type *job_types; /* the contract of each job name, or NULL */
  uint32_t job_type_count;
  const warren_migration *migrations; /* the plugin's database schema, or NULL */
  uint32_t migration_count;
} warren_plugin_descriptor;

typedef const warren_plugin_descriptor *(*warren_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WARREN_PLUGIN_H */
