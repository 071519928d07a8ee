// The SDK's database service (warren_db_api) as a plugin calls it: through the host's table,
// with buffers released by the table's buffer_free.
#include <gtest/gtest.h>

#include <cstring>

#include "Helpers.h"
#include "PostgresServer.h"
#include "TempDir.h"
#include "plugins/HostApi.h"
#include "services/DbService.h"

namespace warren::db {
namespace {

using test::fastOptions;

class DbServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = std::make_unique<warren::test::PostgresServer>(); }
  static void TearDownTestSuite() { server_.reset(); }
  void SetUp() override {
    if (!server_->running()) server_->start();
  }

  struct Call {
    warren_status status;
    std::string rows;
    std::int64_t affected;
    std::string error;
  };

  // Calls the function pointers of the installed table, as a plugin would.
  static Call call(warren_db_intent intent, const char* sql, const char* params = nullptr) {
    const warren_host_api* api = plugins::hostApi();
    warren_buffer rows{};
    warren_buffer error{};
    std::int64_t affected = -1;
    Call out;
    out.status = api->db->query(nullptr, nullptr, intent, sql, params, &rows, &affected, &error);
    out.affected = affected;
    if (rows.data != nullptr) {
      EXPECT_EQ(std::strlen(rows.data), rows.len);  // NUL-terminated
      out.rows.assign(rows.data, rows.len);
    }
    if (error.data != nullptr) out.error.assign(error.data, error.len);
    api->buffer_free(&rows);
    api->buffer_free(&error);
    EXPECT_EQ(rows.data, nullptr);
    return out;
  }

  static std::unique_ptr<warren::test::PostgresServer> server_;
};
std::unique_ptr<warren::test::PostgresServer> DbServiceTest::server_;

TEST_F(DbServiceTest, PluginsQueryThroughTheHostTable) {
  Database db(fastOptions(server_->url()));
  const warren_db_api* table = services::dbApi(db);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->struct_size, sizeof(warren_db_api));
  plugins::installServices(plugins::OptionalServices{nullptr, table, nullptr});
  ASSERT_EQ(plugins::hostApi()->db, table);

  Call created = call(WARREN_DB_WRITE, "CREATE TABLE svc (id INT, name TEXT)");
  ASSERT_EQ(created.status, WARREN_OK) << created.error;
  EXPECT_EQ(created.rows, "[]");

  Call inserted =
      call(WARREN_DB_WRITE, "INSERT INTO svc VALUES ($1, $2), ($3, $4)", R"([1, "one", 2, null])");
  ASSERT_EQ(inserted.status, WARREN_OK) << inserted.error;
  EXPECT_EQ(inserted.affected, 2);
  EXPECT_TRUE(inserted.error.empty());

  Call selected = call(WARREN_DB_READ, "SELECT id, name FROM svc ORDER BY id");
  ASSERT_EQ(selected.status, WARREN_OK) << selected.error;
  EXPECT_EQ(selected.rows, R"([{"id":1,"name":"one"},{"id":2,"name":null}])");
  EXPECT_EQ(selected.affected, 2);

  Call noParams = call(WARREN_DB_READ, "SELECT count(*) AS n FROM svc", nullptr);
  EXPECT_EQ(noParams.rows, R"([{"n":2}])");
}

TEST_F(DbServiceTest, ErrorsComeBackAsStatusAndText) {
  Database db(fastOptions(server_->url()));
  plugins::installServices(plugins::OptionalServices{nullptr, services::dbApi(db), nullptr});

  Call syntax = call(WARREN_DB_WRITE, "SELEC 1");
  EXPECT_EQ(syntax.status, WARREN_ERR_INVALID);
  EXPECT_NE(syntax.error.find("42601"), std::string::npos) << syntax.error;
  EXPECT_TRUE(syntax.rows.empty());

  EXPECT_EQ(call(WARREN_DB_WRITE, nullptr).status, WARREN_ERR_INVALID);
  Call intent = call(7, "SELECT 1");
  EXPECT_EQ(intent.status, WARREN_ERR_INVALID);
  EXPECT_NE(intent.error.find("intent"), std::string::npos);
  EXPECT_EQ(call(WARREN_DB_READ, "SELECT $1", "[1,").status, WARREN_ERR_INVALID);

  // Optional outputs may be NULL.
  EXPECT_EQ(plugins::hostApi()->db->query(nullptr, nullptr, WARREN_DB_READ, "SELECT 1", nullptr,
                                          nullptr, nullptr, nullptr),
            WARREN_OK);
}

TEST_F(DbServiceTest, ExhaustedPoolIsATimeoutAndALostServerIsUnavailable) {
  Options options = fastOptions(server_->url());
  options.poolSize = 1;
  options.acquireTimeout = std::chrono::milliseconds(200);
  Database db(options);
  plugins::installServices(plugins::OptionalServices{nullptr, services::dbApi(db), nullptr});
  {
    Lease held = db.lease();
    Call busy = call(WARREN_DB_READ, "SELECT 1");
    EXPECT_EQ(busy.status, WARREN_ERR_TIMEOUT);
    EXPECT_EQ(busy.error, "database pool exhausted: all 1 connections busy for 200 ms");
  }
  server_->stop();
  EXPECT_EQ(call(WARREN_DB_READ, "SELECT 1").status, WARREN_ERR_UNAVAILABLE);
  server_->start();
  EXPECT_EQ(call(WARREN_DB_READ, "SELECT 1").status, WARREN_OK);
}

TEST_F(DbServiceTest, SqliteBehindTheSameTable) {
  warren::test::TempDir dir("warren-dbservice");
  Options options = fastOptions("");
  options.dataDir = dir.path().string();
  Database db(options);
  plugins::installServices(plugins::OptionalServices{nullptr, services::dbApi(db), nullptr});
  ASSERT_EQ(call(WARREN_DB_WRITE, "CREATE TABLE s (flag BOOLEAN, v REAL)").status, WARREN_OK);
  ASSERT_EQ(call(WARREN_DB_WRITE, "INSERT INTO s VALUES ($1, $2)", "[false, 1.5]").status,
            WARREN_OK);
  EXPECT_EQ(call(WARREN_DB_READ, "SELECT * FROM s").rows, R"([{"flag":false,"v":1.5}])");
}

}  // namespace
}  // namespace warren::db
