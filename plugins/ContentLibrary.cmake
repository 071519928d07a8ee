# warren_content_library(<target> SOURCES <src>...): a static library linked into plugins,
# compiled as a plugin is (position independent, C++17, hidden visibility, no STB_GNU_UNIQUE
# symbols), so it adds no exported symbol to them. For the parts of plugins/common that link a
# library of their own (media: FFmpeg, web: libxml2) and for a plugin's code that its unit tests
# link too.
function(warren_content_library target)
  cmake_parse_arguments(ARG "" "" "SOURCES" ${ARGN})
  add_library(${target} STATIC ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    CXX_STANDARD 17
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_options(${target} PRIVATE -fno-gnu-unique)
endfunction()
