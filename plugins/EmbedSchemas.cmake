# JSON Schemas of a plugin's job types, compiled into it: each schemas/NAME.json becomes a
# constant `k<Name>` (CamelCase of NAME: "content-analyze.data" -> kContentAnalyzeData) in a
# generated header, so the descriptor can point at it and the host can read it.
#
#   include(${PROJECT_SOURCE_DIR}/plugins/EmbedSchemas.cmake)
#   warren_embed_schemas(<target> NAMESPACE <c++ namespace> HEADER <name.h> FILES <json>...)
#
# The header is rewritten at build time whenever a schema changes.
if(CMAKE_SCRIPT_MODE_FILE)
  # Script mode: OUTPUT, NAMESPACE and INPUTS (paths joined by "|") come from -D.
  string(REPLACE "|" ";" INPUTS "${INPUTS}")
  set(body "// Generated from the plugin's schemas/ by plugins/EmbedSchemas.cmake; do not edit.\n")
  string(APPEND body "#pragma once\n\nnamespace ${NAMESPACE} {\n\n")
  foreach(input ${INPUTS})
    get_filename_component(file_name ${input} NAME)
    string(REGEX REPLACE "\\.json$" "" stem "${file_name}")
    string(REGEX MATCHALL "[A-Za-z0-9]+" words "${stem}")
    set(identifier "k")
    foreach(word ${words})
      string(SUBSTRING "${word}" 0 1 first)
      string(SUBSTRING "${word}" 1 -1 rest)
      string(TOUPPER "${first}" first)
      string(APPEND identifier "${first}${rest}")
    endforeach()
    file(READ ${input} text)
    if(text MATCHES "\\)schema\"")
      message(FATAL_ERROR "${input} holds the raw string delimiter )schema\"")
    endif()
    string(APPEND body "// ${file_name}\n")
    string(APPEND body "inline constexpr const char ${identifier}[] = R\"schema(${text})schema\";\n\n")
  endforeach()
  string(APPEND body "}  // namespace ${NAMESPACE}\n")
  file(WRITE ${OUTPUT} "${body}")
  return()
endif()

set(WARREN_EMBED_SCHEMAS_SCRIPT ${CMAKE_CURRENT_LIST_FILE})

function(warren_embed_schemas target)
  cmake_parse_arguments(ARG "" "NAMESPACE;HEADER" "FILES" ${ARGN})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}_schemas)
  set(output ${dir}/${ARG_HEADER})
  string(REPLACE ";" "|" inputs "${ARG_FILES}")
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DNAMESPACE=${ARG_NAMESPACE}
            -DINPUTS=${inputs} -P ${WARREN_EMBED_SCHEMAS_SCRIPT}
    DEPENDS ${ARG_FILES} ${WARREN_EMBED_SCHEMAS_SCRIPT}
    COMMENT "Embedding the JSON Schemas of ${target}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
  target_include_directories(${target} PUBLIC ${dir})
endfunction()
