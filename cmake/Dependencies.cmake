# Every dependency, found once (Debian 12 packages; see docs/toolchain notes in README).
find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)          # Boost.DLL is header-only; we use std::filesystem with it
find_package(PostgreSQL REQUIRED)
# Debian's PocoDataPostgreSQL targets link "PostgreSQL::client", which nothing defines.
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  target_link_libraries(PostgreSQL::client INTERFACE PostgreSQL::PostgreSQL)
endif()
find_package(Poco REQUIRED COMPONENTS Foundation Net NetSSL Crypto Util JSON Data DataPostgreSQL DataSQLite)
find_package(spdlog 1.10 REQUIRED)
# JSON for the content plugins (plugins/common) and JSON Schema validation (host and plugins).
find_package(nlohmann_json 3.11 REQUIRED)
find_package(valijson REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis>=0.14)
# JSON Schema `pattern` in the host (host/json/Schema): PCRE2 matches on the heap, with limits.
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8>=10.34)
pkg_check_modules(LIBAV IMPORTED_TARGET libavformat>=59 libavcodec>=59 libavutil>=57
                  libswscale>=6 libswresample>=4 libavfilter>=8)
if(WARREN_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
