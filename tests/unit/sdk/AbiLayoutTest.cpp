// Freezes the ABI 1.0 layout and what 1.1 and 1.2 appended (LP64). The ABI is append-only: a member
// that moves breaks every plugin already built. If one of these fails, the change is an ABI break,
// not a test to update.
#include <warren/plugin.h>

#include <gtest/gtest.h>

#include <cstddef>

namespace {

static_assert(sizeof(void*) == 8, "these offsets are for LP64 targets");

TEST(AbiLayout, Descriptor) {
  EXPECT_EQ(offsetof(warren_plugin_descriptor, magic), 0u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, struct_size), 4u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, abi_major), 8u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, abi_minor), 12u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, name), 16u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, version), 24u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, job_names), 32u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, job_name_count), 40u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, resource_class), 44u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, memory_per_job_bytes), 48u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, default_concurrency), 56u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, config_keys), 64u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, config_key_count), 72u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, init), 80u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, handle), 88u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, shutdown), 96u);
  // ABI 1.2
  EXPECT_EQ(offsetof(warren_plugin_descriptor, job_types), 104u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, job_type_count), 112u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, migrations), 120u);
  EXPECT_EQ(offsetof(warren_plugin_descriptor, migration_count), 128u);
  EXPECT_EQ(sizeof(warren_plugin_descriptor), 136u);
}

TEST(AbiLayout, JobTypeAndMigration) {
  EXPECT_EQ(offsetof(warren_job_type, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_job_type, name), 8u);
  EXPECT_EQ(offsetof(warren_job_type, summary), 16u);
  EXPECT_EQ(offsetof(warren_job_type, data_schema), 24u);
  EXPECT_EQ(offsetof(warren_job_type, result_schema), 32u);
  EXPECT_EQ(sizeof(warren_job_type), 40u);
  EXPECT_EQ(offsetof(warren_migration, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_migration, version), 4u);
  EXPECT_EQ(offsetof(warren_migration, name), 8u);
  EXPECT_EQ(offsetof(warren_migration, postgresql), 16u);
  EXPECT_EQ(offsetof(warren_migration, sqlite), 24u);
  EXPECT_EQ(sizeof(warren_migration), 32u);
}

TEST(AbiLayout, ConfigKey) {
  EXPECT_EQ(offsetof(warren_config_key, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_config_key, name), 8u);
  EXPECT_EQ(offsetof(warren_config_key, type), 16u);
  EXPECT_EQ(offsetof(warren_config_key, default_value), 24u);
  EXPECT_EQ(offsetof(warren_config_key, required), 32u);
  EXPECT_EQ(offsetof(warren_config_key, description), 40u);
  EXPECT_EQ(sizeof(warren_config_key), 48u);
}

TEST(AbiLayout, HostApi) {
  EXPECT_EQ(offsetof(warren_host_api, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_host_api, abi_major), 4u);
  EXPECT_EQ(offsetof(warren_host_api, abi_minor), 8u);
  EXPECT_EQ(offsetof(warren_host_api, host_version), 16u);
  EXPECT_EQ(offsetof(warren_host_api, buffer_free), 24u);
  EXPECT_EQ(offsetof(warren_host_api, log), 32u);
  EXPECT_EQ(offsetof(warren_host_api, metrics), 40u);
  EXPECT_EQ(offsetof(warren_host_api, config), 48u);
  EXPECT_EQ(offsetof(warren_host_api, job), 56u);
  EXPECT_EQ(offsetof(warren_host_api, http), 64u);
  EXPECT_EQ(offsetof(warren_host_api, db), 72u);
  EXPECT_EQ(offsetof(warren_host_api, storage), 80u);
  // ABI 1.2
  EXPECT_EQ(offsetof(warren_host_api, ai), 88u);
  EXPECT_EQ(offsetof(warren_host_api, queue), 96u);
  EXPECT_EQ(sizeof(warren_host_api), 104u);
}

TEST(AbiLayout, JobApi) {
  EXPECT_EQ(offsetof(warren_job_api, data), 8u);
  EXPECT_EQ(offsetof(warren_job_api, id), 16u);
  EXPECT_EQ(offsetof(warren_job_api, name), 24u);
  EXPECT_EQ(offsetof(warren_job_api, queue), 32u);
  EXPECT_EQ(offsetof(warren_job_api, attempt), 40u);
  EXPECT_EQ(offsetof(warren_job_api, deadline_ms), 48u);
  EXPECT_EQ(offsetof(warren_job_api, is_cancelled), 56u);
  EXPECT_EQ(offsetof(warren_job_api, wait_cancelled), 64u);
  EXPECT_EQ(offsetof(warren_job_api, progress), 72u);
  EXPECT_EQ(offsetof(warren_job_api, log), 80u);
  EXPECT_EQ(offsetof(warren_job_api, set_result), 88u);
  EXPECT_EQ(offsetof(warren_job_api, set_error), 96u);
  // ABI 1.2
  EXPECT_EQ(offsetof(warren_job_api, set_retry_at), 104u);
  EXPECT_EQ(offsetof(warren_job_api, cancel_reason), 112u);
  EXPECT_EQ(offsetof(warren_job_api, once_get), 120u);
  EXPECT_EQ(offsetof(warren_job_api, once_put), 128u);
  EXPECT_EQ(sizeof(warren_job_api), 136u);
}

TEST(AbiLayout, AiAndQueueApi) {
  EXPECT_EQ(offsetof(warren_ai_error, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_ai_error, retryable), 4u);
  EXPECT_EQ(offsetof(warren_ai_error, retry_at_ms), 8u);
  EXPECT_EQ(offsetof(warren_ai_error, message), 16u);
  EXPECT_EQ(sizeof(warren_ai_error), 32u);
  EXPECT_EQ(offsetof(warren_ai_api, available), 8u);
  EXPECT_EQ(offsetof(warren_ai_api, complete), 16u);
  EXPECT_EQ(offsetof(warren_ai_api, embed), 24u);
  EXPECT_EQ(sizeof(warren_ai_api), 32u);
  EXPECT_EQ(offsetof(warren_queue_api, add), 8u);
  EXPECT_EQ(offsetof(warren_queue_api, upsert_scheduler), 16u);
  EXPECT_EQ(sizeof(warren_queue_api), 24u);
}

TEST(AbiLayout, ServiceTablesStartWithTheirSize) {
  EXPECT_EQ(offsetof(warren_log_api, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_metrics_api, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_config_api, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_http_api, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_http_request, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_db_api, struct_size), 0u);
  EXPECT_EQ(offsetof(warren_storage_api, struct_size), 0u);
}

TEST(AbiLayout, VersionConstants) {
  EXPECT_EQ(WARREN_ABI_MAGIC, 0x5752504Eu);
  EXPECT_EQ(WARREN_ABI_MAJOR, 1u);
  EXPECT_STREQ(WARREN_ENTRY_SYMBOL, "warren_plugin_entry");
  EXPECT_EQ(WARREN_JOB_COMPLETED, 0u);
  EXPECT_EQ(WARREN_JOB_FAILED_RETRYABLE, 1u);
  EXPECT_EQ(WARREN_JOB_FAILED_UNRECOVERABLE, 2u);
  EXPECT_EQ(WARREN_JOB_DELAYED, 3u);
  EXPECT_EQ(WARREN_JOB_RATE_LIMITED, 4u);
  EXPECT_EQ(WARREN_ERR_RETRY_LATER, -7);
  EXPECT_EQ(WARREN_ERR_REFUSED, -8);
}

}  // namespace
