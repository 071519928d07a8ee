#include "db/PostgresModule.h"

#include "log/Log.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>

namespace warren::db::detail {
namespace {

void noticeToLog(std::string_view text) {
  log::debug("database notice", {{"notice", text}});
}

const PostgresHost kHost{noticeToLog, log::appendJsonString};

std::filesystem::path executableDir() {
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", error);
  return error ? std::filesystem::current_path() : exe.parent_path();
}

[[noreturn]] void cannotLoad(const std::filesystem::path& path, const char* why) {
  throw DbError(ErrorKind::internal, "cannot load the PostgreSQL module " + path.string() + ": " +
                                         (why != nullptr ? why : "unknown reason"));
}

const PostgresDriver& load() {
  const std::filesystem::path path = postgresModulePath();
  // RTLD_LOCAL: libpq's dependencies stay out of the global scope that plugins resolve against.
  void* module = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (module == nullptr) cannotLoad(path, ::dlerror());
  auto entry = reinterpret_cast<PostgresEntry>(::dlsym(module, kPostgresEntrySymbol));
  if (entry == nullptr) cannotLoad(path, ::dlerror());
  const PostgresDriver* driver = entry(kPostgresDriverVersion, kHost);
  if (driver == nullptr) cannotLoad(path, "built from another version of warren");
  log::debug("PostgreSQL module loaded", {{"path", path.string()}});
  return *driver;
}

}  // namespace

std::filesystem::path postgresModulePath() {
  const char* dir = std::getenv("WARREN_MODULE_DIR");
  const std::filesystem::path base = dir != nullptr && *dir != '\0'
                                         ? std::filesystem::path(dir)
                                         : executableDir() / WARREN_MODULE_DIR_FROM_BIN;
  return (base / kPostgresModuleFile).lexically_normal();
}

const PostgresDriver& postgresDriver() {
  static std::atomic<const PostgresDriver*> loaded{nullptr};
  static std::mutex loading;
  if (const PostgresDriver* driver = loaded.load(std::memory_order_acquire)) return *driver;
  std::lock_guard lock(loading);
  if (loaded.load(std::memory_order_relaxed) == nullptr)
    loaded.store(&load(), std::memory_order_release);
  return *loaded.load(std::memory_order_relaxed);
}

}  // namespace warren::db::detail
