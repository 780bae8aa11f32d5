# Every dependency is a Debian package installed by scripts/setup (list and reasons:
# docs/dependencies.md). Nothing is downloaded or vendored.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
find_package(yaml-cpp REQUIRED CONFIG)
find_package(FlatBuffers REQUIRED CONFIG)
find_program(FLATC flatc REQUIRED)
find_package(Threads REQUIRED)
find_package(GTest REQUIRED CONFIG)
if(SILT_BUILD_BENCH)
  find_package(benchmark REQUIRED CONFIG)
endif()
