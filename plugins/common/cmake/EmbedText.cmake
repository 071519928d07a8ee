# warren_embed_text(<target> HEADER <name.h> NAMESPACE <ns> FILES <file>...)
#
# Generates <build dir>/<name.h> with one constant per file, so a plugin can hand JSON Schemas
# and SQL migrations to its descriptor as static text:
#
#   namespace <ns> { inline constexpr const char schemas_post_publish_data_json[] = R"..."; }
#
# A constant's name is the file's path relative to the current source directory with every
# character that is not a letter or a digit replaced by '_'. The header is regenerated when a
# file changes, and <target> gets its directory on the include path.
function(warren_embed_text target)
  cmake_parse_arguments(ARG "" "HEADER;NAMESPACE" "FILES" ${ARGN})
  set(output "${CMAKE_CURRENT_BINARY_DIR}/generated/${ARG_HEADER}")
  # Found from the function's own file: a variable would not reach sibling directories.
  set(script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedTextScript.cmake")
  set(absolute "")
  foreach(file ${ARG_FILES})
    list(APPEND absolute "${CMAKE_CURRENT_SOURCE_DIR}/${file}")
  endforeach()
  string(REPLACE ";" "|" files "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DNAMESPACE=${ARG_NAMESPACE}
            -DBASE=${CMAKE_CURRENT_SOURCE_DIR} -DFILES=${files} -P ${script}
    DEPENDS ${absolute} ${script}
    COMMENT "Embedding ${ARG_HEADER}"
    VERBATIM)
  target_sources(${target} PRIVATE "${output}")
  target_include_directories(${target} PRIVATE "${CMAKE_CURRENT_BINARY_DIR}/generated")
endfunction()
