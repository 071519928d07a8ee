// Platform accounts as operators manage them: the accounts:* jobs refused from a queue, tokens
// never listed, key rotation with ENCRYPTION_KEY_PREVIOUS and accounts:reencrypt, a row copied
// onto another account refused, disabled and re-authorised accounts.
#include "Fixture.h"

namespace warren::test {
namespace {

class Accounts : public PublishTest {
 protected:
  static constexpr const char* kNewKey =
      "1f3e5d7c9b0a2f4e6d8c0b1a3f5e7d9c2b4a6f8e0d1c3b5a7f9e2d4c6b8a0f1e";
  std::unique_ptr<PublishHost> hostWith(const plugins::ConfigValues& config) {
    host_.reset();
    return std::make_unique<PublishHost>(config);
  }
};

TEST_F(Accounts, OperatorJobsAreRefusedFromAQueue) {
  const JobRun run = host_->run("accounts:add",
                                {{"platform", "mastodon"},
                                 {"handle", "@a"},
                                 {"baseUrl", "https://m.example"},
                                 {"accessToken", "t0k3n"}},
                                "j1", "post-publish");
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_EQ(run.outcome.error,
            "accounts:add is an operator job and is refused from a queue (a token must never sit "
            "in Redis job "
            "data): run `warren accounts` instead");
  EXPECT_TRUE(host_->sql("SELECT id FROM platform_accounts").empty());
}

TEST_F(Accounts, AListShowsKeyIdsNeverTokens) {
  mastodonAccount();
  const JobRun run = host_->run("accounts:list", Json::object(), "l1", "");
  ASSERT_TRUE(run.completed()) << run.describe();
  EXPECT_EQ(run.outcome.result.find("mastodon-access-"), std::string::npos) << run.outcome.result;
  const Json account = run.result()["accounts"][0];
  EXPECT_EQ(account["platform"], "mastodon");
  EXPECT_EQ(account["keyIds"]["access_token"], run.result()["keyId"]);
  EXPECT_FALSE(account.contains("accessToken"));
}

TEST_F(Accounts, ARowCopiedOntoAnotherAccountDoesNotDecrypt) {
  const std::string a = mastodonAccount("ann");
  const std::string b = mastodonAccount("bob");
  host_->sql(
      "UPDATE platform_accounts SET access_token = (SELECT access_token FROM platform_accounts "
      "WHERE id = $1) "
      "WHERE id = $2",
      Json::array({a, b}));
  const JobRun run = publish(post("mastodon", b, "as bob"));
  EXPECT_EQ(run.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_NE(run.outcome.error.find("account " + b +
                                   ": access_token cannot be decrypted: the value does not decrypt "
                                   "under key"),
            std::string::npos)
      << run.outcome.error;
  EXPECT_NE(run.outcome.error.find("another account or field"), std::string::npos);
  EXPECT_TRUE(fakes_->posts("mastodon").empty());
}

TEST_F(Accounts, RotationWithThePreviousKeyThenReencrypt) {
  const std::string account = mastodonAccount();
  const std::string oldKey = PublishHost::kKey;
  // Workers started with the new key and the old one as ENCRYPTION_KEY_PREVIOUS read old rows.
  auto rotated = host_->newInstance(
      {{"security.encryption_key", kNewKey}, {"security.encryption_key_previous", oldKey}});
  ASSERT_TRUE(runOn(*rotated, "post:publish", post("mastodon", account, "during rotation"), "r1")
                  .completed());
  const JobRun reencrypt = runOn(*rotated, "accounts:reencrypt", Json::object(), "re", "");
  ASSERT_TRUE(reencrypt.completed()) << reencrypt.describe();
  EXPECT_EQ(reencrypt.result()["accounts"], 1);
  EXPECT_EQ(reencrypt.result()["rewritten"], 1);
  const std::string newId = reencrypt.result()["keyId"];
  EXPECT_EQ(host_->sql("SELECT access_token FROM platform_accounts")[0]["access_token"]
                .get<std::string>()
                .rfind("v1:" + newId + ":", 0),
            0u);
  // Afterwards the new key alone is enough, and the old key alone no longer reads the row.
  auto current = host_->newInstance({{"security.encryption_key", kNewKey}});
  ASSERT_TRUE(runOn(*current, "post:publish", post("mastodon", account, "after rotation"), "r2")
                  .completed());
  const JobRun stale = publish(post("mastodon", account, "old key"), "r3");
  EXPECT_EQ(stale.outcome.outcome, WARREN_JOB_FAILED_UNRECOVERABLE);
  EXPECT_NE(stale.outcome.error.find(
                "account " + account +
                ": access_token cannot be decrypted: the value was "
                "encrypted under key " +
                newId + ", which is neither ENCRYPTION_KEY nor ENCRYPTION_KEY_PREVIOUS"),
            std::string::npos)
      << stale.outcome.error;
  EXPECT_EQ(stale.outcome.error.find(kNewKey), std::string::npos);
  EXPECT_EQ(stale.outcome.error.find(oldKey), std::string::npos);
  // Nothing left under the old key: a second reencrypt rewrites nothing.
  EXPECT_EQ(runOn(*current, "accounts:reencrypt", Json::object(), "re2", "").result()["rewritten"],
            0);
}

TEST_F(Accounts, DisabledAndReauthorised) {
  const std::string account = mastodonAccount();
  ASSERT_TRUE(
      host_->run("accounts:disable", {{"id", account}, {"reason", "paused by the brand"}}, "d", "")
          .completed());
  const JobRun refused = publish(post("mastodon", account, "while disabled"));
  EXPECT_EQ(refused.outcome.error,
            "mastodon account " + account +
                " (@alice@mastodon.example) is disabled: paused by the brand");
  const Json issued =
      fakes_->account({{"platform", "mastodon"}, {"userId", "u-alice"}, {"handle", "alice"}});
  const JobRun reauth = host_->run(
      "accounts:reauth", {{"id", account}, {"accessToken", issued["accessToken"]}}, "r", "");
  ASSERT_TRUE(reauth.completed()) << reauth.describe();
  EXPECT_EQ(accountStatus(account), "active");
  ASSERT_TRUE(publish(post("mastodon", account, "back"), "job-2").completed());
}

}  // namespace
}  // namespace warren::test
