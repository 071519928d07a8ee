# Warnings for everything we compile. They are errors only when WARREN_WERROR is ON: the
# project's own builds (scripts/build.sh, scripts/test.sh, CI) turn it on; a user's plain
# `cmake -DCMAKE_BUILD_TYPE=Release` never fails because a newer or older compiler warns.
option(WARREN_WERROR "Treat compiler warnings as errors (the project's CI and development builds)"
       OFF)

add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(WARREN_WERROR)
  add_compile_options(-Werror)
endif()

# GCC 12 reports a false -Wrestrict inside std::string (char_traits::copy reached from
# operator+ / append / insert once they are inlined, e.g. "__builtin_memcpy accessing
# 9223372036854775810 or more bytes ... may overlap": GCC bug 105329, fixed in GCC 13). It
# fires at -O3 (Release) in about ten host files and on no real overlap. Only that compiler
# major loses the check; GCC 13+ and Clang keep it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options($<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
endif()
