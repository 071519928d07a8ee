#include "redis/Pool.h"

namespace warren::redis {

ConnectionSet::ConnectionSet(Url url, ConnectionOptions options, ConnectionNames names)
    : url_(std::move(url)), options_(std::move(options)), names_(std::move(names)) {}

ConnectionSet::~ConnectionSet() = default;

ConnectionOptions ConnectionSet::optionsFor(Role role) const {
  ConnectionOptions options = options_;
  switch (role) {
    case Role::Scripts:
      options.clientName = names_.scripts;
      break;
    case Role::Blocking:
      options.clientName = names_.blocking;
      break;
    case Role::Events:
      options.clientName = names_.events;
      break;
  }
  return options;
}

Connection& ConnectionSet::get(Role role) {
  Slot& slot = slots_[static_cast<std::size_t>(role)];
  std::lock_guard opening(slot.opening);
  {
    std::lock_guard lock(mutex_);
    if (closed_) throw ConnectionError("Redis connections to " + url_.redacted() + " are closed");
    if (slot.connection) return *slot.connection;
  }
  // Connect without holding mutex_, so interruptAll()/closeAll() stay responsive meanwhile.
  auto connection = std::make_unique<Connection>(url_, optionsFor(role));
  std::lock_guard lock(mutex_);
  if (closed_) throw ConnectionError("Redis connections to " + url_.redacted() + " are closed");
  slot.connection = std::move(connection);
  return *slot.connection;
}

bool ConnectionSet::isOpen(Role role) const {
  std::lock_guard lock(mutex_);
  return slots_[static_cast<std::size_t>(role)].connection != nullptr;
}

void ConnectionSet::interruptAll() {
  std::lock_guard lock(mutex_);
  for (auto& slot : slots_)
    if (slot.connection) slot.connection->interrupt();
}

void ConnectionSet::closeAll() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  for (auto& slot : slots_)
    if (slot.connection) slot.connection->close();
}

}  // namespace warren::redis
