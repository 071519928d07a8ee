#include "admin/AccountJobs.h"

#include "job/Failure.h"

namespace publish {
namespace {

using common::Json;
using common::job::Unrecoverable;

std::string field(const Json& data, const char* name) {
  const auto value = common::optionalString(data, name);
  return value ? *value : std::string();
}

store::NewAccount newAccount(const Json& data) {
  store::NewAccount a;
  a.id = field(data, "id");
  a.platform = field(data, "platform");
  a.handle = field(data, "handle");
  a.baseUrl = field(data, "baseUrl");
  a.platformUserId = field(data, "platformUserId");
  a.scopes = field(data, "scopes");
  a.clientId = field(data, "clientId");
  a.accessToken = field(data, "accessToken");
  a.refreshToken = field(data, "refreshToken");
  a.secret = field(data, "secret");
  a.tokenExpiresAt = common::intOr(data, "tokenExpiresAt", 0);
  return a;
}

Json add(Context& context, const warren::Job& job, const Json& data) {
  const std::string id = context.accounts.add(&job, newAccount(data));
  return Json{{"id", id}, {"status", "active"}};
}

Json reauth(Context& context, const warren::Job& job, const Json& data) {
  const std::string id = field(data, "id");
  if (id.empty()) throw Unrecoverable("accounts:reauth needs the account 'id'");
  store::Account account = context.accounts.load(&job, id);
  store::Tokens tokens;
  tokens.accessToken = field(data, "accessToken");
  tokens.refreshToken = field(data, "refreshToken");
  tokens.expiresAt = common::intOr(data, "tokenExpiresAt", 0);
  const std::string secret = field(data, "secret");
  if (tokens.accessToken.empty() && tokens.refreshToken.empty() && secret.empty()) {
    throw Unrecoverable("accounts:reauth needs a new token, refresh token or secret");
  }
  if (!secret.empty()) account.secret = secret;
  if (!context.accounts.replaceCredentials(&job, account, tokens)) {
    throw Unrecoverable("account " + id + " changed while it was re-authorised: try again");
  }
  return Json{{"id", id}, {"status", "active"}};
}

Json disable(Context& context, const warren::Job& job, const Json& data) {
  const std::string id = field(data, "id");
  if (id.empty()) throw Unrecoverable("accounts:disable needs the account 'id'");
  std::string reason = field(data, "reason");
  if (reason.empty()) reason = "disabled by an operator";
  if (!context.accounts.setStatus(&job, id, "disabled", reason)) {
    throw Unrecoverable("no platform account '" + id + "'");
  }
  return Json{{"id", id}, {"status", "disabled"}};
}

Json reencrypt(Context& context, const warren::Job& job) {
  const store::ReencryptReport report = context.accounts.reencrypt(&job);
  if (!report.failed.empty()) {
    std::string reasons;
    for (const auto& reason : report.failed) reasons += (reasons.empty() ? "" : "; ") + reason;
    throw Unrecoverable(std::to_string(report.failed.size()) + " of " +
                        std::to_string(report.accounts) + " accounts could not be re-encrypted (" +
                        std::to_string(report.rewritten) + " were): " + reasons);
  }
  return Json{{"accounts", report.accounts},
              {"rewritten", report.rewritten},
              {"alreadyCurrent", report.current},
              {"keyId", context.settings.keys.current.id()}};
}

}  // namespace

bool isAccountJob(std::string_view name) {
  return name.rfind("accounts:", 0) == 0;
}

warren::Result runAccountJob(Context& context, const warren::Job& job) {
  return common::job::run(job, [&]() -> warren::Result {
    const std::string name(job.name());
    if (!job.queue().empty()) {
      throw Unrecoverable(name +
                          " is an operator job and is refused from a queue (a token must "
                          "never sit in Redis job data): run `warren accounts` instead");
    }
    const Json data = common::parseJson(job.data(), "job data");
    Json result;
    if (name == "accounts:add") {
      result = add(context, job, data);
    } else if (name == "accounts:list") {
      result = Json{{"accounts", context.accounts.list(&job)},
                    {"keyId", context.settings.keys.current.id()}};
    } else if (name == "accounts:disable") {
      result = disable(context, job, data);
    } else if (name == "accounts:reauth") {
      result = reauth(context, job, data);
    } else if (name == "accounts:reencrypt") {
      result = reencrypt(context, job);
    } else {
      throw Unrecoverable("unknown account job '" + name +
                          "' (accounts:add, accounts:list, accounts:disable, accounts:reauth, "
                          "accounts:reencrypt)");
    }
    return warren::Result::completed(common::dumpJson(result));
  });
}

}  // namespace publish
