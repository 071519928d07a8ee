/* c99_plugin: a complete plugin in plain C99 without the C++ wrapper, to prove the C ABI is
 * usable on its own. It touches every service a plugin gets today.
 *
 * Config: greeting (string, default "hello"; init refuses an empty one or one with quotes).
 * Every job: logs "c99 handling <id>", reports progress 50, counts c99_jobs_total{job=<name>},
 * checks that an invalid metric name is refused, then returns
 *   {"greeting":..,"id":..,"name":..,"queue":..,"attempt":N,"deadline_ms":N,"data_bytes":N,
 *    "bad_metric_refused":true|false}
 * The job "c99:fail" fails (retryable) with "c99 failed on purpose" instead. */
#include <warren/plugin.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GREETING_MAX 63

struct warren_plugin_state {
  const warren_host_api* api;
  const warren_host* host;
  char greeting[GREETING_MAX + 1];
};

static void log_info(const struct warren_plugin_state* s, const char* text) {
  if (s->api->log->enabled(s->host, WARREN_LOG_INFO)) {
    s->api->log->write(s->host, WARREN_LOG_INFO, text, strlen(text));
  }
}

static warren_status c99_init(const warren_host_api* api, const warren_host* host,
                              warren_plugin_state** state, char* error, size_t error_len) {
  const char* greeting = api->config->get(host, "greeting");
  struct warren_plugin_state* s;
  if (greeting == NULL || greeting[0] == '\0' || strlen(greeting) > GREETING_MAX ||
      strpbrk(greeting, "\"\\") != NULL) {
    snprintf(error, error_len, "config key 'greeting' must be 1 to %d characters without quotes",
             GREETING_MAX);
    return WARREN_ERR_INVALID;
  }
  s = (struct warren_plugin_state*)malloc(sizeof *s);
  if (s == NULL) {
    snprintf(error, error_len, "out of memory");
    return WARREN_ERR_INTERNAL;
  }
  s->api = api;
  s->host = host;
  strcpy(s->greeting, greeting);
  *state = s;
  log_info(s, "c99 plugin ready");
  return WARREN_OK;
}

static warren_job_outcome fail(const warren_job_api* jobs, const warren_job* job,
                               const char* message) {
  jobs->set_error(job, message, strlen(message));
  return WARREN_JOB_FAILED_RETRYABLE;
}

static warren_job_outcome c99_handle(warren_plugin_state* s, const warren_job* job) {
  const warren_job_api* jobs = s->api->job;
  const char* name = jobs->name(job);
  const char* id = jobs->id(job);
  const warren_pair labels[1] = {{"job", name}};
  size_t data_len = 0;
  int bad_metric_refused;
  char line[160];
  char result[640];

  (void)jobs->data(job, &data_len);
  snprintf(line, sizeof line, "c99 handling %s", id);
  if (jobs->log(job, line, strlen(line)) != WARREN_OK) return fail(jobs, job, "job log refused");
  if (jobs->progress(job, "50", 2) != WARREN_OK) return fail(jobs, job, "progress refused");
  if (s->api->metrics->counter_add(s->host, "c99_jobs_total", labels, 1, 1.0) != WARREN_OK) {
    return fail(jobs, job, "counter refused");
  }
  bad_metric_refused =
      s->api->metrics->counter_add(s->host, "c99 bad name", NULL, 0, 1.0) == WARREN_ERR_INVALID;
  if (strcmp(name, "c99:fail") == 0) return fail(jobs, job, "c99 failed on purpose");

  snprintf(result, sizeof result,
           "{\"greeting\":\"%s\",\"id\":\"%s\",\"name\":\"%s\",\"queue\":\"%s\",\"attempt\":%u,"
           "\"deadline_ms\":%lld,\"data_bytes\":%lu,\"bad_metric_refused\":%s}",
           s->greeting, id, name, jobs->queue(job), (unsigned)jobs->attempt(job),
           (long long)jobs->deadline_ms(job), (unsigned long)data_len,
           bad_metric_refused ? "true" : "false");
  if (jobs->set_result(job, result, strlen(result)) != WARREN_OK) {
    return fail(jobs, job, "c99 built a result that is not JSON");
  }
  return WARREN_JOB_COMPLETED;
}

static void c99_shutdown(warren_plugin_state* state) {
  free(state);
}

static const char* const job_names[] = {"c99", "c99:*"};

static const warren_config_key config_keys[] = {
    {sizeof(warren_config_key), "greeting", WARREN_CONFIG_STRING, "hello", 0u,
     "word the result starts with"},
};

static const warren_plugin_descriptor descriptor = {
    WARREN_ABI_MAGIC,
    sizeof(warren_plugin_descriptor),
    WARREN_ABI_MAJOR,
    WARREN_ABI_MINOR,
    "c99_plugin",
    "0.3.0",
    job_names,
    2u,
    WARREN_RESOURCE_CPU,
    8u << 20,
    2u,
    config_keys,
    1u,
    c99_init,
    c99_handle,
    c99_shutdown,
    NULL, /* ABI 1.2: job types */
    0u,
    NULL, /* ABI 1.2: migrations */
    0u,
};

WARREN_EXPORT const warren_plugin_descriptor* warren_plugin_entry(void) {
  return &descriptor;
}
