# Every dependency is a Debian package installed by scripts/setup (list and reasons:
# docs/dependencies.md). Nothing is downloaded or vendored.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
pkg_check_modules(UV REQUIRED IMPORTED_TARGET libuv)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
find_package(yaml-cpp REQUIRED CONFIG)
find_package(FlatBuffers REQUIRED CONFIG)
find_program(FLATC flatc REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED CONFIG)
find_package(CLI11 REQUIRED CONFIG)
find_package(simdjson REQUIRED CONFIG)
if(SILT_BUILD_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
find_package(ZLIB REQUIRED)
# Loki's protobuf push: protoc + libprotobuf (FindProtobuf module) and snappy block compression.
find_package(Protobuf REQUIRED)
find_program(PROTOC protoc REQUIRED)
find_package(Snappy REQUIRED CONFIG)
find_package(OpenSSL 3 REQUIRED)
# The `silt` CLI's HTTP client (TLS, proxies, keep-alive, every auth mode): libcurl4-openssl-dev.
find_package(CURL REQUIRED)
# libhttp-parser ships no pkg-config file or CMake package: find the header and library directly.
find_path(HTTP_PARSER_INCLUDE_DIR http_parser.h REQUIRED)
find_library(HTTP_PARSER_LIBRARY http_parser REQUIRED)
add_library(silt::http_parser UNKNOWN IMPORTED)
set_target_properties(silt::http_parser PROPERTIES
  IMPORTED_LOCATION ${HTTP_PARSER_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${HTTP_PARSER_INCLUDE_DIR})
