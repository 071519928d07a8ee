// The services a node offers its plugins through the SDK's host table: the database (SQLite in
// the data directory by default), the shared outbound HTTP client, object storage (a local
// directory by default, S3-compatible with S3_ENDPOINT) and AI models (AI_PROVIDER, docs/ai.md).
// Opened once, before any plugin's init.
#pragma once

#include "ai/Service.h"
#include "config/Config.h"
#include "db/Database.h"
#include "outbound/HttpClient.h"
#include "storage/Store.h"

#include <cstdint>
#include <memory>

namespace warren::app {

struct Services {
  std::unique_ptr<db::Database> database;
  std::unique_ptr<outbound::HttpClient> http;
  std::unique_ptr<storage::Store> storage;
  std::unique_ptr<ai::AiService> ai;  // uses http and storage
};

// Opens the services from the config and installs them in the host table (they must
// outlive every plugin instance). `slots` is the node's total job slots and `queues` the number
// of queues, for the database pool's default size. Throws config::ConfigError for bad settings,
// db::DbError when the database cannot be opened.
Services openServices(const config::Config& config, std::uint32_t queues, std::uint32_t slots);

}  // namespace warren::app
