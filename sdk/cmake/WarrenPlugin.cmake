# warren_add_plugin(<target> SOURCES <src>... [OUTPUT_NAME <name>])
#
# Builds a Warren plugin: a MODULE library named <name>.so (default: the target name) with
# hidden visibility, no STB_GNU_UNIQUE symbols (so the library can really unload) and exactly
# one exported symbol, warren_plugin_entry.
function(warren_add_plugin target)
  cmake_parse_arguments(ARG "" "OUTPUT_NAME" "SOURCES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "warren_add_plugin(${target}): SOURCES is required")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  if(TARGET WarrenSDK::sdk)
    target_link_libraries(${target} PRIVATE WarrenSDK::sdk)
  else()
    target_link_libraries(${target} PRIVATE warren_sdk)
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_features(${target} PRIVATE cxx_std_17)
  target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-gnu-unique>)
  # The map sits next to this file, in the source tree and in the installed package alike. It is
  # found from the function's own file, not from a variable: a directory-scoped variable would
  # be invisible to plugins defined outside the directory that included this file.
  set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/warren_plugin.map")
  if(NOT EXISTS "${version_script}")
    message(FATAL_ERROR "warren_add_plugin(${target}): missing ${version_script}")
  endif()
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${version_script}" "LINKER:--no-undefined")
  set_property(TARGET ${target} APPEND PROPERTY LINK_DEPENDS "${version_script}")
endfunction()
