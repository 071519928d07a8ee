#include "redis/Locator.h"

#include <cstdlib>

#include "redis/Connection.h"

namespace warren::redis {
namespace {

bool startsWith(const std::string& text, const char* head) {
  return text.rfind(head, 0) == 0;
}

// "MOVED 3999 127.0.0.1:6381" and "ASK 3999 127.0.0.1:6381".
Redirect slotRedirect(Redirect::Kind kind, const std::string& text) {
  Redirect redirect;
  const auto first = text.find(' ');
  const auto second = first == std::string::npos ? first : text.find(' ', first + 1);
  if (second == std::string::npos) return redirect;  // not the shape Redis sends
  redirect.kind = kind;
  redirect.slot = std::atoi(text.c_str() + first + 1);
  redirect.address = text.substr(second + 1);
  return redirect;
}

}  // namespace

Redirect redirectOf(const Reply& reply) {
  if (!reply.isError()) return {};
  const std::string& text = reply.str();
  if (startsWith(text, "MOVED ")) return slotRedirect(Redirect::Kind::moved, text);
  if (startsWith(text, "ASK ")) return slotRedirect(Redirect::Kind::ask, text);
  Redirect redirect;
  if (startsWith(text, "TRYAGAIN")) {
    redirect.kind = Redirect::Kind::tryAgain;
  } else if (startsWith(text, "CLUSTERDOWN")) {
    redirect.kind = Redirect::Kind::clusterDown;
  } else if (startsWith(text, "READONLY") || startsWith(text, "MASTERDOWN") ||
             startsWith(text, "UNBLOCKED")) {
    redirect.kind = Redirect::Kind::replica;
  } else if (startsWith(text, "LOADING")) {
    redirect.kind = Redirect::Kind::loading;
  }
  return redirect;
}

void Locator::verify(const std::vector<Reply>&, const std::string&) const {}

bool Locator::guard(std::vector<std::string>&) const {
  return false;
}

void Locator::attach(Connection& connection) {
  std::lock_guard lock(mutex_);
  attached_.insert(&connection);
}

void Locator::detach(Connection& connection) {
  std::lock_guard lock(mutex_);
  attached_.erase(&connection);
}

void Locator::announce(const std::string& address) {
  std::lock_guard lock(mutex_);
  for (Connection* connection : attached_) connection->serverChanged(address);
}

}  // namespace warren::redis
