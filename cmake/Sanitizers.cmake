# Sanitizer builds of the whole tree (the fuzz build has its own flags: tests/fuzz).
#   -DWARREN_SANITIZE=ON (or address)  AddressSanitizer + UndefinedBehaviorSanitizer
#   -DWARREN_SANITIZE=thread           ThreadSanitizer (scripts/test.sh: build-tsan/)
# Each goes into its own build directory: sanitized and plain objects do not mix.
set(WARREN_SANITIZE OFF CACHE STRING "Sanitizers: OFF, ON/address (ASan+UBSan) or thread (TSan)")
set_property(CACHE WARREN_SANITIZE PROPERTY STRINGS OFF ON address thread)

string(TOLOWER "${WARREN_SANITIZE}" _warren_sanitize)
if(_warren_sanitize STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(_warren_sanitize STREQUAL "address" OR WARREN_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
