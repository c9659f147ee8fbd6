# Writes OUTPUT, a C++ file defining `extern const char SYMBOL[]` and `SYMBOL_size` holding
# the bytes of INPUT (empty when INPUT does not exist). Run with cmake -P at build time.
if(EXISTS "${INPUT}")
  file(READ "${INPUT}" hex HEX)
else()
  set(hex "")
endif()
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by cmake/embed_file.cmake. Do not edit.\n"
  "#include <cstddef>\n"
  "extern const char ${SYMBOL}[] = {${bytes} '\\0'};\n"
  "extern const std::size_t ${SYMBOL}_size = ${size};\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
