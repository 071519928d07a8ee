// warren accounts add|list|disable|reauth|reencrypt: the publish plugin's platform accounts,
// through its operator jobs (accounts:*) run in this process. Tokens come from environment
// variables or stdin, never from the command line, and are never printed.
#include "app/Commands.h"
#include "app/InProcess.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>

namespace warren::app {

config::Config inProcessConfig(const Options& options);
int printOutcome(const std::string& what, const plugins::JobOutcome& outcome);

namespace {

constexpr const char* kUsage =
    "usage: warren accounts add platform=P handle=H base_url=URL [id=ID] [user_id=ID]\n"
    "                           [scopes=S] [client_id=ID] [expires_at=UNIX_MS]\n"
    "                           [token_env=VAR] [refresh_token_env=VAR] [secret_env=VAR] [stdin]\n"
    "       warren accounts list [--json]\n"
    "       warren accounts disable ID [reason=TEXT]\n"
    "       warren accounts reauth ID [token_env=VAR] [refresh_token_env=VAR] [secret_env=VAR]\n"
    "                                 [expires_at=UNIX_MS] [stdin]\n"
    "       warren accounts reencrypt\n"
    "Tokens are read from the named environment variables, or with 'stdin' from a JSON object\n"
    "{\"accessToken\",\"refreshToken\",\"secret\"} on standard input; never from the command "
    "line.\n";

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// FIELD=VALUE arguments after the subcommand (and its id).
std::map<std::string, std::string> fieldsOf(const std::vector<std::string>& args,
                                            std::size_t from) {
  std::map<std::string, std::string> fields;
  for (std::size_t i = from; i < args.size(); ++i) {
    const auto eq = args[i].find('=');
    if (args[i] == "stdin") {
      fields["stdin"] = "1";
    } else if (eq == std::string::npos || eq == 0) {
      throw UsageError("expected FIELD=VALUE, got '" + args[i] + "'");
    } else {
      fields[args[i].substr(0, eq)] = args[i].substr(eq + 1);
    }
  }
  return fields;
}

std::string take(std::map<std::string, std::string>& fields, const std::string& name) {
  const auto it = fields.find(name);
  if (it == fields.end()) return {};
  std::string value = it->second;
  fields.erase(it);
  return value;
}

std::string fromEnvironment(const std::string& variable) {
  const char* value = std::getenv(variable.c_str());
  if (value == nullptr || *value == '\0') {
    throw UsageError("environment variable " + variable + " is not set or empty");
  }
  return value;
}

// Copies the secrets named by *_env fields (or read from stdin) into the job data.
void addSecrets(std::map<std::string, std::string>& fields, Poco::JSON::Object& data) {
  const std::pair<const char*, const char*> sources[] = {{"token_env", "accessToken"},
                                                         {"refresh_token_env", "refreshToken"},
                                                         {"secret_env", "secret"}};
  for (const auto& [field, key] : sources) {
    const std::string variable = take(fields, field);
    if (!variable.empty()) data.set(key, fromEnvironment(variable));
  }
  if (!take(fields, "stdin").empty()) {
    const std::string text(std::istreambuf_iterator<char>(std::cin), {});
    Poco::JSON::Object::Ptr given;
    try {
      given = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      throw UsageError(
          "stdin must hold a JSON object {\"accessToken\",\"refreshToken\",\"secret\"}");
    }
    for (const char* key : {"accessToken", "refreshToken", "secret"}) {
      if (given->has(key)) data.set(key, given->getValue<std::string>(key));
    }
  }
}

std::string dump(const Poco::JSON::Object& data) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(data, out);
  return out.str();
}

void copyPlain(std::map<std::string, std::string>& fields, Poco::JSON::Object& data) {
  const std::pair<const char*, const char*> plain[] = {{"id", "id"},
                                                       {"platform", "platform"},
                                                       {"handle", "handle"},
                                                       {"base_url", "baseUrl"},
                                                       {"user_id", "platformUserId"},
                                                       {"scopes", "scopes"},
                                                       {"client_id", "clientId"}};
  for (const auto& [field, key] : plain) {
    const std::string value = take(fields, field);
    if (!value.empty()) data.set(key, value);
  }
  const std::string expires = take(fields, "expires_at");
  if (!expires.empty()) {
    try {
      data.set("tokenExpiresAt", static_cast<Poco::Int64>(std::stoll(expires)));
    } catch (const std::exception&) {
      throw UsageError("expires_at must be Unix milliseconds");
    }
  }
}

void refuseLeftovers(const std::map<std::string, std::string>& fields) {
  if (fields.empty()) return;
  throw UsageError("unknown field '" + fields.begin()->first + "'");
}

// accounts:list's result as a table.
void printTable(const std::string& json) {
  const auto result = Poco::JSON::Parser().parse(json).extract<Poco::JSON::Object::Ptr>();
  const auto accounts = result->getArray("accounts");
  std::cout << std::left << std::setw(22) << "ID" << std::setw(10) << "PLATFORM" << std::setw(30)
            << "HANDLE" << std::setw(14) << "STATUS"
            << "KEY IDS\n";
  for (std::size_t i = 0; i < accounts->size(); ++i) {
    const auto a = accounts->getObject(static_cast<unsigned>(i));
    std::string keys;
    const auto ids = a->getObject("keyIds");
    for (const auto& [column, id] : *ids)
      keys += (keys.empty() ? "" : " ") + column + "=" + id.toString();
    std::cout << std::setw(22) << a->getValue<std::string>("id") << std::setw(10)
              << a->getValue<std::string>("platform") << std::setw(30)
              << a->getValue<std::string>("handle") << std::setw(14)
              << a->getValue<std::string>("status") << keys << "\n";
    if (!a->isNull("statusReason")) {
      std::cout << "    " << a->getValue<std::string>("statusReason") << "\n";
    }
  }
  std::cout << accounts->size() << " account(s); current key id "
            << result->getValue<std::string>("keyId") << "\n";
}

}  // namespace

int accountsCommand(const Options& options) {
  const std::vector<std::string>& args = options.args;
  if (args.size() < 2) {
    std::cerr << kUsage;
    return kExitUsage;
  }
  const std::string sub = args[1];
  Poco::JSON::Object data;
  std::string job;
  try {
    if (sub == "add") {
      auto fields = fieldsOf(args, 2);
      copyPlain(fields, data);
      addSecrets(fields, data);
      refuseLeftovers(fields);
      job = "accounts:add";
    } else if (sub == "list") {
      if (args.size() != 2) throw UsageError("list takes no arguments");
      job = "accounts:list";
    } else if (sub == "disable" || sub == "reauth") {
      if (args.size() < 3) throw UsageError(sub + " needs the account id");
      data.set("id", args[2]);
      auto fields = fieldsOf(args, 3);
      if (sub == "disable") {
        const std::string reason = take(fields, "reason");
        if (!reason.empty()) data.set("reason", reason);
      } else {
        const std::string expires = take(fields, "expires_at");
        if (!expires.empty()) fields["expires_at"] = expires, copyPlain(fields, data);
        addSecrets(fields, data);
      }
      refuseLeftovers(fields);
      job = "accounts:" + sub;
    } else if (sub == "reencrypt") {
      if (args.size() != 2) throw UsageError("reencrypt takes no arguments");
      job = "accounts:reencrypt";
    } else {
      throw UsageError("unknown accounts command '" + sub + "'");
    }
  } catch (const UsageError& e) {
    std::cerr << "warren: accounts: " << e.what() << "\n" << kUsage;
    return kExitUsage;
  }
  const config::Config config = inProcessConfig(options);
  InProcessPlugin plugin(config, "publish");
  const plugins::JobOutcome outcome = plugin.run(job, dump(data));
  if (outcome.outcome == WARREN_JOB_COMPLETED && sub == "list" && !options.json) {
    printTable(outcome.result);
    return kExitOk;
  }
  return printOutcome("accounts " + sub, outcome);
}

}  // namespace warren::app
