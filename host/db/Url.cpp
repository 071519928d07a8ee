#include "db/Url.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace warren::db {
namespace {

// Without the setting's name: parseUrl adds it.
DbError invalid(const std::string& what) {
  return DbError(ErrorKind::invalid, what);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(const std::string& text, const char* part) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    const int high = i + 2 < text.size() ? hexValue(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? hexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) throw invalid(std::string("bad percent-encoding in the ") + part);
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

bool startsWith(const std::string& text, std::string_view prefix) {
  return text.size() >= prefix.size() && text.compare(0, prefix.size(), prefix) == 0;
}

bool validKeyword(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(),
                                     [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

bool secretKeyword(const std::string& key) {
  return key == "password" || key == "sslpassword";
}

void addSecret(Target& target, const std::string& secret) {
  if (secret.empty()) return;
  if (std::find(target.secrets.begin(), target.secrets.end(), secret) == target.secrets.end())
    target.secrets.push_back(secret);
}

// host[:port] or [v6]:port, comma-separated for libpq's multi-host lists.
void parseHosts(const std::string& text, std::string& hosts, std::string& ports) {
  if (text.empty()) return;  // libpq's default (the local unix socket)
  bool anyPort = false;
  std::vector<std::pair<std::string, std::string>> entries;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string entry =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    std::string host = entry;
    std::string port;
    if (startsWith(entry, "[")) {
      const auto close = entry.find(']');
      if (close == std::string::npos) throw invalid("unterminated [ in the host");
      host = entry.substr(1, close - 1);
      if (close + 1 < entry.size()) {
        if (entry[close + 1] != ':') throw invalid("unexpected text after ] in the host");
        port = entry.substr(close + 2);
      }
    } else if (const auto colon = entry.rfind(':'); colon != std::string::npos) {
      host = entry.substr(0, colon);
      port = entry.substr(colon + 1);
    }
    host = percentDecode(host, "host");
    if (host.empty()) throw invalid("empty host");
    if (!port.empty()) {
      if (port.size() > 5 ||
          !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
          std::stoi(port) == 0 || std::stoi(port) > 65535)
        throw invalid("the port must be a number from 1 to 65535");
      anyPort = true;
    }
    entries.emplace_back(host, port);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    hosts += (i ? "," : "") + entries[i].first;
    if (anyPort) ports += (i ? "," : "") + (entries[i].second.empty() ? "5432" : entries[i].second);
  }
}

Target parsePostgres(const std::string& url, std::size_t schemeLength,
                     std::chrono::seconds connectTimeout) {
  Target target;
  target.backend = Backend::postgresql;
  target.connector = "PostgreSQL";

  std::string rest = url.substr(schemeLength);
  if (const auto hash = rest.find('#'); hash != std::string::npos) rest.erase(hash);
  std::string query;
  if (const auto question = rest.find('?'); question != std::string::npos) {
    query = rest.substr(question + 1);
    rest.erase(question);
  }
  // The last '@' ends the user info, so an unencoded '@' or '/' in a password still parses.
  std::string userInfo;
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    userInfo = rest.substr(0, at);
    rest.erase(0, at + 1);
  }
  std::string path;
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    path = rest.substr(slash + 1);
    rest.erase(slash);
  }

  std::vector<std::pair<std::string, std::string>> keywords;  // in order
  std::string displayUser;
  bool hasPassword = false;
  if (!userInfo.empty()) {
    const auto colon = userInfo.find(':');
    const std::string rawUser = userInfo.substr(0, colon);
    const std::string user = percentDecode(rawUser, "user name");
    if (!user.empty()) keywords.emplace_back("user", user);
    displayUser = rawUser;
    if (colon != std::string::npos) {
      const std::string rawPassword = userInfo.substr(colon + 1);
      const std::string password = percentDecode(rawPassword, "password");
      addSecret(target, password);
      addSecret(target, rawPassword);
      keywords.emplace_back("password", password);
      hasPassword = true;
    }
  }
  std::string hosts, ports;
  parseHosts(rest, hosts, ports);
  if (!hosts.empty()) keywords.emplace_back("host", hosts);
  if (!ports.empty()) keywords.emplace_back("port", ports);
  const std::string dbname = percentDecode(path, "database name");
  if (!dbname.empty()) keywords.emplace_back("dbname", dbname);

  std::map<std::string, std::string> given;
  std::string displayQuery;
  if (!query.empty()) {
    std::size_t start = 0;
    while (start <= query.size()) {
      const auto amp = query.find('&', start);
      const std::string pair =
          query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (!pair.empty()) {
        const auto eq = pair.find('=');
        if (eq == std::string::npos) throw invalid("query parameter without '=' (key=value)");
        const std::string key = percentDecode(pair.substr(0, eq), "query");
        const std::string rawValue = pair.substr(eq + 1);
        const std::string value = percentDecode(rawValue, "query");
        if (!validKeyword(key)) throw invalid("bad query parameter name (libpq keywords only)");
        const bool secret = secretKeyword(key);
        if (secret) {
          addSecret(target, value);
          addSecret(target, rawValue);
        }
        keywords.emplace_back(key, value);
        given[key] = value;
        displayQuery +=
            (displayQuery.empty() ? "?" : "&") + key + "=" + (secret ? "***" : rawValue);
      }
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  if (!given.count("connect_timeout"))
    keywords.emplace_back("connect_timeout", std::to_string(connectTimeout.count()));
  if (!given.count("application_name")) keywords.emplace_back("application_name", "warren");

  for (const auto& [key, value] : keywords) {
    if (!target.connectionString.empty()) target.connectionString += ' ';
    target.connectionString += key + "=" + quoteConnValue(value);
  }
  target.display = url.substr(0, schemeLength);
  if (!displayUser.empty() || hasPassword)
    target.display += displayUser + (hasPassword ? ":***" : "") + "@";
  target.display += rest + "/" + path + displayQuery;
  return target;
}

Target parseTarget(const std::string& url, const std::string& dataDir,
                   std::chrono::seconds connectTimeout) {
  if (url.empty()) {
    if (dataDir.empty())
      throw DbError(ErrorKind::invalid,
                    "not set, and no data directory for the SQLite default: set one of them");
    Target target;
    target.backend = Backend::sqlite;
    target.connector = "SQLite";
    target.connectionString = (std::filesystem::path(dataDir) / "warren.db").string();
    target.display = target.connectionString;
    return target;
  }
  if (startsWith(url, "postgres://")) return parsePostgres(url, 11, connectTimeout);
  if (startsWith(url, "postgresql://")) return parsePostgres(url, 13, connectTimeout);
  if (startsWith(url, "sqlite:")) {
    std::string path = url.substr(7);
    if (startsWith(path, "//")) path.erase(0, 2);
    path = percentDecode(path, "path");
    if (path.empty()) throw invalid("sqlite:// needs a file path (sqlite:///var/lib/warren/x.db)");
    Target target;
    target.backend = Backend::sqlite;
    target.connector = "SQLite";
    target.connectionString = path;
    target.display = path;
    return target;
  }
  throw invalid("must start with postgres://, postgresql:// or sqlite://");
}

}  // namespace

std::string quoteConnValue(const std::string& value) {
  std::string out = "'";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

Target parseUrl(const std::string& url, const std::string& dataDir,
                std::chrono::seconds connectTimeout, const std::string& setting) {
  try {
    return parseTarget(url, dataDir, connectTimeout);
  } catch (const DbError& e) {
    throw DbError(e.kind(), setting + ": " + e.what());
  }
}

}  // namespace warren::db
