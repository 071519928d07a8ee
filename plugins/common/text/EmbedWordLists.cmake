# Writes OUTPUT: a C++ source with each INPUTS file's text as a raw string literal, looked up by
# the file's name without its extension (common::text::detail::embeddedWordList).
set(body "// Generated from plugins/common/text/data by EmbedWordLists.cmake; do not edit.\n")
string(APPEND body "#include <string_view>\n\nnamespace common::text::detail {\n\n")
string(APPEND body "std::string_view embeddedWordList(std::string_view name) {\n")
foreach(input ${INPUTS})
  get_filename_component(name ${input} NAME_WE)
  file(READ ${input} text)
  string(APPEND body "  if (name == \"${name}\") return R\"warren_list(${text})warren_list\";\n")
endforeach()
string(APPEND body "  return {};\n}\n\n}  // namespace common::text::detail\n")
file(WRITE ${OUTPUT}.new "${body}")
configure_file(${OUTPUT}.new ${OUTPUT} COPYONLY)
