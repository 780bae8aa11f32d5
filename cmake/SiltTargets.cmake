# Helpers that give every Silt target the same shape.

# Warnings are errors in project code only (generated code and system headers are exempt).
function(silt_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wno-missing-field-initializers)
  # GCC 12 at -O3 (Release) reports false -Wrestrict/-Warray-bounds/-Wstringop-overflow inside
  # libstdc++'s string concatenation ("x" + std::string&&; GCC bugs 105329, 105651) all over
  # the code; the other build types keep them as errors.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE
      $<$<CONFIG:Release>:-Wno-restrict -Wno-array-bounds -Wno-stringop-overflow>)
  endif()
endfunction()

# silt_library(<name> SOURCES ... [DEPS ...]): one static library per leaf folder. Includes start
# at the repo root, so every header is reached as "shared/status/status.h".
function(silt_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  silt_warnings(${name})
endfunction()

# silt_executable(<name> SOURCES ... [DEPS ...]): a product binary in build/bin/.
function(silt_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  silt_warnings(${name})
endfunction()

# silt_test(<name> SOURCES ... [DEPS ...]): a GoogleTest binary in build/tests/; each TEST is
# its own ctest entry (discovered when ctest runs, so sanitizer builds do not run it at build time).
# Every test binary reuses one precompiled GoogleTest/gmock header (built once by silt_test_pch):
# parsing gmock dominates a test's compile time, and CI builds every test twice.
include(GoogleTest)
add_library(silt_test_pch STATIC ${PROJECT_SOURCE_DIR}/tests/support/pch_anchor.cc)
target_link_libraries(silt_test_pch PUBLIC GTest::gmock GTest::gtest)
target_precompile_headers(silt_test_pch PRIVATE
  <gmock/gmock.h> <gtest/gtest.h> <string> <string_view> <vector> <memory> <cstdint>)
# -pthread on every test compile: some deps (RE2, libuv) add it and the PCH must match all users.
target_compile_options(silt_test_pch PUBLIC -pthread)
target_compile_options(silt_test_pch PRIVATE ${SILT_TEST_OPTIMIZE})  # as every test, for the PCH
silt_warnings(silt_test_pch)
function(silt_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest GTest::gtest_main)
  target_compile_options(${name} PRIVATE -pthread ${SILT_TEST_OPTIMIZE})
  # GCC 12 reports false -Warray-bounds/-Wstringop-overflow/-Wrestrict on inlined std::string
  # concatenation in test bodies (GCC bugs 105329, 105651); product code keeps them as errors.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${name} PRIVATE -Wno-array-bounds -Wno-stringop-overflow -Wno-restrict)
  endif()
  target_precompile_headers(${name} REUSE_FROM silt_test_pch)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  silt_warnings(${name})
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
                       WORKING_DIRECTORY ${CMAKE_BINARY_DIR}/tests
                       PROPERTIES TIMEOUT ${SILT_TEST_TIMEOUT})
endfunction()

# silt_benchmark(<name> SOURCES ... [DEPS ...]): a Google Benchmark program (SILT_BUILD_BENCH=ON).
function(silt_benchmark name)
  if(NOT SILT_BUILD_BENCH)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} benchmark::benchmark)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  silt_warnings(${name})
endfunction()

# silt_fuzzer(<name> SOURCE <file> CORPUS <dir> [DEPS ...]): a fuzz target defining
# LLVMFuzzerTestOneInput. Always built as <name>_regression with a small driver that replays every
# corpus file (a ctest entry, so CI runs the corpus with any compiler); with SILT_BUILD_FUZZ=ON it
# is also built as <name>, a libFuzzer binary for coverage-guided runs.
function(silt_fuzzer name)
  cmake_parse_arguments(ARG "" "SOURCE;CORPUS" "DEPS" ${ARGN})
  add_executable(${name}_regression ${ARG_SOURCE} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cc)
  target_link_libraries(${name}_regression PRIVATE ${ARG_DEPS})
  set_target_properties(${name}_regression PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  silt_warnings(${name}_regression)
  add_test(NAME fuzz_regression.${name}
           COMMAND ${name}_regression ${ARG_CORPUS})
  set_tests_properties(fuzz_regression.${name} PROPERTIES TIMEOUT 600)
  if(SILT_BUILD_FUZZ)
    add_executable(${name} ${ARG_SOURCE})
    target_link_libraries(${name} PRIVATE ${ARG_DEPS})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
    silt_warnings(${name})
  endif()
endfunction()
